"""Full-analysis PDF documents: checks on upload and facts read from the file."""

from dataclasses import dataclass
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models.fields.files import FieldFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from pypdf import PdfReader

PDF_SIGNATURE = b"%PDF-"

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
}


class PdfFieldFile(FieldFile):
    """A stored PDF whose address is the download view, never the storage."""

    @property
    def url(self):
        self._require_file()
        return self.instance.get_pdf_url()


class PdfFileField(models.FileField):
    attr_class = PdfFieldFile

    def formfield(self, **kwargs):
        messages = {"empty": MESSAGES["pdf_empty"], **kwargs.pop("error_messages", {})}
        return super().formfield(error_messages=messages, **kwargs)


@dataclass(frozen=True)
class PdfFacts:
    pages: int
    size: int


def validate_pdf(upload) -> None:
    """Refuse files that are not PDFs, before anything is stored.

    Files already stored were checked when they arrived and are not read again.
    """
    if getattr(upload, "_committed", False):
        return
    if PurePath(upload.name).suffix.lower() != ".pdf":
        raise ValidationError(MESSAGES["pdf_extension"], code="pdf_extension")
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
    upload.seek(0)
    head = upload.read(1024)
    upload.seek(0)
    if PDF_SIGNATURE not in head:
        raise ValidationError(MESSAGES["pdf_signature"], code="pdf_signature")
    inspect_pdf(upload)


def inspect_pdf(upload) -> PdfFacts:
    """Read the page count; raise ValidationError if the PDF cannot be read."""
    upload.seek(0)
    try:
        reader = PdfReader(upload, strict=False)
        if reader.is_encrypted:
            raise ValidationError(MESSAGES["pdf_encrypted"], code="pdf_encrypted")
        pages = len(reader.pages)
    except ValidationError:
        raise
    except Exception as exc:  # pypdf raises many kinds of error on damaged files
        raise ValidationError(
            MESSAGES["pdf_unreadable"], code="pdf_unreadable"
        ) from exc
    finally:
        upload.seek(0)
    if pages < 1:
        raise ValidationError(MESSAGES["pdf_unreadable"], code="pdf_unreadable")
    return PdfFacts(pages=pages, size=upload.size)
