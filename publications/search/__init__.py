"""Search of the visible publications: full text with facets, "did you
mean", autocomplete and frequent searches. docs/search.md explains it;
each module of this package does one part:

query.py        a reader's query cut into words, phrases and prefixes
backends/       what the database does (PostgreSQL full text, SQLite)
results.py      one search: matches counted, ordered and paged
facet_index.py  the facets' data in memory; facets.py their labels
snippets.py     the matches marked in a result's summary
suggestions.py  "did you mean"
completion.py   autocomplete: proposals as a reader types
statistics.py   what readers search for, and what they are shown
indexing.py     the index kept in step (signals.py says when)
links.py, views.py, urls.py, admin.py, models.py
"""

from importlib import import_module

# The public API, each name from its module. Imported when first used:
# publications/models/ imports this package's models while the app
# registry loads models, before the models these modules read are ready.
API = {
    "SORT_DATE": "results",
    "SORT_RELEVANCE": "results",
    "SearchResults": "results",
    "autocomplete": "completion",
    "refresh_search_vectors": "indexing",
    "schedule_refresh": "indexing",
    "search_url": "links",
}

__all__ = [*API, "search"]


def __getattr__(name: str):
    if name in API:
        return getattr(import_module(f".{API[name]}", __name__), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def search(query: str, params=None, sort: str = "relevance"):
    """Search visible publications; returns a results.SearchResults.

    ``query`` as typed by a reader; ``params`` the facet filters, as the list
    page takes them (a QueryDict or a dict: type, center, author, tag, year,
    lang; invalid values are ignored); ``sort`` "relevance" (date without a
    query, or without a ranking backend) or "date" (newest first). With
    neither a query nor a filter every visible publication matches.
    """
    from .results import SearchResults

    return SearchResults(query, params, sort)
