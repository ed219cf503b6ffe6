"""Full-analysis PDF documents: checks on upload, facts read from the file,
and storing a new PDF with its history.

The flow (DESIGN.md, "PDF upload"): cheap checks on the name, size and first
bytes here; then the file is parsed, searched for active content, its text
extracted and its first page drawn in a child process with hard limits
(``publications.pdfcheck``); then the file, its thumbnail, a ``PdfVersion``
row and the publication row are stored together, and taken back together if
any step fails.
"""

import hashlib
import logging
import tempfile
import weakref
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.formats import number_format
from django.utils.translation import gettext_lazy as _

from ifri.filestore import files_removed_on_error, store_upload
from ifri.uploads import is_new_upload, uploaded_file

from . import pdfcheck

logger = logging.getLogger(__name__)

# Extracted text kept for search, in UTF-8 bytes; a 2,000-page report rarely
# has more than a few megabytes, and search needs far less.
PDF_TEXT_MAX_BYTES = 2 * 1024 * 1024

MESSAGES = {
    "pdf_extension": _("Upload a PDF file: the file name must end in .pdf."),
    "pdf_empty": _("This file is empty."),
    "pdf_too_large": _("This PDF is %(size)s; the limit is %(limit)s."),
    "pdf_signature": _(
        "This file is not a PDF (it does not start with the PDF signature). "
        "Export the document as PDF and upload it again."
    ),
    "pdf_unreadable": _(
        "This PDF is damaged or incomplete and cannot be read. "
        "Export it again and upload the new file."
    ),
    "pdf_encrypted": _(
        "This PDF is password-protected. Upload a version without a password."
    ),
    "pdf_no_pages": _("This PDF has no pages."),
    "pdf_too_many_pages": _("This PDF has %(pages)s pages; the limit is %(limit)s."),
    "pdf_javascript": _(
        "This PDF contains JavaScript, which readers' PDF viewers could run. "
        "Export it again without scripts or interactive form features."
    ),
    "pdf_launch": _(
        "This PDF contains an action that launches a program or opens a file. "
        "Export it again without it."
    ),
    "pdf_form_script": _(
        "This PDF is an interactive (XFA) form with scripts, which readers' PDF "
        "viewers could run. Export it again as a plain PDF, without form features."
    ),
    "pdf_automatic_action": _(
        "This PDF sends form data, loads data or opens another document by "
        "itself, when it is opened, a page is shown or a form field is used. "
        "Export it again without these actions."
    ),
    "pdf_rich_media": _(
        "This PDF contains rich media (Flash, video or 3D content with its own "
        "player), which readers' PDF viewers could run. Export it again without it."
    ),
    "pdf_embedded_file": _(
        "This PDF has files attached inside it. Remove the attachments, or "
        "export it again as a plain PDF."
    ),
    "pdf_too_complex": _(
        "This PDF is too large or too complex to open safely: it could not be "
        "checked within the limits of %(seconds)s s and %(memory)s of memory. "
        "Export it again (for example with a “reduce file size” option) and "
        "upload the new file."
    ),
    # Bulk upload: matching files to publications.
    "pdf_no_publication": _(
        "No publication has the address “%(slug)s”. Name the file after the "
        "publication's slug, e.g. %(example)s."
    ),
    "pdf_duplicate_in_batch": _(
        "Another file in this batch was already matched to this publication."
    ),
    "pdf_storage_full": _(
        "This file was not stored: the server has no room left (its disk is "
        "full). The publication keeps its previous PDF. Tell the web team, and "
        "upload the file again once they have made room."
    ),
    "pdf_not_stored": _(
        "This file was not stored because of an error on the server. The "
        "publication keeps its previous PDF. Try again, and tell the web team "
        "if it happens again."
    ),
}


class PdfOutcome:
    """What saving a publication with a new upload did, for the admin's message."""

    NEW = "new"  # a new version, now current
    UNCHANGED = "unchanged"  # the same bytes as the current version
    RESTORED = "restored"  # the same bytes as an earlier version, current again


class PdfFieldFile(FieldFile):
    """A stored PDF whose address is the download view, never the storage."""

    @property
    def url(self):
        if not self:
            raise ValueError(f"The '{self.field.name}' attribute has no file.")
        return self.instance.get_pdf_url()


