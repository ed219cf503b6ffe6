"""What search counts and sorts by, held in memory: every visible
publication's type, centers, authors, topics, year and language, and its
place in date order, as numpy arrays.

Counting the facets of a word found in half of 100,000 publications took
PostgreSQL 150 ms or more (a row fetched, then joined with its authorships
and topics, per match); here it is a few vectorised passes over arrays,
a few milliseconds whatever the number of matches. Search asks the
database only which publications match (results.py).

The index is built from ``Publication.objects.published()`` (the one
visibility rule) for the current content version, which every change to a
publication, author, center or topic bumps (publications/caching.py), and
expires at the next scheduled go-live. One process builds it (about 0.5 s
for 100,000 publications) and shares it through the cache, while the others
keep serving the one they had; each process keeps the current one in
memory. Rows are always read back through ``published()``, so a stale count
can never show a draft.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from itertools import chain

import numpy as np
from django.core.cache import cache
from django.utils import timezone
from taggit.models import Tag

from authors.models import Author
from centers.models import ResearchCenter

from ..caching import content_version
from ..models import Authorship, Publication, PublicationType, TaggedPublication

# One entry, the latest index built (several MB at 100,000 publications):
# an entry per version would keep one per edit.
CACHE_KEY = "facet-index"
CACHE_TIMEOUT = 24 * 3600
# One process builds a version's index at a time; this long at most.
BUILD_LOCK_KEY = "facet-index-build:{version}"
BUILD_LOCK_TIMEOUT = 60
DATE_ORDER = ("-publication_date", "-publish_at", "-pk")
# Rows are found by key through an array indexed by key while the largest
# key stays below this many times the number of rows (plus this minimum).
DENSE_KEYS_FACTOR = 16
DENSE_KEYS_MIN = 1_000_000


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
    # How many rows have each value.
    totals: np.ndarray = field(init=False)

    def __post_init__(self):
        totals = np.bincount(self.codes, minlength=len(self.values))
        object.__setattr__(self, "totals", totals)

    def matching(self, value, size: int) -> np.ndarray:
        mask = np.zeros(size, dtype=bool)
        try:
            code = self.values.index(value)
        except ValueError:
            return mask
        mask[self.rows[self.codes == code]] = True
        return mask

    def count(self, mask: np.ndarray) -> np.ndarray:
        picked = mask[self.rows]
        if 2 * np.count_nonzero(picked) > len(picked):
            # Most pairs counted: the totals less the pairs left out.
            left_out = self.codes[~picked]
            return self.totals - np.bincount(left_out, minlength=len(self.values))
        return np.bincount(self.codes[picked], minlength=len(self.values))


@dataclass(frozen=True)
class FacetIndex:
    """The visible publications, one row each, newest first."""

    ids: np.ndarray  # primary key by row
    columns: dict  # type, year, lang: Column
    pairs: dict  # center, author, tag: Pairs
    labels: dict  # author, tag: {pk: (slug, label, second label)}
    objects: dict  # type, center: {pk: the instance}, for their names
    version: int
    expires_at: object  # the next go-live, or None
    # The row of each primary key (-1: not visible), to find rows by key;
    # None when keys are too sparse for an array as long as the largest.
    row_by_pk: np.ndarray | None = field(init=False)
    # author, tag: each code's place in slug order, for ties.
    slug_order: dict = field(init=False)

    def __post_init__(self):
        largest = int(self.ids.max()) if self.size else 0
        row_by_pk = None
        if largest <= DENSE_KEYS_FACTOR * self.size + DENSE_KEYS_MIN:
            row_by_pk = np.full(largest + 1, -1, dtype=np.int32)
            row_by_pk[self.ids] = np.arange(self.size, dtype=np.int32)
        object.__setattr__(self, "row_by_pk", row_by_pk)
        slug_order = {}
        for name, labels in self.labels.items():
            values = self.pairs[name].values
            slugs = [labels.get(pk, ("",))[0] for pk in values]
            order = np.empty(len(values), dtype=np.int64)
            order[np.argsort(np.array(slugs, dtype=object), kind="stable")] = np.arange(
                len(values)
            )
            slug_order[name] = order
        object.__setattr__(self, "slug_order", slug_order)

    @property
    def size(self) -> int:
        return len(self.ids)

    def rows_of(self, pks) -> np.ndarray:
        """The rows of these primary keys, in no particular order; keys of
        publications that are not visible are dropped."""
        pks = np.asarray(pks, dtype=np.int64)
        if self.row_by_pk is None:
            rows, _found = _rows_of(self.ids, pks)
            return rows
        pks = pks[(pks >= 0) & (pks < len(self.row_by_pk))]
        rows = self.row_by_pk[pks]
        return rows[rows >= 0]

    def mask_of(self, pks) -> np.ndarray:
        mask = np.zeros(self.size, dtype=bool)
        mask[self.rows_of(pks)] = True
        return mask

    def matching(self, name: str, value) -> np.ndarray:
        """The rows a filter keeps."""
        facet = self.columns.get(name) or self.pairs[name]
        return facet.matching(value, self.size)

    def count(self, name: str, mask: np.ndarray, limit=None, keep=None):
        """(value, count) of a facet over the rows of ``mask``, counted
        values only; with ``limit``, only the most frequent (ties by slug)
        and ``keep``, if counted."""
        facet = self.columns.get(name) or self.pairs[name]
        counts = facet.count(mask)
        codes = np.flatnonzero(counts)
        if limit is not None and len(codes) > limit:
            # Only values counted at least as often as the limit-th most
            # frequent can make the cut: sort those alone.
            found = counts[codes]
            least = np.partition(found, len(found) - limit)[len(found) - limit]
            codes = codes[found >= least]
            ranked = np.lexsort((self.slug_order[name][codes], -counts[codes]))
            kept = [facet.values.index(keep)] if keep in facet.values else []
            codes = np.unique([*codes[ranked[:limit]], *kept])
        return [
            (facet.values[code], int(counts[code])) for code in codes if counts[code]
        ]

    def is_current(self, version: int, now) -> bool:
        return self.version == version and (
            self.expires_at is None or now < self.expires_at
        )


def _rows_of(ids: np.ndarray, pks: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The rows of ``pks`` in ``ids``, and which of ``pks`` were found."""
    if not len(ids):
        return np.zeros(0, dtype=np.int64), np.zeros(len(pks), dtype=bool)
    by_pk = np.argsort(ids, kind="stable")
    sorted_ids = ids[by_pk]
    positions = np.searchsorted(sorted_ids, pks)
    positions[positions == len(sorted_ids)] = 0
    found = sorted_ids[positions] == pks
    return by_pk[positions[found]], found


