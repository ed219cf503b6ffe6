"""The admin's side of full-analysis PDFs: the version history and restoring
an earlier PDF, uploading many PDFs at once (its form in pdf_forms.py), and
the uploaders' list of published publications still missing their PDF.

``PublicationAdmin`` (admin.py) takes these in through ``PdfAdminMixin``.
"""

import logging
from pathlib import PurePath

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from ifri.admin_pages import missing_object_redirect
from ifri.filestore import FileNotStored
from ifri.formats import local_datetime

from .documents import (
    MESSAGES,
    PdfOutcome,
    check_pdf,
    restore_version,
)
from .models import PdfVersion, Publication, PublicationMissingPdf, Status
from .pdf_forms import BULK_UPLOAD_MAX_FILES, BulkPdfUploadForm
from .pdf_names import publication_for_file_name, slug_candidates
from .permissions import can_edit, can_restore, can_upload

logger = logging.getLogger(__name__)

OUTCOME_MESSAGES = {
    PdfOutcome.UNCHANGED: _(
        "The PDF you chose is the same file as the current one; nothing was replaced."
    ),
    PdfOutcome.RESTORED: _(
        "The PDF you chose is an earlier version of this publication's PDF; "
        "that version is current again."
    ),
}
RESTORED = _(
    "The PDF uploaded on %(date)s is the current PDF again. Readers download "
    "it at the same address."
)
ALREADY_CURRENT = _("This version is already the current PDF.")


def missing_pdf(queryset):
    return queryset.filter(pdf="")


def _pdf_facts(pages, size) -> str:
    return _("%(pages)s pages, %(size)s") % {
        "pages": pages,
        "size": filesizeformat(size),
    }


class PdfListFilter(admin.SimpleListFilter):
    title = _("full-analysis PDF")
    parameter_name = "pdf"

    def lookups(self, request, model_admin):
        return [("missing", _("Missing")), ("attached", _("Attached"))]

    def queryset(self, request, queryset):
        if self.value() == "missing":
            return missing_pdf(queryset)
        if self.value() == "attached":
            return queryset.exclude(pdf="")
        return queryset


class PdfVersionInline(admin.TabularInline):
    """Every PDF the publication has had, newest first; read-only."""

    model = PdfVersion
    fields = readonly_fields = [
        "uploaded_at",
        "uploaded_by",
        "facts",
        "title",
        "language",
        "fingerprint",
        "state",
    ]
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = _("PDF versions (earlier PDFs are kept and can be restored)")

    def get_queryset(self, request):
        return super().get_queryset(request).defer("text").select_related("uploaded_by")

    def has_view_permission(self, request, obj=None):
        return can_restore(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("PDF"))
    def facts(self, version):
        return _pdf_facts(version.pages, version.size)

    @admin.display(description=_("SHA-256"))
    def fingerprint(self, version):
        if not version.sha256:
            return "—"
        return format_html(
            '<code title="{}">{}…</code>', version.sha256, version.sha256[:12]
        )

    @admin.display(description=_("current"))
    def state(self, version):
        if version.is_current:
            return _("Current")
        url = reverse(
            "admin:publications_publication_restore_pdf",
            args=[version.publication_id, version.pk],
        )
        return format_html('<a class="button" href="{}">{}</a>', url, _("Restore…"))


