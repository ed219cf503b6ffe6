from functools import partial

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorField
from taggit.managers import TaggableManager

from ifri.storage import private_storage as lazy_private_storage
from ifri.uploads import (
    StoredFilesMixin,
    UploadTo,
    is_new_upload,
    missing_alt_text,
    validate_image,
)

from ..choices import Language, Status
from ..documents import PdfFileField, save_with_new_pdf, validate_pdf
from ..media import PublicationImageField
from ..permissions import PREVIEW_CODENAME, PUBLISH_CODENAME, UPLOAD_CODENAME
from ..querysets import PublicationQuerySet
from .presentation import PublicationPresentation
from .types import PublicationType

# What editors may use in a publication's body; the same list drives the
# editor's toolbar and the sanitiser applied on every save.
BODY_EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    "Subscript": True,
    "Superscript": True,
    "Heading": {"levels": [2, 3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "HorizontalRule": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
}

# Fields a new PDF upload sets besides ``pdf`` itself.
PDF_FIELDS = ("pdf", "pdf_size", "pdf_pages", "pdf_thumbnail")
# Changed only by atomic increments (publications/delivery.py): a save of an
# existing row never writes back the value it read, which would erase the
# downloads counted since.
COUNTER_FIELDS = frozenset({"download_count"})


def private_storage():
    """Storage without public URLs: PDFs are served only by the download view,
    publications' images by publications.media.

    A proxy for ``storages["private"]``: the field calls this once, at import,
    and the proxy follows later changes of STORAGES (see ifri/storage.py).
    """
    return lazy_private_storage


class Publication(PublicationPresentation, StoredFilesMixin, models.Model):
    # Content
    title = models.CharField(_("title"), max_length=300)
    subtitle = models.CharField(_("subtitle"), max_length=300, blank=True)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_(
            "The last part of the web address. Keep it once published: "
            "links and citations point to it."
        ),
    )
    type = models.ForeignKey(
        PublicationType,
        verbose_name=_("type"),
        on_delete=models.PROTECT,
        related_name="publications",
    )
    language = models.CharField(
        _("language"),
        max_length=2,
        choices=Language.choices,
        default=Language.ENGLISH,
        help_text=_("The language the publication is written in."),
    )
    teaser = models.TextField(
        _("teaser"),
        help_text=_(
            "The summary shown under the title, in lists and by search engines. "
            "Two or three sentences."
        ),
    )
    body = ProseEditorField(
        _("body"),
        extensions=BODY_EXTENSIONS,
        sanitize=True,
        blank=True,
        help_text=_("Use headings to divide the text into sections."),
    )

    # Images
    # Images are private until the publication is public (publications/media.py).
    main_image = PublicationImageField(
        _("main image"),
        upload_to=UploadTo("publications"),
        storage=private_storage,
        blank=True,
        validators=[validate_image],
        help_text=_("Shown at the top of the article page."),
    )
    main_image_alt = models.CharField(
        _("main image alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Describes the image for readers who cannot see it."),
    )
    main_image_caption = models.CharField(
        _("main image caption"), max_length=300, blank=True
    )
    main_image_credit = models.CharField(
        _("main image credit"),
        max_length=250,
        blank=True,
        help_text=_("Photographer or rights holder, shown in the page's credits."),
    )
    cover_image = PublicationImageField(
        _("cover image"),
        upload_to=UploadTo("covers"),
        storage=private_storage,
        blank=True,
        validators=[validate_image],
        help_text=_(
            "Shown in lists and related publications. The main image is used "
            "when there is none."
        ),
    )
    cover_image_alt = models.CharField(
        _("cover image alternative text"), max_length=250, blank=True
    )
    cover_image_credit = models.CharField(
        _("cover image credit"), max_length=250, blank=True
    )

    # Authors, centers, topics
    authors = models.ManyToManyField(
        "authors.Author",
        through="Authorship",
        verbose_name=_("authors"),
        related_name="publications",
    )
    center = models.ForeignKey(
        "centers.ResearchCenter",
        verbose_name=_("research center"),
        on_delete=models.PROTECT,
        related_name="publications",
        help_text=_("The center this publication belongs to."),
    )
    additional_centers = models.ManyToManyField(
        "centers.ResearchCenter",
        verbose_name=_("other research centers"),
        related_name="secondary_publications",
        blank=True,
        help_text=_("Other centers that contributed, if any."),
    )
    tags = TaggableManager(
        through="TaggedPublication",
        verbose_name=_("topics and regions"),
        blank=True,
        help_text=_("Comma-separated, e.g. “Energy, Sahel, European Union”."),
    )
    translations = models.ManyToManyField(
        "self",
        verbose_name=_("translations"),
        blank=True,
        help_text=_("The same study in another language."),
    )
    is_featured = models.BooleanField(
        _("featured"),
        default=False,
        help_text=_("Featured publications are shown first on the home page."),
    )

    # Full analysis
    pdf = PdfFileField(
        _("full-analysis PDF"),
        upload_to=UploadTo("pdf"),
        storage=private_storage,
        blank=True,
        validators=[validate_pdf],
        help_text=_("The complete study as a PDF file."),
    )
    pdf_size = models.PositiveBigIntegerField(_("PDF size"), null=True, editable=False)
    pdf_pages = models.PositiveIntegerField(
        _("PDF page count"), null=True, editable=False
    )
    pdf_thumbnail = PublicationImageField(
        _("PDF first page"),
        upload_to=UploadTo("pdf-thumbnails"),
        storage=private_storage,
        blank=True,
        editable=False,
        help_text=_(
            "Drawn from the PDF; shown as the cover when there is no cover or "
            "main image."
        ),
    )
    download_count = models.PositiveIntegerField(
        _("PDF downloads"), default=0, editable=False
    )

    # First published elsewhere
    publisher = models.CharField(
        _("published in"),
        max_length=250,
        blank=True,
        help_text=_(
            "For articles first published elsewhere: the journal, newspaper or "
            "publisher."
        ),
    )
    volume = models.CharField(_("volume"), max_length=50, blank=True)
    issue = models.CharField(_("issue"), max_length=50, blank=True)
    pages = models.CharField(
        _("pages"), max_length=50, blank=True, help_text=_("For example “45-67”.")
    )
    external_url = models.URLField(
        _("original URL"),
        max_length=500,
        blank=True,
        help_text=_("Where the article was first published."),
    )
    doi = models.CharField(
        _("DOI"),
        max_length=200,
        blank=True,
        help_text=_("For example 10.1234/abcd.5678, without “https://doi.org/”."),
    )

    # Publishing
    status = models.CharField(
        _("status"),
        max_length=10,
        choices=Status.choices,
        default=Status.DRAFT,
        help_text=_("Only published publications are visible to readers."),
    )
    publication_date = models.DateField(
        _("publication date"),
        default=timezone.localdate,
        help_text=_("The date readers see."),
    )
    publish_at = models.DateTimeField(
        _("go live at"),
        default=timezone.now,
        help_text=_(
            "When a published publication becomes visible. A future time schedules it."
        ),
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("last changed by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = PublicationQuerySet.as_manager()

    # Replaced PDFs and thumbnails stay: PdfVersion rows refer to them.
    keep_replaced_files = ("pdf", "pdf_thumbnail")

    class Meta:
        verbose_name = _("publication")
        verbose_name_plural = _("publications")
        ordering = ["-publication_date", "-publish_at"]
        get_latest_by = "publication_date"
        permissions = [
            (
                PUBLISH_CODENAME,
                _("Can publish and unpublish publications"),
            ),
            (
                UPLOAD_CODENAME,
                _("Can replace a publication's PDF and images"),
            ),
            (
                PREVIEW_CODENAME,
                _("Can preview unpublished publications"),
            ),
        ]
        indexes = [
            models.Index(fields=["status", "publish_at"], name="pub_visibility_idx"),
            models.Index(
                fields=["-publication_date", "-publish_at"], name="pub_date_idx"
            ),
            models.Index(fields=["language"], name="pub_language_idx"),
            # Counting a filtered list reads this index alone (PostgreSQL
            # covers the filtered columns; SQLite indexes publish_at only).
            models.Index(
                fields=["publish_at"],
                include=["id", "type", "center", "language", "publication_date"],
                condition=Q(status="published"),
                name="pub_visible_listing_idx",
            ),
        ]

    def __str__(self):
        return self.title

    def save(self, *args, **kwargs):
        # The form sanitises too; this also covers imports and scripts.
        self.body = self._meta.get_field("body").sanitize(self.body or "")
        if not self._state.adding and kwargs.get("update_fields") is None:
            kwargs["update_fields"] = [
                field.name
                for field in self._meta.concrete_fields
                if not field.primary_key and field.name not in COUNTER_FIELDS
            ]
        if self.pdf and is_new_upload(self.pdf):
            # A new PDF: checked, stored with its thumbnail and recorded as
            # the current version, with this row, all or nothing.
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], *PDF_FIELDS}
            save_with_new_pdf(self, partial(super().save, *args, **kwargs))
            return
        had_pdf = not self.pdf and self.pdf_size is not None
        if not self.pdf:
            self.pdf_pages = self.pdf_size = None
            self.pdf_thumbnail = ""
        super().save(*args, **kwargs)
        if had_pdf:  # removed: its versions stay in the history
            self.pdf_versions.filter(is_current=True).update(is_current=False)

    def get_absolute_url(self):
        return reverse("publications:detail", kwargs={"slug": self.slug})

    def clean(self):
        errors = missing_alt_text(
            self,
            ("main_image", "main_image_alt"),
            ("cover_image", "cover_image_alt"),
        )
        if errors:
            raise ValidationError(errors)

    def get_pdf_url(self):
        return reverse("publications:pdf", kwargs={"slug": self.slug})

    @property
    def is_visible(self) -> bool:
        return self.status == Status.PUBLISHED and self.publish_at <= timezone.now()

    @property
    def is_scheduled(self) -> bool:
        return self.status == Status.PUBLISHED and self.publish_at > timezone.now()