class PdfFileField(models.FileField):
    attr_class = PdfFieldFile

    def formfield(self, **kwargs):
        messages = {"empty": MESSAGES["pdf_empty"], **kwargs.pop("error_messages", {})}
        # max_length is for the stored name, which UploadTo generates: the name
        # the file had on the editor's computer may be as long as it likes.
        kwargs = {"max_length": None, **kwargs}
        return super().formfield(error_messages=messages, **kwargs)


@dataclass(frozen=True)
class PdfReport:
    """What the checks found in an accepted PDF."""

    size: int
    pages: int
    sha256: str
    title: str  # from the document information, may be empty
    language: str  # the catalog's /Lang, e.g. "fr-FR", may be empty
    tagged: bool  # has a structure tree and is marked as tagged
    shows_title: bool  # viewers show its title as the window title
    text: str
    text_complete: bool  # False when cut at the size or time limit
    thumbnail: bytes  # the first page, WebP


# Checking ------------------------------------------------------------------

# Each checked upload's report: form validation and save read the file once.
checked_pdfs: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def validate_pdf(upload) -> None:
    """Refuse files that are not PDFs we accept, before anything is stored.

    Files already stored were checked when they arrived and are not read again.
    """
    if is_new_upload(upload):
        check_pdf(upload)


def check_pdf(upload) -> PdfReport:
    """Check an uploaded PDF; raise ValidationError with every reason to refuse.

    The report is kept on the upload, so the save that follows a form's
    validation does not read the file twice.
    """
    source = uploaded_file(upload)
    if (report := checked_pdfs.get(source)) is not None:
        return report
    if PurePath(upload.name or "").suffix.lower() != ".pdf":
        raise ValidationError(MESSAGES["pdf_extension"], code="pdf_extension")
    # upload.size is known before the content is read: refuse early. The
    # upload handler (ifri.upload_handlers) already stopped keeping the bytes.
    if upload.size == 0:
        raise ValidationError(MESSAGES["pdf_empty"], code="pdf_empty")
    limit = settings.PDF_MAX_UPLOAD_SIZE
    if upload.size > limit:
        raise ValidationError(
            MESSAGES["pdf_too_large"],
            code="pdf_too_large",
            params={
                "size": filesizeformat(upload.size),
                "limit": filesizeformat(limit),
            },
        )
    source.seek(0)
    head = source.read(pdfcheck.HEAD_SIZE)
    source.seek(0)
    if not pdfcheck.starts_like_pdf(head):
        raise ValidationError(MESSAGES["pdf_signature"], code="pdf_signature")

    with tempfile.TemporaryDirectory(prefix="pdfcheck-") as workdir:
        workdir = Path(workdir)
        path, sha256 = _local_copy(source, workdir)
        found = _run_in_child(path, workdir)
        report = PdfReport(
            size=upload.size,
            pages=found["pages"],
            sha256=sha256,
            title=found["title"],
            language=found["language"],
            tagged=found["tagged"],
            shows_title=found["shows_title"],
            text=(workdir / pdfcheck.TEXT_FILE).read_text(encoding="utf-8"),
            text_complete=found["text_complete"],
            thumbnail=(workdir / pdfcheck.THUMBNAIL_FILE).read_bytes(),
        )
    checked_pdfs[source] = report
    return report


def _local_copy(source, workdir: Path) -> tuple[Path, str]:
    """A path the child can open, and the file's SHA-256."""
    digest = hashlib.sha256()
    temporary = getattr(source, "temporary_file_path", None)
    if temporary is not None:
        # Large uploads are already on disk: hash them where they are.
        path = Path(temporary())
        with path.open("rb") as handle:
            while chunk := handle.read(1024 * 1024):
                digest.update(chunk)
    else:
        path = workdir / "upload.pdf"
        with path.open("wb") as handle:
            for chunk in source.chunks():
                digest.update(chunk)
                handle.write(chunk)
        source.seek(0)
    return path, digest.hexdigest()


def check_limits() -> pdfcheck.Limits:
    """The limits every check of a file runs under, from the settings."""
    return pdfcheck.Limits(
        max_pages=settings.PDF_MAX_PAGES,
        timeout=settings.PDF_CHECK_TIMEOUT,
        memory=settings.PDF_CHECK_MEMORY,
        text_bytes=PDF_TEXT_MAX_BYTES,
    )


