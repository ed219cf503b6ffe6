"""Facets as readers see them: each facet's values, labelled, counted over
the matches with the other facets applied, the selected one marked (and
kept listed when nothing matches it). Counting is the facet index's job
(facet_index.py)."""

from __future__ import annotations

from collections import namedtuple
from collections.abc import Callable

import numpy as np

from ..models import Language

FACETS = ("type", "center", "author", "tag", "year", "lang")
# Authors and topics: the most frequent values (and the selected one).
FACET_LIMIT = 10

FacetValue = namedtuple("FacetValue", "value label count selected")


def facet_values(
    index, selected: dict, mask_without: Callable[[str], np.ndarray]
) -> dict[str, list[FacetValue]]:
    """Facet name → its values. ``selected`` holds the filters in use (name
    → the object or value), ``mask_without(name)`` the rows that match the
    query and every filter but ``name``."""
    counts = {}
    for name in FACETS:
        mask = mask_without(name)
        if name in index.labels:  # authors and topics: the most frequent
            keep = getattr(selected.get(name), "pk", None)
            counts[name] = index.count(name, mask, FACET_LIMIT, keep=keep)
        else:
            counts[name] = index.count(name, mask)
    labels = FacetLabels(index, selected)
    return {name: getattr(labels, name)(counts[name]) for name in FACETS}


class FacetLabels:
    """Each facet's (value pk, count) pairs as FacetValues, one method a
    facet."""

    def __init__(self, index, selected: dict):
        self.index = index
        self.selected = selected

    def _selected_slug(self, name):
        return getattr(self.selected.get(name), "slug", None)

    def _with_selected(self, values, name, label):
        """Keep the selected value listed, even when nothing matches it."""
        slug = self._selected_slug(name)
        if slug and not any(v.value == slug for v in values):
            values.append(FacetValue(slug, label, 0, True))
        return values

    def type(self, counts):
        by_pk = dict(counts)
        types = sorted(
            (self.index.objects["type"][pk] for pk in by_pk),
            key=lambda t: (t.order, t.plural_name_en),
        )
        selected = self._selected_slug("type")
        values = [
            FacetValue(t.slug, t.plural_name, by_pk[t.pk], t.slug == selected)
            for t in types
        ]
        if self.selected.get("type"):
            return self._with_selected(
                values, "type", self.selected["type"].plural_name
            )
        return values

    def center(self, counts):
        """Centers count their publications as the center filter finds them:
        the main center and the other centers."""
        by_pk = dict(counts)
        centers = sorted(
            (self.index.objects["center"][pk] for pk in by_pk),
            key=lambda c: (-by_pk[c.pk], c.name_en),
        )
        selected = self._selected_slug("center")
        values = [
            FacetValue(c.slug, c.name, by_pk[c.pk], c.slug == selected) for c in centers
        ]
        if self.selected.get("center"):
            return self._with_selected(values, "center", self.selected["center"].name)
        return values

    def _ranked(self, counts, name, label):
        """FACET_LIMIT values: the selected one first, then the most
        frequent (ties by slug)."""
        labels = self.index.labels[name]
        selected = self._selected_slug(name)
        rows = [(labels[pk], count) for pk, count in counts if pk in labels]
        rows.sort(key=lambda row: (row[0][0] != selected, -row[1], row[0][0]))
        return [
            FacetValue(slug, label(first, second), count, slug == selected)
            for (slug, first, second), count in rows[:FACET_LIMIT]
        ]

    def author(self, counts):
        values = self._ranked(
            counts, "author", lambda given, family: f"{given} {family}".strip()
        )
        if self.selected.get("author"):
            return self._with_selected(
                values, "author", self.selected["author"].full_name
            )
        return values

    def tag(self, counts):
        values = self._ranked(counts, "tag", lambda name, _none: name)
        if self.selected.get("tag"):
            return self._with_selected(values, "tag", self.selected["tag"].name)
        return values

    def year(self, counts):
        selected = self.selected.get("year")
        values = [
            FacetValue(str(year), str(year), count, year == selected)
            for year, count in sorted(counts, reverse=True)
        ]
        if selected and not any(v.selected for v in values):
            values.append(FacetValue(str(selected), str(selected), 0, True))
            values.sort(key=lambda v: v.value, reverse=True)
        return values

    def lang(self, counts):
        counts = dict(counts)
        selected = self.selected.get("lang")
        return [
            FacetValue(code, label, counts.get(code, 0), code == selected)
            for code, label in Language.choices
            if counts.get(code) or code == selected
        ]
