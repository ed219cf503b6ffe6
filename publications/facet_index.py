"""What search counts and sorts by, held in memory: every visible
publication's type, centers, authors, topics, year and language, and its
place in date order, as numpy arrays.

Counting the facets of a word found in half of 100,000 publications takes
PostgreSQL 150 ms or more (a row fetched, then joined with its authorships
and topics, per match); here it is a few vectorised passes over arrays,
about a millisecond, whatever the number of matches. Search asks the
database only which publications match (publications/search.py).

The index is built from ``Publication.objects.published()`` (the one
visibility rule) for the current content version, which every change to a
publication, author, center or topic bumps (publications/caching.py), and
expires at the next scheduled go-live. One process builds it and shares it
through the cache; each process keeps the current one in memory. Rows are
always read back through ``published()``, so a stale count can never show
a draft.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.core.cache import cache
from django.db.models import Min
from django.db.models.functions import ExtractYear
from django.utils import timezone
from taggit.models import Tag, TaggedItem

from authors.models import Author

from .caching import content_version
from .models import Authorship, Publication, Status

CACHE_KEY = "facet-index:{version}"
CACHE_TIMEOUT = 24 * 3600  # a new version makes a new key anyway
DATE_ORDER = ("-publication_date", "-publish_at", "-pk")


@dataclass(frozen=True)
class Column:
    """A facet with one value per publication: ``codes[row]`` is the
    position of the row's value in ``values``."""

    codes: np.ndarray
    values: tuple

    def matching(self, value, size: int) -> np.ndarray:
        try:
            code = self.values.index(value)
        except ValueError:
            return np.zeros(size, dtype=bool)
        return self.codes == code

    def count(self, mask: np.ndarray) -> np.ndarray:
        return np.bincount(self.codes[mask], minlength=len(self.values))


@dataclass(frozen=True)
class Pairs:
    """A facet with any number of values per publication: (row, code)
    pairs, each once, ``values`` the primary keys the codes stand for."""

    rows: np.ndarray
    codes: np.ndarray
    values: tuple

    def matching(self, value, size: int) -> np.ndarray:
        mask = np.zeros(size, dtype=bool)
        try:
            code = self.values.index(value)
        except ValueError:
            return mask
        mask[self.rows[self.codes == code]] = True
        return mask

    def count(self, mask: np.ndarray) -> np.ndarray:
        return np.bincount(self.codes[mask[self.rows]], minlength=len(self.values))


@dataclass(frozen=True)
class FacetIndex:
    """The visible publications, one row each, newest first."""

    ids: np.ndarray  # primary key by row
    columns: dict  # type, year, lang: Column
    pairs: dict  # center, author, tag: Pairs
    labels: dict  # author, tag: {pk: (slug, label, second label)}
    version: int
    expires_at: object  # the next go-live, or None

    @property
    def size(self) -> int:
        return len(self.ids)

    def rows_of(self, pks) -> np.ndarray:
        """The rows of these primary keys, in no particular order; keys of
        publications that are not visible are dropped."""
        rows, _found = _locate(self.ids, pks)
        return rows

    def mask_of(self, pks) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[self.rows_of(pks)] = True
        return mask

    def matching(self, name: str, value) -> np.ndarray:
        """The rows a filter keeps."""
        facet = self.columns.get(name) or self.pairs[name]
        return facet.matching(value, self.size)

    def count(self, name: str, mask: np.ndarray) -> list[tuple]:
        """(value, count) of a facet over the rows of ``mask``, counted
        values only."""
        facet = self.columns.get(name) or self.pairs[name]
        counts = facet.count(mask)
        return [
            (facet.values[code], int(counts[code])) for code in np.flatnonzero(counts)
        ]

    def is_current(self, version: int, now) -> bool:
        return self.version == version and (
            self.expires_at is None or now < self.expires_at
        )


