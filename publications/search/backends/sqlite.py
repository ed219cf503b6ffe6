"""Search elsewhere (SQLite, the embedded default): the publications whose
title, subtitle, teaser, body, authors, topics or PDF text contain every
word, newest first. No stored index, no ranking, no accent folding, no
"did you mean"; words typed are found as they start words, ignoring case
(of unaccented letters only: SQLite's LIKE)."""

from __future__ import annotations

from functools import reduce
from operator import or_

import numpy as np
from django.db.models import CharField, Exists, OuterRef, Q, Value
from django.db.models.functions import Concat

from ...models import Authorship, PdfVersion, TaggedPublication
from ..query import Term
from .base import ALL, Match, SearchBackend


def contains_every_term(terms: list[Term]) -> Q:
    """Every term in the title, teaser, body, an author, a topic or the PDF."""
    condition = Q()
    for term in terms:
        # A quoted phrase as written; other words one by one.
        for text in [" ".join(term.words)] if term.quoted else term.words:
            by_author = Authorship.objects.annotate(
                name=Concat("author__given_name", Value(" "), "author__family_name")
            ).filter(publication=OuterRef("pk"), name__icontains=text)
            by_tag = TaggedPublication.objects.filter(
                content_object=OuterRef("pk"), tag__name__icontains=text
            )
            by_pdf = PdfVersion.objects.filter(
                publication=OuterRef("pk"), is_current=True, text__icontains=text
            )
            condition &= (
                Q(title__icontains=text)
                | Q(subtitle__icontains=text)
                | Q(teaser__icontains=text)
                | Q(body__icontains=text)
                | Exists(by_author)
                | Exists(by_tag)
                | Exists(by_pdf)
            )
    return condition


class SQLiteMatch(Match):
    def filter(self, queryset):
        return queryset.filter(contains_every_term(self.terms))

    def ids(self, matched, *groups: str) -> list[np.ndarray]:
        """Every match: there are no relevance groups."""
        if groups != (ALL,):
            raise ValueError(f"No relevance groups on SQLite: {groups}")
        return [np.array(list(matched.values_list("pk", flat=True)), dtype=np.int64)]


class SQLiteBackend(SearchBackend):
    vendor = "sqlite"
    match_class = SQLiteMatch

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
        for word in words:
            queryset = queryset.filter(title__icontains=word)
        return queryset


backend = SQLiteBackend()
