"""What may be read, and how much at once: the publications' QuerySet.

Every rule about who sees a publication is here, once: ``published()`` for
readers, ``visible_to(user)`` where a staff preview is allowed, and
``next_go_live()`` for whatever must expire when scheduled work appears.
"""

import datetime

from django.db import models
from django.db.models import Exists, Min, OuterRef, Prefetch, Q
from django.utils import timezone

from .choices import Status
from .permissions import can_preview


class PublicationQuerySet(models.QuerySet):
    def published(self):
        """What the public may see: published, and its publish-at time has come.

        Every public page, list, feed, sitemap, search and download starts here.
        """
        return self.filter(status=Status.PUBLISHED, publish_at__lte=timezone.now())

    def visible_to(self, user):
        """Everything for staff allowed to preview, what is public for others:
        the one switch of every page and file that may show a preview."""
        return self.all() if can_preview(user) else self.published()

    def next_go_live(self, now: datetime.datetime | None = None):
        """When the earliest scheduled publication becomes public (None when
        nothing is scheduled): what readers see changes then, without a save."""
        now = now or timezone.now()
        return self.filter(status=Status.PUBLISHED, publish_at__gt=now).aggregate(
            next=Min("publish_at")
        )["next"]

    def for_center(self, center):
        secondary = self.model.additional_centers.through.objects.filter(
            publication=OuterRef("pk"), researchcenter=center
        )
        return self.filter(Q(center=center) | Exists(secondary))

    def for_author(self, author):
        authorships = self._related("authorships").objects
        return self.filter(
            Exists(authorships.filter(publication=OuterRef("pk"), author=author))
        )

    def for_listing(self):
        """Everything a teaser card shows, in a fixed number of queries."""
        authorships = self._related("authorships").objects
        return self.select_related("type", "center").prefetch_related(
            Prefetch("authorships", queryset=authorships.select_related("author"))
        )

    def for_citation(self):
        """Everything ``citations.csl_json()`` reads: a card's facts and the
        topics (the article page's ``for_detail()`` has them too)."""
        return self.for_listing().prefetch_related("tags")

    def for_detail(self):
        """Everything the article page shows, in a fixed number of queries."""
        visible = self.model.objects.published()
        related = (
            self._related("related_links")
            .objects.filter(Q(target__isnull=True) | Q(target__in=visible))
            .select_related("target__type", "target__center")
        )
        authorships = self._related("authorships").objects
        return self.for_listing().prefetch_related(
            "tags",
            "additional_centers",
            Prefetch(
                "translations", queryset=visible.only("pk", "slug", "title", "language")
            ),
            Prefetch("related_links", queryset=related),
            Prefetch(
                "related_links__target__authorships",
                queryset=authorships.select_related("author"),
            ),
        )

    def _related(self, name: str) -> type[models.Model]:
        """The model at the other end of one of the publication's relations
        (Authorship, RelatedLink), which publications/models/ defines after this."""
        return self.model._meta.get_field(name).related_model
