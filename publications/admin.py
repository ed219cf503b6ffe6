import re

from django import forms
from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from ifri.admin_widgets import (
    AutocompleteRowsInlineMixin,
    EditorAdminMixin,
    OrderedInlineMixin,
)
from ifri.held_uploads import HeldUploadsAdminMixin
from ifri.upload_admin import StoredFilesAdminMixin
from ifri.uploads import IMAGE_FORM_FIELDS

from . import permissions
from .admin_filters import TagFilter, YearFilter
from .conflicts_admin import EditConflictAdminMixin
from .models import (
    Authorship,
    Publication,
    PublicationType,
    RelatedLink,
)
from .pdf_admin import PdfAdminMixin, PdfListFilter
from .publishing_admin import PublishingAdminMixin
from .revisions_admin import RevisionAdminMixin
from .search.admin import SearchQueryStatAdmin, SearchSuggestionAdmin  # noqa: F401
from .search.editors import EditorSearchPaginator, search_for_editors
from .topics_admin import TOPIC_FORM_FIELDS
from .workflow_admin import WorkflowAdminMixin

# What an uploader may change on an existing publication: its files and the
# descriptions that travel with an image.
UPLOADER_FIELDS = (
    "pdf",
    "main_image",
    "main_image_alt",
    "main_image_caption",
    "main_image_credit",
    "cover_image",
    "cover_image_alt",
    "cover_image_credit",
)
# Form data keys of fields rendered by several inputs (publish_at_0, _1) and
# of the inlines, which uploaders do not get either.
SPLIT_WIDGET_SUFFIX = re.compile(r"_\d+$")
INLINE_PREFIXES = ("authorships-", "related_links-")
# Addresses typed without a scheme are taken as https (Django 6's default).
URL_FIELDS = {models.URLField: {"assume_scheme": "https"}}
# In a table cell, the address without the admin's "Currently: <link>" above it.
RELATED_LINK_URL_FIELDS = {
    models.URLField: {**URL_FIELDS[models.URLField], "widget": forms.URLInput}
}
# Fields only someone with the publish permission may set (the status
# changes by the workflow's steps alone: publications/workflow_admin.py).
PUBLISHING_FIELDS = ("publish_at",)

# What the change list shows or orders by.
CHANGELIST_COLUMNS = (
    "title",
    "status",
    "type",
    "publication_date",
    "center",
    "language",
    "download_count",
    "publish_at",
)

UPLOADER_REFUSED = _(
    "You may only replace the PDF and the images; %(fields)s cannot be changed "
    "with your account. Nothing was saved."
)
UPLOADER_CANNOT_REMOVE = _(
    "You may replace the PDF and the images but not remove them: ask an editor "
    "to remove the %(fields)s. Nothing was saved."
)


@admin.register(PublicationType)
class PublicationTypeAdmin(TranslationAdmin):
    list_display = ["name", "plural_name", "slug", "citation_type", "order"]
    list_editable = ["order"]
    search_fields = ["name", "plural_name"]
    prepopulated_fields = {"slug": ["name_en"]}


class AuthorshipInline(
    AutocompleteRowsInlineMixin, OrderedInlineMixin, admin.TabularInline
):
    model = Authorship
    extra = 0
    min_num = 0
    autocomplete_fields = ["author"]
    fields = ["author", "role", "order"]
    verbose_name = _("author")
    verbose_name_plural = _("authors (in the order readers and citations see)")


class RelatedLinkInline(
    AutocompleteRowsInlineMixin, OrderedInlineMixin, admin.TabularInline
):
    model = RelatedLink
    fk_name = "publication"
    formfield_overrides = RELATED_LINK_URL_FIELDS
    classes = ["related-links-inline"]
    extra = 0
    autocomplete_fields = ["target"]
    fields = ["target", "url", "title", "label", "order"]


class PublicationChangeList(ChangeList):
    """The list reads its columns alone: a page far down the list reads half
    as much (docs/performance.md). Actions reload the rows they need whole."""

    def get_queryset(self, request, exclude_parameters=None):
        queryset = super().get_queryset(request, exclude_parameters)
        return queryset.only(*CHANGELIST_COLUMNS)


