"""The admin's search box, through the search indexes.

Editors look for a publication by its title, its author or its topic, and
type the start of words as often as whole ones ("secu", "lefev"): every word
typed is matched as the start of a word, accents and case aside
(``find_for_editors`` of each backend). A slug pasted whole finds its
publication too. The indexes answer at 100,000 publications where the
admin's row-by-row ``icontains`` over titles and author names took over a
second (docs/performance.md).
"""

from django.db.models import Q

from .backends import reading_backend
from .query import parse_query, words_of


def search_for_editors(queryset, text: str):
    """The publications of ``queryset`` matching what an editor typed, or
    ``queryset`` itself when nothing searchable was typed."""
    words = words_of(parse_query(text))
    if not words:
        return queryset
    found = reading_backend().find_for_editors(queryset, words)
    return found | queryset.filter(Q(slug=text.strip().lower()))