def _run_in_child(path: Path, workdir: Path) -> dict:
    result = pdfcheck.check_in_child(path, workdir, check_limits())
    killed, stderr = result.get("killed"), result.get("stderr", "")
    if isinstance(killed, int) and killed > 0:
        # Python itself failed in the child: not the file.
        logger.error("PDF check exited with status %s:\n%s", killed, stderr)
    elif killed is not None:
        logger.warning("PDF check stopped (%s): refused as too complex", killed)
    if error := result.get("error"):
        logger.error("PDF check failed: %s\n%s", error, stderr)
    if codes := result.get("refused"):
        params = {**limit_params(), **(result.get("params") or {})}
        raise ValidationError(
            [ValidationError(MESSAGES[c], code=c, params=params) for c in codes]
        )
    return result


def limit_params() -> dict:
    """The limits the checks apply, as the refusal messages state them."""
    timeout = settings.PDF_CHECK_TIMEOUT
    return {
        # 60.0 reads "60", as it was set.
        "seconds": number_format(int(timeout) if timeout == int(timeout) else timeout),
        "memory": filesizeformat(settings.PDF_CHECK_MEMORY),
        "limit": settings.PDF_MAX_PAGES,
    }


# Storing -------------------------------------------------------------------


def save_with_new_pdf(publication, save_row: Callable[[], None]):
    """Save a publication whose ``pdf`` holds a new upload; return its version.

    Checks the file (or takes the form validation's report), stores it under
    a generated name with its first-page thumbnail, saves the row and records
    the version, all or nothing. The same bytes as a version already kept make
    that version current again instead of storing a copy.
    """
    from .models import PdfVersion

    report = check_pdf(publication.pdf)
    with files_removed_on_error(), transaction.atomic():
        if publication.pk is not None:
            # One upload at a time per publication: the versions change below.
            type(publication).objects.select_for_update().filter(
                pk=publication.pk
            ).exists()
            same = PdfVersion.objects.filter(
                publication_id=publication.pk, sha256=report.sha256
            ).first()
            if same is not None:
                publication.pdf_outcome = (
                    PdfOutcome.UNCHANGED if same.is_current else PdfOutcome.RESTORED
                )
                point_to_version(publication, same)
                save_row()
                make_current(same)
                return same
        upload, field = publication.pdf, publication._meta.get_field("pdf")
        store_upload(publication, field, upload.file, upload.name)
        store_thumbnail(publication, report)
        publication.pdf_size, publication.pdf_pages = report.size, report.pages
        save_row()
        PdfVersion.objects.filter(
            publication_id=publication.pk, is_current=True
        ).update(is_current=False)
        version = PdfVersion.objects.create(
            publication=publication,
            file=publication.pdf.name,
            thumbnail=publication.pdf_thumbnail.name,
            size=report.size,
            pages=report.pages,
            sha256=report.sha256,
            title=report.title,
            language=report.language,
            is_tagged=report.tagged,
            shows_title=report.shows_title,
            text=report.text,
            text_complete=report.text_complete,
            uploaded_by_id=publication.updated_by_id,
            is_current=True,
        )
    publication.pdf_outcome = PdfOutcome.NEW
    return version


def store_thumbnail(publication, report: PdfReport) -> None:
    """Store the first page, for lists and cards (private like the
    publication's images until it is published: publications/media.py)."""
    field = publication._meta.get_field("pdf_thumbnail")
    store_upload(publication, field, ContentFile(report.thumbnail), "first-page.webp")


def point_to_version(publication, version) -> None:
    """Make the publication's file fields show a version kept in the history."""
    publication.pdf = version.file.name
    publication.pdf_thumbnail = version.thumbnail.name
    publication.pdf_size, publication.pdf_pages = version.size, version.pages


def make_current(version) -> None:
    type(version).objects.filter(
        publication_id=version.publication_id, is_current=True
    ).exclude(pk=version.pk).update(is_current=False)
    if not version.is_current:
        type(version).objects.filter(pk=version.pk).update(is_current=True)
        version.is_current = True


def restore_version(version, user) -> None:
    """Make an earlier version the publication's PDF again; its URL is kept."""
    from .models import Publication

    with transaction.atomic():
        publication = Publication.objects.select_for_update().get(
            pk=version.publication_id
        )
        point_to_version(publication, version)
        publication.updated_by = user
        publication.save()
        make_current(version)