def _columns(rows, count: int, width: int) -> list[np.ndarray]:
    """The integer columns of ``count`` rows of ``width`` integers."""
    flat = np.fromiter(chain.from_iterable(rows), dtype=np.int64, count=count * width)
    return list(flat.reshape(count, width).T)


def _pairs(ids: np.ndarray, queryset, extra=()) -> Pairs:
    """(publication pk, value pk) pairs from a two-column values_list, and
    ``extra`` (pks, value pks), as rows and codes, each pair once; pairs of
    publications that are not visible are dropped."""
    found = list(queryset)
    pks, value_pks = _columns(found, len(found), 2)
    if extra:
        pks, value_pks = (
            np.concatenate([pks, extra[0]]),
            np.concatenate([value_pks, extra[1]]),
        )
    rows, kept = _rows_of(ids, pks)
    values, codes = np.unique(value_pks[kept], return_inverse=True)
    width = max(len(values), 1)
    unique = np.sort(rows * width + codes)
    if len(unique):
        unique = unique[np.concatenate(([True], unique[1:] != unique[:-1]))]
    return Pairs(
        (unique // width).astype(np.int32),
        (unique % width).astype(np.int32),
        tuple(int(v) for v in values),
    )


def _column(values, dtype=np.int64) -> Column:
    keys, codes = np.unique(np.asarray(values, dtype=dtype), return_inverse=True)
    return Column(codes.astype(np.int32), tuple(keys.tolist()))


def build(version: int) -> FacetIndex:
    """Read the visible publications and their facets (nine queries)."""
    now = timezone.now()
    visible = list(
        Publication.objects.published()
        .order_by(*DATE_ORDER)
        .values_list("pk", "type_id", "center_id", "language", "publication_date")
    )
    ids, types, centers = _columns((row[:3] for row in visible), len(visible), 3)
    columns = {
        "type": _column(types),
        "lang": _column([row[3] for row in visible], dtype=object),
        "year": _column([row[4].year for row in visible]),
    }
    others = Publication.additional_centers.through.objects.values_list(
        "publication_id", "researchcenter_id"
    )
    pairs = {
        # A publication counts for its main and its other centers.
        "center": _pairs(ids, others, extra=(ids, centers)),
        "author": _pairs(
            ids,
            Authorship.objects.order_by().values_list("publication_id", "author_id"),
        ),
        "tag": _pairs(
            ids,
            TaggedPublication.objects.order_by().values_list(
                "content_object_id", "tag_id"
            ),
        ),
    }
    labels = {
        "author": {
            pk: (slug, given, family)
            for pk, slug, given, family in Author.objects.order_by().values_list(
                "pk", "slug", "given_name", "family_name"
            )
        },
        "tag": {
            pk: (slug, name, None)
            for pk, slug, name in Tag.objects.order_by().values_list(
                "pk", "slug", "name"
            )
        },
    }
    upcoming = Publication.objects.next_go_live(now)
    objects = {
        "type": {t.pk: t for t in PublicationType.objects.all()},
        "center": {c.pk: c for c in ResearchCenter.objects.all()},
    }
    return FacetIndex(ids, columns, pairs, labels, objects, version, upcoming)


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
            building = BUILD_LOCK_KEY.format(version=version)
            if self._index is not None and cache.get(building):
                # Another process is building it: the previous one serves a
                # moment longer (pages are read again through published(),
                # so only counts may lag).
                return self._index
            index = cache.get(CACHE_KEY)
            if index is None or not index.is_current(version, now):
                locked = cache.add(building, True, BUILD_LOCK_TIMEOUT)
                if not locked and self._index is not None:
                    return self._index
                try:
                    index = build(version)
                    cache.set(CACHE_KEY, index, CACHE_TIMEOUT)
                finally:
                    if locked:
                        cache.delete(building)
            self._index = index
            return index

    def clear(self) -> None:
        with self._lock:
            self._index = None


current = _Current()


def current_index() -> FacetIndex:
    return current.get()
