"""The interface every search backend gives (see __init__.py)."""

from __future__ import annotations

from contextlib import nullcontext

import numpy as np

from ..query import Term

# Relevance groups, best first: a ranking backend says which matches are
# found in each; matches in none of them (the PDF alone) come last.
RELEVANCE_GROUPS = ("title", "head", "body")
# Every match, whatever the group.
ALL = "all"
# The PDF text indexed, in characters: a PostgreSQL tsvector holds at most
# 1 MB, and positions stop at 16,383 words, so phrases are found near the
# beginning of long documents only (words further on are still found one by
# one). SQLite's index reads as much, so both find the same.
PDF_TEXT_INDEXED = 400_000


class Match:
    """A query as one backend matches it."""

    # Whether ids() can tell the relevance groups apart.
    ranked = False

    def __init__(self, terms: list[Term]):
        self.terms = terms

    def filter(self, queryset):
        """The publications of ``queryset`` that match."""
        raise NotImplementedError

    def ids(self, matched, *groups: str) -> list[np.ndarray]:
        """For each group (ALL, or one of RELEVANCE_GROUPS when ranked), the
        primary keys of the publications of ``matched`` found in it."""
        raise NotImplementedError

    def scans(self, using: str):
        """A context in which to run the statements of one search page."""
        return nullcontext()

    def with_snippets(self, queryset):
        """``queryset`` with a ``search_headline`` per row, if the backend
        marks matches itself (see snippets.py), else unchanged."""
        return queryset


class SearchBackend:
    """The interface; each module of this package gives one."""

    vendor = ""
    # Stemming in the publication's language and "did you mean".
    full_text = False
    # Whether a stored index must be refreshed when publications change.
    keeps_index = False
    # Whether the index keeps a deleted publication's row until refreshed
    # (no foreign key takes it away with the publication).
    refresh_on_delete = False
    match_class = Match

    def match(self, terms: list[Term]) -> Match:
        return self.match_class(terms)

    def refresh(self, publication_ids: list[int] | None) -> int:
        """Refresh the index of these publications (all when None); return
        how many were refreshed."""
        return 0

    def suggestion_candidates(self, words: list[str]) -> list[tuple]:
        """Known words like these (folded): rows of (word, label, similarity
        to each of ``words``), the closest first."""
        return []

    def word_starts(self, expression, words: list[str]):
        """What to ``alias(match=...)`` and the condition that every word
        typed starts a word of ``expression``."""
        raise NotImplementedError

    def name_starts(self, given_name: str, family_name: str, words: list[str]):
        """word_starts() over a person's two name fields."""
        raise NotImplementedError

    def titles_starting(self, queryset, words: list[str]):
        """The publications of ``queryset`` whose title has words starting
        with every word typed."""
        raise NotImplementedError

    def find_for_editors(
        self, queryset, words: list[str], slug: str = "", counting: bool = False
    ):
        """The publications of ``queryset`` whose title, an author's name or
        a topic has words starting with every word typed, or whose slug is
        ``slug`` (editors.py); ``counting``: in the form that counts them
        fastest, if it differs."""
        raise NotImplementedError
