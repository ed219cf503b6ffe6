from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .publication import Publication


class RelatedLink(models.Model):
    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="related_links",
    )
    target = models.ForeignKey(
        Publication,
        verbose_name=_("related publication"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="linked_from",
        help_text=_("Another publication of ours…"),
    )
    url = models.URLField(
        _("external address"),
        max_length=500,
        blank=True,
        help_text=_("…or a page elsewhere, such as a partner's dossier."),
    )
    title = models.CharField(
        _("title"),
        max_length=300,
        blank=True,
        help_text=_("Required for an external page; optional for a publication."),
    )
    label = models.CharField(
        _("label"),
        max_length=100,
        blank=True,
        help_text=_("A short note shown above the link, e.g. “Partner dossier”."),
    )
    order = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("related link")
        verbose_name_plural = _("related links")
        ordering = ["order", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=(
                    Q(target__isnull=False, url="")
                    | Q(target__isnull=True) & ~Q(url="")
                ),
                name="related_link_has_one_target",
                violation_error_message=_(
                    "Choose a publication or enter an external address, not both."
                ),
            )
        ]

    def __str__(self):
        return self.title or str(self.target or self.url)

    def clean(self):
        if self.target_id is None and not self.url:
            raise ValidationError(
                _("Choose a publication or enter an external address."),
                code="no_target",
            )
        if self.target_id and self.url:
            raise ValidationError(
                _("Choose a publication or enter an external address, not both."),
                code="two_targets",
            )
        if self.url and not self.title:
            raise ValidationError(
                {"title": _("Give the external page a title.")}, code="no_title"
            )
        if self.target_id and self.target_id == self.publication_id:
            raise ValidationError(
                {"target": _("A publication cannot be related to itself.")},
                code="self_link",
            )

    @property
    def is_external(self) -> bool:
        return self.target_id is None
