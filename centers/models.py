from django.core.exceptions import ValidationError
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


class ResearchCenterQuerySet(models.QuerySet):
    def active(self):
        """The current centers: those the menus, the center list and the
        home page show."""
        return self.filter(is_active=True)

    def public(self):
        """Centers readers may reach: a page, its feeds, a place in the
        sitemap. The active ones, and closed ones while a visible
        publication belongs to them (it links to their page)."""
        center = OuterRef("pk")
        holding = Publication.objects.published().filter(
            Q(center=center) | Q(additional_centers=center)
        )
        return self.filter(Q(is_active=True) | Exists(holding))


class ResearchCenter(StoredFilesMixin, models.Model):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(
        _("slug"),
        max_length=200,
        unique=True,
        help_text=_("The last part of the center's web address."),
    )
    teaser = models.CharField(
        _("teaser"),
        max_length=300,
        blank=True,
        help_text=_("One sentence shown on publication pages and in lists."),
    )
    description = models.TextField(
        _("description"),
        blank=True,
        help_text=_("Shown on the center's own page. Blank lines start paragraphs."),
    )
    image = models.ImageField(
        _("image"),
        upload_to=UploadTo("centers"),
        blank=True,
        validators=[validate_image],
    )
    image_alt = models.CharField(
        _("image alternative text"),
        max_length=250,
        blank=True,
        help_text=_("Describes the image for readers who cannot see it."),
    )
    image_credit = models.CharField(
        _("image credit"),
        max_length=250,
        blank=True,
        help_text=_("Photographer or rights holder, shown in the page's credits."),
    )
    order = models.PositiveSmallIntegerField(
        _("display order"),
        default=0,
        help_text=_("Centers are listed from the lowest number."),
    )
    is_active = models.BooleanField(
        _("active"),
        default=True,
        help_text=_(
            "Inactive centers leave the menus; their page stays while a "
            "published publication belongs to them."
        ),
    )
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    objects = ResearchCenterQuerySet.as_manager()

    class Meta:
        verbose_name = _("research center")
        verbose_name_plural = _("research centers")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("centers:detail", kwargs={"slug": self.slug})

    def clean(self):
        if errors := missing_alt_text(self, ("image", "image_alt")):
            raise ValidationError(errors)
