"""One search: its matches, counted, ordered and paged, with its facets,
snippets and "did you mean".

Drafts and scheduled publications are never found, counted or suggested:
everything starts from ``Publication.objects.published()``.
"""

from __future__ import annotations

from contextlib import nullcontext
from functools import cached_property

import numpy as np
from django.db.models import Case, IntegerField, Prefetch, Value, When

from ..filters import PublicationFilter
from ..models import Authorship, Publication
from .backends import ALL, RELEVANCE_GROUPS, reading_backend
from .facet_index import current_index
from .facets import FACETS, FacetValue, facet_values
from .query import clean_query, parse_query, words_of
from .snippets import Segment, headline_segments, is_headline, teaser_segments
from .suggestions import suggest

SORT_RELEVANCE, SORT_DATE = "relevance", "date"
SORTS = (SORT_RELEVANCE, SORT_DATE)
# The fields a search result shows (templates/includes/search_result.html).
RESULT_FIELDS = (
    "title",
    "subtitle",
    "slug",
    "language",
    "teaser",
    "publication_date",
    "type",
)


class SearchResults:
    """The database says which publications match (with a ranking backend,
    and which of them match by their title, then, when a page needs them,
    by their summary, authors and topics and by their body). The facet index
    (facet_index.py) then filters, counts and orders them in memory, and
    only the page's rows are read. Everything is computed when first read.
    """

    def __init__(self, query, params=None, sort: str = SORT_RELEVANCE):
        self.query = clean_query(query)
        self.terms = parse_query(self.query)
        self.sort = sort if sort in SORTS else SORT_RELEVANCE
        self.filterset = PublicationFilter(
            params if params is not None else {},
            queryset=Publication.objects.published(),
        )
        # Invalid values (an outdated link) are ignored, as on the list page.
        self.selected = self.filterset.active
        self.backend = reading_backend()
        self.full_text = self.backend.full_text
        self.match = self.backend.match(self.terms) if self.terms else None
        # Something was typed, but nothing searchable: nothing matches.
        self.is_empty = bool(self.query) and not self.terms
        self._groups = {}  # relevance group → its rows, once asked for
        matched = Publication.objects.published()
        if self.is_empty:
            matched = matched.none()
        elif self.match is not None:
            matched = self.match.filter(matched)
        self.matched = matched

    @property
    def has_criteria(self) -> bool:
        """A query or a filter was given: without either nothing is listed."""
        return bool(self.query or self.selected)

    def index_scans(self):
        """Where the backend wants a page's statements run (see its
        Match.scans)."""
        if self.match is None:
            return nullcontext()
        return self.match.scans(self.matched.db)

    @cached_property
    def _index(self):
        return current_index()

    @cached_property
    def _found(self):
        """The rows of the facet index that match the query (all of them
        without a query), and, for a ranked search by relevance, those whose
        title matches (else None)."""
        index = self._index
        if not self.terms:
            return np.ones(index.size, dtype=bool), None
        if not self.match.ranked or self.sort != SORT_RELEVANCE:
            return index.mask_of(self.match.ids(self.matched, ALL)[0]), None
        everything, title = self.match.ids(self.matched, ALL, "title")
        return index.mask_of(everything), index.mask_of(title)

    def _group(self, group: str) -> np.ndarray:
        """The rows found in this relevance group (the title matches come
        with the matches)."""
        if group == "title":
            return self._found[1]
        if group not in self._groups:
            found = self.match.ids(self.matched, group)[0]
            self._groups[group] = self._index.mask_of(found)
        return self._groups[group]

    @cached_property
    def _filter_masks(self) -> dict:
        index = self._index
        return {
            name: index.matching(name, getattr(value, "pk", value))
            for name, value in self.selected.items()
        }

    def _filters(self, without=None):
        """The rows every selected facet but ``without`` keeps."""
        mask = np.ones(self._index.size, dtype=bool)
        for name, selected in self._filter_masks.items():
            if name != without:
                mask &= selected
        return mask

    @cached_property
    def _filtered(self) -> np.ndarray:
        """The rows that match the query and every filter, newest first."""
        matches, _title = self._found
        return np.flatnonzero(matches & self._filters())

    def _ordered(self, stop: int | None) -> np.ndarray:
        """The matching rows in the order asked for, at least up to
        ``stop``: by relevance, the title matches, then the summary, author
        and topic matches, then the body matches, then the PDF matches,
        newest first within each. A group is asked for only when the page
        reaches past the ones before it."""
        rows = self._filtered
        _matches, title = self._found
        if title is None:
            return rows
        needed = len(rows) if stop is None else min(stop, len(rows))
        ordered, rest = [], rows
        for group in RELEVANCE_GROUPS:
            if sum(len(part) for part in ordered) >= needed:
                break
            inside = self._group(group)[rest]
            ordered.append(rest[inside])
            rest = rest[~inside]
        return np.concatenate([*ordered, rest])

    @property
    def total(self) -> int:
        """How many publications match the query and every selected facet."""
        return 0 if self.is_empty else len(self._filtered)

    def ids(self, start: int = 0, stop: int | None = None) -> list[int]:
        """The primary keys of the matches from ``start`` to ``stop``."""
        if self.is_empty:
            return []
        rows = self._ordered(stop)[start:stop]
        return [int(pk) for pk in self._index.ids[rows]]

    def page(self, start: int, stop: int) -> list:
        """The publications from ``start`` to ``stop`` in the search's order,
        with what the result list shows (read again through ``published()``:
        a count may lag a change for a moment, a page never shows a draft)."""
        ids = self.ids(start, stop)
        if not ids:
            return []
        rows = (
            Publication.objects.published()
            .filter(pk__in=ids)
            .select_related("type")
            .only(*RESULT_FIELDS)
            .prefetch_related(
                Prefetch(
                    "authorships",
                    queryset=Authorship.objects.select_related("author").only(
                        "publication_id",
                        "role",
                        "order",
                        "author__given_name",
                        "author__family_name",
                    ),
                )
            )
        )
        if self.match is not None:
            rows = self.match.with_snippets(rows)
        by_pk = {publication.pk: publication for publication in rows}
        return [by_pk[pk] for pk in ids if pk in by_pk]

    def in_order(self, limit: int):
        """The first ``limit`` matches as a queryset, in the search's order."""
        ids = self.ids(0, limit)
        if not ids:
            return Publication.objects.none()
        position = Case(
            *(When(pk=pk, then=Value(i)) for i, pk in enumerate(ids)),
            output_field=IntegerField(),
        )
        return (
            Publication.objects.published()
            .filter(pk__in=ids)
            .annotate(search_position=position)
            .order_by("search_position")
        )

    def snippet(self, publication) -> list[Segment]:
        """The publication's summary with the searched words marked, as
        segments (includes/search_snippet.html writes them)."""
        headline = getattr(publication, "search_headline", None)
        if is_headline(headline):
            return headline_segments(headline)
        return teaser_segments(publication.teaser, words_of(self.terms))

    @cached_property
    def facets(self) -> dict[str, list[FacetValue]]:
        """Facet name → its values (value, label, count, selected); every
        facet counts the matches with the other facets applied."""
        if self.is_empty:
            return {name: [] for name in FACETS}
        matches, _title = self._found
        return facet_values(
            self._index,
            self.selected,
            lambda name: matches & self._filters(without=name),
        )

    @cached_property
    def suggestion(self) -> str | None:
        """Did you mean (suggestions.py)."""
        return suggest(self.terms, self.backend)
