from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from ifri.uploads import (
    StoredFilesMixin,
    UploadTo,
    missing_alt_text,
    validate_image,
)
from publications.models import Publication

validate_orcid = RegexValidator(
    r"^\d{4}-\d{4}-\d{4}-\d{3}[\dX]$",
    _("Enter an ORCID iD such as 0000-0002-1825-0097."),
    code="orcid",
)


class AuthorQuerySet(models.QuerySet):
    def active(self):
        """The institute's current authors: those the author list shows."""
        return self.filter(is_active=True)

    def public(self):
        """Authors readers may reach: a page, its feeds, a place in the
        sitemap. The active ones, even before their first publication, and
        former ones while a visible publication credits them (it links to
        their page)."""
        credited = Publication.objects.published().filter(
            authorships__author=OuterRef("pk")
        )
        return self.filter(Q(is_active=True) | Exists(credited))


class Author(StoredFilesMixin, models.Model):
    given_name = models.CharField(_("given name"), max_length=100)
    family_name = models.CharField(_("family name"), max_length=100)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("The last part of the author's web address."),
    )
    photo = models.ImageField(
        _("photo"),
        upload_to=UploadTo("authors"),
        blank=True,
        validators=[validate_image],
    )
    photo_alt = models.CharField(
        _("photo alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Describes the photo for readers who cannot see it."),
    )
    photo_credit = models.CharField(
        _("photo credit"),
        max_length=250,
        blank=True,
        help_text=_("Photographer or rights holder, shown in the page's credits."),
    )
    job_title = models.CharField(
        _("job title"),
        max_length=200,
        blank=True,
        help_text=_("For example “Research Fellow, Africa Center”."),
    )
    bio = models.TextField(
        _("short biography"),
        blank=True,
        help_text=_("A few sentences. Blank lines start paragraphs."),
    )
    centers = models.ManyToManyField(
        "centers.ResearchCenter",
        verbose_name=_("research centers"),
        related_name="authors",
        blank=True,
    )
    orcid = models.CharField(
        _("ORCID iD"),
        max_length=19,
        blank=True,
        validators=[validate_orcid],
        help_text=_("For researchers who have one: 0000-0002-1825-0097."),
    )
    affiliation = models.CharField(
        _("external affiliation"),
        max_length=250,
        blank=True,
        help_text=_("For outside contributors: their university or organisation."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Inactive authors leave the author list; their page stays while "
            "a published publication credits them."
        ),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = AuthorQuerySet.as_manager()

    class Meta:
        verbose_name = _("author")
        verbose_name_plural = _("authors")
        ordering = ["family_name", "given_name"]
        indexes = [models.Index(fields=["family_name", "given_name"])]

    def __str__(self):
        return self.full_name

    def get_absolute_url(self):
        return reverse("authors:detail", kwargs={"slug": self.slug})

    def clean(self):
        if errors := missing_alt_text(self, ("photo", "photo_alt")):
            raise ValidationError(errors)

    @property
    def full_name(self) -> str:
        return f"{self.given_name} {self.family_name}".strip()

    @property
    def orcid_url(self) -> str:
        return f"https://orcid.org/{self.orcid}" if self.orcid else ""
