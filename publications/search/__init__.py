"""Search of the visible publications: full text with facets, "did you
mean", autocomplete and frequent searches. docs/search.md explains it;
each module of this package does one part:

query.py        a reader's query cut into words, phrases and prefixes
backends/       what the database does (PostgreSQL full text, SQLite)
results.py      one search: matches counted, ordered and paged
facet_index.py  the facets' data in memory; facets.py their labels
snippets.py     the matches marked in a result's summary
suggestions.py  "did you mean"
autocomplete.py proposals as a reader types
statistics.py   what readers search for, and what they are shown
indexing.py     the index kept in step (signals.py says when)
links.py, views.py, urls.py, admin.py, models.py
"""

from .autocomplete import autocomplete
from .indexing import refresh_search_vectors, schedule_refresh
from .links import search_url
from .results import SORT_DATE, SORT_RELEVANCE, SearchResults

__all__ = [
    "SORT_DATE",
    "SORT_RELEVANCE",
    "SearchResults",
    "autocomplete",
    "refresh_search_vectors",
    "schedule_refresh",
    "search",
    "search_url",
]


def search(query: str, params=None, sort: str = SORT_RELEVANCE) -> SearchResults:
    """Search visible publications.

    ``query`` as typed by a reader; ``params`` the facet filters, as the list
    page takes them (a QueryDict or a dict: type, center, author, tag, year,
    lang; invalid values are ignored); ``sort`` "relevance" (date without a
    query, or without a ranking backend) or "date" (newest first). With
    neither a query nor a filter every visible publication matches.
    """
    return SearchResults(query, params, sort)