class PdfAdminMixin:
    """PDF history, restore and bulk upload for the publication admin."""

    bulk_upload_template = "admin/publications/publication/bulk_upload.html"
    restore_pdf_template = "admin/publications/publication/restore_pdf.html"

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "upload-pdfs/",
                self.admin_site.admin_view(self.bulk_upload_view),
                name="{}_{}_bulk_upload".format(*info),
            ),
            path(
                "<path:object_id>/pdf-versions/<int:version_id>/restore/",
                self.admin_site.admin_view(self.restore_pdf_view),
                name="{}_{}_restore_pdf".format(*info),
            ),
            *super().get_urls(),
        ]

    def get_inlines(self, request, obj):
        inlines = list(super().get_inlines(request, obj))
        if obj is not None and can_restore(request.user):
            inlines.append(PdfVersionInline)
        return inlines

    def save_model(self, request, obj, form, change):
        obj.pdf_outcome = None
        super().save_model(request, obj, form, change)
        if message := OUTCOME_MESSAGES.get(obj.pdf_outcome):
            self.message_user(request, message, messages.INFO)

    @admin.display(description=_("PDF"))
    def pdf_details(self, obj):
        if not obj.pdf:
            return _("No PDF yet.")
        facts = _pdf_facts(obj.pdf_pages, obj.pdf_size)
        version = obj.current_pdf_version
        if version is None:
            return facts
        return format_html(
            "{}<br>{}",
            facts,
            _("Uploaded %(date)s by %(user)s")
            % {
                "date": local_datetime(version.uploaded_at),
                "user": version.uploaded_by or "—",
            },
        )

    # Restoring an earlier version ------------------------------------------

    def restore_pdf_view(self, request, object_id, version_id):
        publication = self.get_object(request, unquote(object_id))
        if publication is None:
            return missing_object_redirect(self, request, object_id)
        if not can_restore(request.user):
            raise PermissionDenied
        version = get_object_or_404(
            PdfVersion.objects.defer("text").select_related("uploaded_by"),
            pk=version_id,
            publication=publication,
        )
        change_url = reverse(
            "admin:publications_publication_change", args=[publication.pk]
        )
        if request.method == "POST":
            if version.is_current:
                self.message_user(request, ALREADY_CURRENT, messages.INFO)
            else:
                restore_version(version, request.user)
                date = local_datetime(version.uploaded_at)
                self.log_change(
                    request,
                    publication,
                    _("Restored the PDF uploaded on %(date)s.") % {"date": date},
                )
                self.message_user(request, RESTORED % {"date": date}, messages.SUCCESS)
            return redirect(change_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Restore an earlier PDF?"),
            "object": publication,
            "version": version,
            "current": publication.current_pdf_version,
            "change_url": change_url,
        }
        return TemplateResponse(request, self.restore_pdf_template, context)

    # Bulk upload ------------------------------------------------------------

    def bulk_upload_view(self, request):
        if not can_upload(request.user):
            raise PermissionDenied
        results = []
        if request.method == "POST":
            form = BulkPdfUploadForm(request.POST, request.FILES)
            if form.is_valid():
                matched = set()
                results = [
                    self._upload_one(request, upload, matched)
                    for upload in form.cleaned_data["files"]
                ]
        else:
            form = BulkPdfUploadForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Upload PDFs"),
            "form": form,
            "results": results,
            "accepted": sum(r["accepted"] for r in results),
            "refused": sum(not r["accepted"] for r in results),
            "max_files": BULK_UPLOAD_MAX_FILES,
            "max_size": filesizeformat(settings.PDF_MAX_UPLOAD_SIZE),
            "max_total": filesizeformat(settings.UPLOAD_MAX_REQUEST_SIZE),
            "max_pages": settings.PDF_MAX_PAGES,
            "missing_url": reverse(
                "admin:publications_publicationmissingpdf_changelist"
            ),
        }
        return TemplateResponse(request, self.bulk_upload_template, context)

    def _upload_one(self, request, upload, matched: set) -> dict:
        """Check and store one file of a batch, in its own transaction."""
        result = {"name": upload.name, "accepted": False, "publication": None}
        try:
            if PurePath(upload.name).suffix.lower() != ".pdf":
                raise ValidationError(MESSAGES["pdf_extension"], code="pdf_extension")
            publication = publication_for_file_name(
                Publication.objects.all(), upload.name
            )
            if publication is None:
                raise ValidationError(
                    MESSAGES["pdf_no_publication"],
                    code="pdf_no_publication",
                    params={
                        "slug": next(iter(slug_candidates(upload.name)), ""),
                        "example": "gas-grids.pdf",
                    },
                )
            result["publication"] = publication
            if publication.pk in matched:
                raise ValidationError(
                    MESSAGES["pdf_duplicate_in_batch"], code="pdf_duplicate_in_batch"
                )
            matched.add(publication.pk)
            check_pdf(upload)  # the slow part, before the row is locked
            with transaction.atomic():
                publication = Publication.objects.select_for_update().get(
                    pk=publication.pk
                )
                publication.pdf = upload
                publication.updated_by = request.user
                publication.save()
        except ValidationError as error:
            result["reasons"] = error.messages
            return result
        except FileNotStored as error:  # logged where it happened
            code = "pdf_storage_full" if error.full else "pdf_not_stored"
            result["reasons"] = [str(MESSAGES[code])]
            return result
        except Exception:
            logger.exception("Bulk upload of %r failed", upload.name)
            result["reasons"] = [str(MESSAGES["pdf_not_stored"])]
            return result
        field = str(Publication._meta.get_field("pdf").verbose_name)
        self.log_change(request, publication, [{"changed": {"fields": [field]}}])
        result.update(
            accepted=True,
            publication=publication,
            pages=publication.pdf_pages,
            size=publication.pdf_size,
            unchanged=publication.pdf_outcome == PdfOutcome.UNCHANGED,
        )
        return result


class MissingPdfChangeList(ChangeList):
    def url_for_result(self, result):
        # Rows open the publication itself, where its PDF is uploaded.
        return reverse(
            "admin:publications_publication_change",
            args=[result.pk],
            current_app=self.model_admin.admin_site.name,
        )


@admin.register(PublicationMissingPdf)
class PublicationMissingPdfAdmin(admin.ModelAdmin):
    """Published (or scheduled) publications without their PDF."""

    list_display = ["title", "type", "publication_date", "language", "center"]
    list_select_related = ["type", "center"]
    list_filter = ["type", "center", "language"]
    search_fields = ["title", "slug"]
    actions = None
    list_per_page = 100

    def get_queryset(self, request):
        return missing_pdf(super().get_queryset(request)).filter(
            status=Status.PUBLISHED
        )

    def get_changelist(self, request, **kwargs):
        return MissingPdfChangeList

    def has_view_permission(self, request, obj=None):
        return can_upload(request.user) or can_edit(request.user)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