def _locate(ids: np.ndarray, pks) -> tuple[np.ndarray, np.ndarray]:
    """The rows of ``pks`` in ``ids``, and which of ``pks`` were found."""
    pks = np.asarray(pks, dtype=np.int64)
    if not len(ids):
        return np.zeros(0, dtype=np.int64), np.zeros(len(pks), dtype=bool)
    order = np.argsort(ids)
    by_pk = ids[order]
    positions = np.searchsorted(by_pk, pks)
    positions[positions == len(by_pk)] = 0
    found = by_pk[positions] == pks
    return order[positions[found]], found


def _pairs(ids: np.ndarray, found: list[tuple]) -> Pairs:
    """(publication pk, value pk) pairs as rows and codes, each pair once;
    pairs of publications that are not visible are dropped."""
    if not found:
        empty = np.zeros(0, dtype=np.int64)
        return Pairs(empty, empty, ())
    pks, value_pks = (
        np.array(column, dtype=np.int64) for column in zip(*found, strict=True)
    )
    rows, kept = _locate(ids, pks)
    values, codes = np.unique(value_pks[kept], return_inverse=True)
    width = max(len(values), 1)
    unique = np.unique(rows * width + codes)
    return Pairs(unique // width, unique % width, tuple(int(v) for v in values))


def build(version: int) -> FacetIndex:
    """Read the visible publications and their facets (seven queries)."""
    now = timezone.now()
    visible = list(
        zip(
            *list(
                Publication.objects.published()
                .order_by(*DATE_ORDER)
                .annotate(year=ExtractYear("publication_date"))
                .values_list("pk", "type_id", "center_id", "language", "year")
            ),
            strict=True,
        )
    ) or [(), (), (), (), ()]
    ids = np.array(visible[0], dtype=np.int64)
    columns = {}
    for name, values in (("type", visible[1]), ("lang", visible[3])):
        keys, codes = np.unique(np.array(values, dtype=object), return_inverse=True)
        columns[name] = Column(codes.astype(np.int64), tuple(keys.tolist()))
    years, codes = np.unique(np.array(visible[4], dtype=np.int64), return_inverse=True)
    columns["year"] = Column(codes.astype(np.int64), tuple(int(y) for y in years))

    others = Publication.additional_centers.through.objects.values_list(
        "publication_id", "researchcenter_id"
    )
    content_type = ContentType.objects.get_for_model(Publication)
    pairs = {
        "center": _pairs(
            ids, list(zip(visible[0], visible[2], strict=True)) + list(others)
        ),
        "author": _pairs(
            ids,
            list(
                Authorship.objects.order_by().values_list("publication_id", "author_id")
            ),
        ),
        "tag": _pairs(
            ids,
            list(
                TaggedItem.objects.filter(content_type=content_type).values_list(
                    "object_id", "tag_id"
                )
            ),
        ),
    }
    labels = {
        "author": {
            pk: (slug, given, family)
            for pk, slug, given, family in list(
                Author.objects.order_by().values_list(
                    "pk", "slug", "given_name", "family_name"
                )
            )
        },
        "tag": {
            pk: (slug, name, None)
            for pk, slug, name in list(
                Tag.objects.order_by().values_list("pk", "slug", "name")
            )
        },
    }
    upcoming = Publication.objects.filter(
        status=Status.PUBLISHED, publish_at__gt=now
    ).aggregate(next=Min("publish_at"))["next"]
    return FacetIndex(ids, columns, pairs, labels, version, upcoming)


class _Current:
    """This process's index, rebuilt or taken from the cache when the
    content version changes or a scheduled publication goes live."""

    def __init__(self):
        self._lock = threading.Lock()
        self._index = None

    def get(self) -> FacetIndex:
        version = content_version()
        now = timezone.now()
        index = self._index
        if index is not None and index.is_current(version, now):
            return index
        with self._lock:
            index = self._index
            if index is not None and index.is_current(version, now):
                return index
            key = CACHE_KEY.format(version=version)
            index = cache.get(key)
            if index is None or not index.is_current(version, now):
                index = build(version)
                cache.set(key, index, CACHE_TIMEOUT)
            self._index = index
            return index

    def clear(self) -> None:
        with self._lock:
            self._index = None


current = _Current()


def current_index() -> FacetIndex:
    return current.get()
