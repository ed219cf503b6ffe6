from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ifri.uploads import StoredFilesMixin, UploadTo

from .publication import Publication, private_storage


class PdfVersion(StoredFilesMixin, models.Model):
    """A full-analysis PDF a publication has had: the current one and those it
    replaced, kept so that an editor can restore one."""

    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="pdf_versions",
    )
    file = models.FileField(
        _("PDF file"), upload_to=UploadTo("pdf"), storage=private_storage
    )
    thumbnail = models.ImageField(
        _("first page"),
        upload_to=UploadTo("pdf-thumbnails"),
        storage=private_storage,
        blank=True,
    )
    size = models.PositiveBigIntegerField(_("size"))
    pages = models.PositiveIntegerField(_("pages"))
    sha256 = models.CharField(
        _("SHA-256"),
        max_length=64,
        blank=True,
        help_text=_("Fingerprint of the file's bytes: the same file, the same value."),
    )
    title = models.CharField(
        _("title in the PDF"),
        max_length=300,
        blank=True,
        help_text=_("The title stored in the file's properties, if any."),
    )
    language = models.CharField(
        _("language of the PDF"),
        max_length=35,
        blank=True,
        help_text=_("As declared in the file, e.g. “fr-FR”, if it says."),
    )
    # Accessibility facts read at upload (publications.pdfcheck.accessibility);
    # empty for files stored before they were read, until the
    # check_pdf_accessibility command reads them.
    is_tagged = models.BooleanField(
        _("tagged"),
        null=True,
        help_text=_(
            "Whether the file has a structure tree (tags) that screen readers "
            "follow: headings, lists, reading order."
        ),
    )
    shows_title = models.BooleanField(
        _("title shown"),
        null=True,
        help_text=_(
            "Whether PDF viewers show the document's title, not its file name, "
            "as the window title."
        ),
    )
    text = models.TextField(
        _("text"), blank=True, help_text=_("The text read from the PDF, for search.")
    )
    text_complete = models.BooleanField(
        _("whole text read"),
        default=True,
        help_text=_("No when the text was cut at the size or time limit."),
    )
    uploaded_at = models.DateTimeField(_("uploaded"), default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("uploaded by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    is_current = models.BooleanField(
        _("current"), default=False, help_text=_("The PDF readers download.")
    )

    class Meta:
        verbose_name = _("PDF version")
        verbose_name_plural = _("PDF versions")
        ordering = ["-uploaded_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication"],
                condition=Q(is_current=True),
                name="one_current_pdf_version",
            ),
            models.UniqueConstraint(
                fields=["publication", "sha256"],
                condition=~Q(sha256=""),
                name="unique_pdf_version_content",
            ),
        ]

    def __str__(self):
        return _("%(pages)s-page PDF of %(date)s") % {
            "pages": self.pages,
            "date": timezone.localtime(self.uploaded_at).strftime("%Y-%m-%d %H:%M"),
        }


class PublicationMissingPdf(Publication):
    """Published publications without their PDF: the uploaders' to-do list."""

    class Meta:
        proxy = True
        verbose_name = _("publication missing its PDF")
        verbose_name_plural = _("publications missing their PDF")