@admin.register(Publication)
class PublicationAdmin(
    EditorAdminMixin,
    WorkflowAdminMixin,
    PublishingAdminMixin,
    PdfAdminMixin,
    StoredFilesAdminMixin,
    HeldUploadsAdminMixin,
    RevisionAdminMixin,
    EditConflictAdminMixin,
    admin.ModelAdmin,
):
    list_display = [
        "title",
        "status",
        "type",
        "publication_date",
        "author_names",
        "center",
        "language",
        "download_count",
    ]
    list_select_related = ["type", "center"]
    list_filter = [
        "status",
        "type",
        "center",
        YearFilter,
        "language",
        TagFilter,
        "is_featured",
        PdfListFilter,
    ]
    # Searched through the search index (get_search_results): titles,
    # authors, topics, text and PDF; the list shows the box.
    search_fields = ["title"]
    search_help_text = _(
        "Words or their beginnings, in titles, authors, topics, text and PDF."
    )
    # Counting every publication again for “N total” costs a second scan.
    show_full_result_count = False
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["type", "center", "additional_centers", "translations"]
    inlines = [AuthorshipInline, RelatedLinkInline]
    readonly_fields = [
        "pdf_details",
        "download_count",
        "created_at",
        "updated_at",
        "updated_by",
    ]
    save_on_top = True
    formfield_overrides = {**URL_FIELDS, **IMAGE_FORM_FIELDS, **TOPIC_FORM_FIELDS}
    list_per_page = 50
    fieldsets = [
        (
            _("Content"),
            {
                "fields": [
                    "title",
                    "subtitle",
                    "slug",
                    "type",
                    "language",
                    "teaser",
                    "body",
                ]
            },
        ),
        (
            _("Images"),
            {
                "fields": [
                    "main_image",
                    "main_image_alt",
                    "main_image_caption",
                    "main_image_credit",
                    "cover_image",
                    "cover_image_alt",
                    "cover_image_credit",
                ]
            },
        ),
        (_("Full analysis"), {"fields": ["pdf", "pdf_details"]}),
        (
            _("Centers and topics"),
            {"fields": ["center", "additional_centers", "tags", "translations"]},
        ),
        (
            _("First published elsewhere"),
            {
                "classes": ["collapse"],
                "description": _(
                    "Only for articles that first appeared in a journal, a "
                    "newspaper or a book."
                ),
                "fields": [
                    "publisher",
                    "volume",
                    "issue",
                    "pages",
                    "external_url",
                    "doi",
                ],
            },
        ),
        (
            _("Publishing"),
            {
                "fields": [
                    "status",
                    "publication_date",
                    "publish_at",
                    "is_featured",
                    "created_at",
                    "updated_at",
                    "updated_by",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .prefetch_related(
                Prefetch(
                    "authorships",
                    queryset=Authorship.objects.select_related("author"),
                )
            )
        )

    def get_changelist(self, request, **kwargs):
        return PublicationChangeList

    def get_search_results(self, request, queryset, search_term):
        # The same publications, in the form counted fastest, for the
        # paginator (get_paginator): the change list filters, then searches.
        request.editor_search_counted = search_for_editors(
            queryset, search_term, counting=True
        )
        return search_for_editors(queryset, search_term), False

    def get_paginator(self, request, queryset, per_page, **options):
        counted = getattr(request, "editor_search_counted", None)
        return EditorSearchPaginator(queryset, per_page, counted=counted, **options)

    @admin.display(description=_("authors"))
    def author_names(self, obj):
        return ", ".join(a.author.full_name for a in obj.authorships.all())

    # Permissions -----------------------------------------------------------

    def is_uploader_only(self, request):
        return permissions.is_uploader_only(request.user)

    def has_publish_permission(self, request):
        return permissions.can_publish(request.user)

    def has_change_permission(self, request, obj=None):
        if super().has_change_permission(request, obj):
            return True
        return obj is not None and self.is_uploader_only(request)

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if self.is_uploader_only(request):
            every_field = [f for _, opts in self.fieldsets for f in opts["fields"]]
            return [f for f in every_field if f not in UPLOADER_FIELDS]
        if not self.has_publish_permission(request):
            readonly += PUBLISHING_FIELDS
        return readonly

    def get_prepopulated_fields(self, request, obj=None):
        if self.is_uploader_only(request):
            return {}
        return super().get_prepopulated_fields(request, obj)

    def get_inlines(self, request, obj):
        if self.is_uploader_only(request):
            return []
        return super().get_inlines(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        if not self.is_uploader_only(request):
            return form

        class UploaderForm(form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                for field in self.fields.values():
                    if isinstance(field, forms.FileField):
                        # A file input shows (and reads) its "Clear" checkbox
                        # only for an optional file: uploaders replace files,
                        # they never remove them.
                        field.widget.is_required = True

            def clean(self):
                # Read-only fields are left out of the form, so a forged request
                # could only be ignored silently; say so instead.
                opts = Publication._meta
                protected = {
                    f.name for f in [*opts.concrete_fields, *opts.many_to_many]
                }.difference(self.fields)
                refused = {
                    str(opts.get_field(base).verbose_name)
                    for base in (SPLIT_WIDGET_SUFFIX.sub("", key) for key in self.data)
                    if base in protected
                }
                if any(key.startswith(INLINE_PREFIXES) for key in self.data):
                    refused.add(str(_("authors and related links")))
                if refused:
                    raise ValidationError(
                        UPLOADER_REFUSED,
                        code="uploader_refused",
                        params={"fields": ", ".join(sorted(refused))},
                    )
                removed = {
                    str(opts.get_field(name).verbose_name)
                    for name, field in self.fields.items()
                    if isinstance(field, forms.FileField)
                    and f"{self.add_prefix(name)}-clear" in self.data
                }
                if removed:
                    raise ValidationError(
                        UPLOADER_CANNOT_REMOVE,
                        code="uploader_cannot_remove",
                        params={"fields": ", ".join(sorted(removed))},
                    )
                return super().clean()

        return UploaderForm

    def save_model(self, request, obj, form, change):
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)
