"""What search asks of the database, behind one interface.

A backend says which publications match a query (and, when it ranks, which
match by their title, their summary, authors and topics, their body), marks
the matches in a snippet, keeps its index in step for given publications,
proposes known words for "did you mean" and finds words as they are typed.
Everything else (facets, ordering, paging, links) is the same whatever the
database: see results.py.

The backend is chosen by the database vendor the router gives publications:
``postgresql`` for PostgreSQL, ``sqlite`` otherwise: the project runs on
these two, and the FTS5 tables sqlite.py reads exist on SQLite only.
"""

from __future__ import annotations

from django.db import connections, router

from ...models import Publication
from . import postgresql, sqlite
from .base import ALL, RELEVANCE_GROUPS, Match, SearchBackend

__all__ = ["ALL", "RELEVANCE_GROUPS", "Match", "SearchBackend", "backend_for"]


def backend_for(alias: str) -> SearchBackend:
    """The backend of the database ``alias``."""
    if connections[alias].vendor == postgresql.backend.vendor:
        return postgresql.backend
    return sqlite.backend


def reading_backend() -> SearchBackend:
    """The backend of the database publications are read from."""
    return backend_for(router.db_for_read(Publication))


def writing_backend() -> SearchBackend:
    """The backend of the database publications are written to."""
    return backend_for(router.db_for_write(Publication))
