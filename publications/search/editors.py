"""The admin's search box, through the search indexes.

Editors look for a publication by its title, its author or its topic, and
type the start of words as often as whole ones ("secu", "lefev"): every word
typed is matched as the start of a word, accents and case aside
(``find_for_editors`` of each backend). A slug pasted whole finds its
publication too. The indexes answer at 100,000 publications where the
admin's row-by-row ``icontains`` over titles and author names took over a
second (docs/performance.md).

The change list counts its results apart from listing a page of them:
``EditorSearchPaginator`` counts with the form of the condition the
database counts fastest.
"""

from django.core.paginator import Paginator
from django.utils.functional import cached_property

from .backends import reading_backend
from .query import parse_query, words_of


def search_for_editors(queryset, text: str, counting: bool = False):
    """The publications of ``queryset`` matching what an editor typed, or
    ``queryset`` itself when nothing searchable was typed."""
    words = words_of(parse_query(text))
    if not words:
        return queryset
    slug = text.strip().lower()
    return reading_backend().find_for_editors(
        queryset, words, slug=slug, counting=counting
    )


class EditorSearchPaginator(Paginator):
    """Pages of a searched change list, counted by ``counted`` (the same
    publications as its list) when given."""

    def __init__(self, object_list, per_page, counted=None, **options):
        super().__init__(object_list, per_page, **options)
        self.counted = counted

    @cached_property
    def count(self):
        if self.counted is None:
            return super().count
        return self.counted.count()
