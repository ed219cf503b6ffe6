from django.db import models
from django.utils.translation import gettext_lazy as _
from taggit.models import TaggedItemBase

from .publication import Publication


class TaggedPublication(TaggedItemBase):
    """A publication's topic or region: a real foreign key to the
    publication, so that tags are found by plain joins (taggit's generic
    TaggedItem needs a content type and an untyped object id)."""

    content_object = models.ForeignKey(
        Publication,
        verbose_name=_("publication"),
        on_delete=models.CASCADE,
        related_name="tagged_items",
    )

    class Meta:
        verbose_name = _("topic of a publication")
        verbose_name_plural = _("topics of publications")
        constraints = [
            models.UniqueConstraint(
                fields=["content_object", "tag"], name="unique_publication_tag"
            )
        ]

    def __str__(self):
        return f"{self.content_object_id}: {self.tag_id}"
