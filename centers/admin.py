from django.contrib import admin
from django.db.models import Count
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from ifri.admin_widgets import EditorAdminMixin
from ifri.held_uploads import HeldUploadsAdminMixin
from ifri.upload_admin import StoredFilesAdminMixin
from ifri.uploads import IMAGE_FORM_FIELDS

from .models import ResearchCenter


@admin.register(ResearchCenter)
class ResearchCenterAdmin(
    EditorAdminMixin, StoredFilesAdminMixin, HeldUploadsAdminMixin, TranslationAdmin
):
    list_display = ["name", "slug", "publication_count", "order", "is_active"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["name_en", "name_fr", "slug"]
    prepopulated_fields = {"slug": ["name_en"]}
    formfield_overrides = IMAGE_FORM_FIELDS
    fieldsets = [
        (_("Center"), {"fields": ["name", "slug", "teaser", "description"]}),
        (_("Image"), {"fields": ["image", "image_alt", "image_credit"]}),
        (_("Display"), {"fields": ["order", "is_active"]}),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(publication_total=Count("publications"))
        )

    @admin.display(description=_("publications"), ordering="publication_total")
    def publication_count(self, obj):
        return obj.publication_total
