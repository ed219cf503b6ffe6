from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import CitationType


class PublicationType(models.Model):
    name = models.CharField(
        _("name"), max_length=100, help_text=_("Singular, e.g. “Report”.")
    )
    plural_name = models.CharField(
        _("plural label"),
        max_length=100,
        help_text=_("Shown above each publication, e.g. “External Articles”."),
    )
    slug = models.SlugField(_("slug"), max_length=100, unique=True)
    citation_type = models.CharField(
        _("cited as"),
        max_length=20,
        choices=CitationType.choices,
        default=CitationType.REPORT,
        help_text=_("How citations and reference managers describe this kind of work."),
    )
    review_required = models.BooleanField(
        _("review required"),
        default=False,
        help_text=_(
            "Publications of this type are published only once a publisher "
            "has approved them in review."
        ),
    )
    order = models.PositiveSmallIntegerField(
        _("display order"),
        default=0,
        help_text=_("Types are listed from the lowest number."),
    )

    class Meta:
        verbose_name = _("publication type")
        verbose_name_plural = _("publication types")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name
