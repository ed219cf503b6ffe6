from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from ifri.admin_widgets import EditorAdminMixin
from ifri.held_uploads import HeldUploadsAdminMixin
from ifri.upload_admin import StoredFilesAdminMixin
from ifri.uploads import IMAGE_FORM_FIELDS

from .models import Author


@admin.register(Author)
class AuthorAdmin(
    EditorAdminMixin, StoredFilesAdminMixin, HeldUploadsAdminMixin, TranslationAdmin
):
    list_display = [
        "family_name",
        "given_name",
        "job_title",
        "publication_count",
        "is_active",
    ]
    list_display_links = ["family_name", "given_name"]
    list_filter = ["is_active", "centers"]
    search_fields = ["given_name", "family_name", "slug", "affiliation", "orcid"]
    prepopulated_fields = {"slug": ["given_name", "family_name"]}
    filter_horizontal = ["centers"]
    formfield_overrides = IMAGE_FORM_FIELDS
    fieldsets = [
        (_("Name"), {"fields": ["given_name", "family_name", "slug"]}),
        (_("Profile"), {"fields": ["job_title", "bio", "centers"]}),
        (_("Photo"), {"fields": ["photo", "photo_alt", "photo_credit"]}),
        (
            _("Outside contributors"),
            {"fields": ["affiliation", "orcid"], "classes": ["collapse"]},
        ),
        (_("Display"), {"fields": ["is_active"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                publication_total=Count("authorships__publication", distinct=True)
            )
        )

    @admin.display(description=_("publications"), ordering="publication_total")
    def publication_count(self, obj):
        return obj.publication_total
