from django.db import models
from django.utils.translation import gettext_lazy as _

from ..choices import Role
from .publication import Publication


class Authorship(models.Model):
    publication = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="authorships",
    )
    author = models.ForeignKey(
        "authors.Author",
        verbose_name=_("author"),
        on_delete=models.PROTECT,
        related_name="authorships",
    )
    role = models.CharField(
        _("role"), max_length=12, choices=Role.choices, default=Role.AUTHOR
    )
    order = models.PositiveSmallIntegerField(
        _("order"),
        default=0,
        help_text=_("Readers and citations list authors in this order."),
    )

    class Meta:
        verbose_name = _("authorship")
        verbose_name_plural = _("authors")
        ordering = ["order", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["publication", "author", "role"],
                name="unique_authorship_role",
                violation_error_message=_("This person already has this role."),
            )
        ]

    def __str__(self):
        return f"{self.author} ({self.get_role_display()})"
