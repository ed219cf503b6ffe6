"""Search on SQLite, the embedded default: its FTS5 index (sqlite_index.py).

Words are found whatever their case and accents, phrases as phrases and
``word*`` as prefixes, in PostgreSQL's relevance groups (the whole query in
the title, then in the title, teaser, authors and topics, then in the body,
then the rest, newest first within each), not by FTS5's bm25(): it scales by
the length of the whole row, which the PDF's text dominates, and saturates,
so no column weights keep a title match above body mentions in a short
publication. Search does not read the last word as a prefix, as on
PostgreSQL; autocomplete of titles does.

No stemming ("sanction" does not find "sanctions"), no stop words, no "did
you mean"; autocomplete of authors, centers and topics ignores case (of
unaccented letters only: SQLite's LIKE) but not accents.
"""

from __future__ import annotations

from functools import reduce
from operator import or_

import numpy as np
from django.db.models import (
    Case,
    CharField,
    F,
    Func,
    IntegerField,
    Q,
    TextField,
    Value,
    When,
)
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from ..query import Term
from ..snippets import MARK_END, MARK_START
from . import sqlite_index
from .base import ALL, RELEVANCE_GROUPS, Match, SearchBackend
from .sqlite_index import COLUMNS, MATCH_SQL, TABLE, index_fold

# The columns of each relevance group, best first (base.RELEVANCE_GROUPS);
# a match in none of them (the PDF, or words spread over several parts)
# comes last.
RELEVANCE_COLUMNS = (
    ("title", "subtitle"),
    ("title", "subtitle", "teaser", "names"),
    ("body",),
)
LAST_GROUP = len(RELEVANCE_COLUMNS)

# Snippets: the teaser when it holds a match, else the body around the matches.
SNIPPET_TOKENS = 40
SNIPPET_ELLIPSIS = " … "


def _quoted(words) -> str:
    """Words as one FTS5 string: a phrase whose operators, column names and
    quotes are only text."""
    text = " ".join(index_fold(word) for word in words)
    return '"' + text.replace('"', '""') + '"'


def match_expression(
    terms: list[Term], columns=None, *, as_you_type: bool = False
) -> str | None:
    """The FTS5 MATCH expression finding every term (in ``columns`` only,
    when given), or None when there is no term.

    Every word is quoted, so nothing typed is read as syntax. A phrase is
    matched as a phrase, a ``word*`` as a prefix; ``as_you_type`` reads every
    word of two letters or more as a prefix, as PostgreSQL's autocomplete
    does.
    """
    parts = []
    for term in terms:
        part = _quoted(term.words)
        as_prefix = as_you_type and not term.quoted and len(term.words[-1]) > 1
        if term.prefix or as_prefix:
            part += "*"
        parts.append(part)
    if not parts:
        return None
    expression = " AND ".join(parts)
    if columns:
        expression = f"{{{' '.join(columns)}}} : ({expression})"
    return expression


def _ids(expression: str) -> RawSQL:
    return RawSQL(MATCH_SQL, [expression])  # noqa: S611 (a parameter)


def matches(terms: list[Term], columns=None, **options) -> Q:
    """The condition on publications: found by every term."""
    expression = match_expression(terms, columns, **options)
    if expression is None:
        return Q(pk__in=[])
    return Q(pk__in=_ids(expression))


def relevance(terms: list[Term]) -> Case:
    """0 for the publications whose title has every term, 1 for those whose
    title, teaser, authors and topics have them, 2 for the body, else 3:
    PostgreSQL's relevance groups. Annotate matches with it."""
    return Case(
        *(
            When(pk__in=_ids(match_expression(terms, columns)), then=Value(group))
            for group, columns in enumerate(RELEVANCE_COLUMNS)
        ),
        default=Value(LAST_GROUP),
        output_field=IntegerField(),
    )


class Snippet(Func):
    """The publication's teaser, or else body, around the matches of
    ``MATCH %s``, with the matches between MARK_START and MARK_END. A
    correlated subquery: read for the page's rows only."""

    arg_joiner = " AND rowid = "
    output_field = TextField()

    def __init__(self, expression: str):
        def snippet(column):
            return (
                f'snippet("{TABLE}", {COLUMNS.index(column)}, '
                f"'{MARK_START}', '{MARK_END}', "
                f"'{SNIPPET_ELLIPSIS}', {SNIPPET_TOKENS})"
            )

        teaser = snippet("teaser")
        self.template = (
            f"(SELECT CASE WHEN instr({teaser}, '{MARK_START}') > 0 "  # noqa: S608
            f'THEN {teaser} ELSE {snippet("body")} END FROM "{TABLE}" '
            f'WHERE "{TABLE}" MATCH %(expressions)s)'
        )
        super().__init__(Value(expression), F("pk"))


class SQLiteMatch(Match):
    ranked = True

    def __init__(self, terms: list[Term]):
        super().__init__(terms)
        self.expression = match_expression(terms)
        # The matches with their relevance group, once read: (matched, rows).
        self._grouped = None

    def filter(self, queryset):
        if self.expression is None:
            return queryset.none()
        return queryset.filter(pk__in=_ids(self.expression))

    def _groups_of(self, matched) -> np.ndarray:
        """Rows of (id, relevance group), in one query for every group."""
        if self._grouped is None or self._grouped[0] is not matched:
            found = matched.values_list("pk", relevance(self.terms))
            rows = np.array(list(found), dtype=np.int64).reshape(-1, 2)
            self._grouped = (matched, rows)
        return self._grouped[1]

    def ids(self, matched, *groups: str) -> list[np.ndarray]:
        """Every match alone in one query; with any relevance group, every
        group in one query, which the later groups' calls reuse."""
        if groups == (ALL,):
            return [np.array(list(matched.values_list("pk", flat=True)), np.int64)]
        found = self._groups_of(matched)
        ids, group_of = found[:, 0], found[:, 1]
        by_group = {ALL: ids}
        for number, group in enumerate(RELEVANCE_GROUPS):
            # Each group holds those of the groups before it, as PostgreSQL's
            # head vector holds the title: results.py takes them out first.
            by_group[group] = ids[group_of <= number]
        return [by_group[group] for group in groups]

    def with_snippets(self, queryset):
        """FTS5's snippet of the teaser or body, as written."""
        if self.expression is None:
            return queryset
        return queryset.annotate(search_headline=Snippet(self.expression))


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"
    keeps_index = True
    refresh_on_delete = True
    match_class = SQLiteMatch

    def refresh(self, publication_ids):
        return sqlite_index.refresh(publication_ids)

    def word_starts(self, expression, words):
        condition = Q()
        for word in words:
            condition &= reduce(
                or_,
                [Q(match__istartswith=word)]
                + [Q(match__icontains=sep + word) for sep in (" ", "-", "'")],
            )
        return expression, condition

    def name_starts(self, given_name, family_name, words):
        name = Concat(given_name, Value(" "), family_name, output_field=CharField())
        return self.word_starts(name, words)

    def titles_starting(self, queryset, words):
        """Every word typed as a prefix of a title word, accents aside."""
        terms = [Term((word,)) for word in words]
        return queryset.filter(matches(terms, ["title"], as_you_type=True))

    def find_for_editors(self, queryset, words, slug="", counting=False):
        """The index's title, subtitle and names (authors, topics) columns."""
        terms = [Term((word,)) for word in words]
        columns = ["title", "subtitle", "names"]
        return queryset.filter(matches(terms, columns, as_you_type=True) | Q(slug=slug))


backend = SQLiteBackend()
