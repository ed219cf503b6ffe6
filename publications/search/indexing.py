"""Keeping the search index in step: refresh it for given publications now,
or once the transaction that changed them commits."""

from __future__ import annotations

import weakref

from django.db import connections, router, transaction

from ..caching import invalidate
from ..models import Publication
from .backends import writing_backend

# Fields of a publication row that the index reads.
VECTOR_FIELDS = {"title", "subtitle", "teaser", "body", "language", "pdf"}


def refresh_search_vectors(publication_ids=None) -> int:
    """Recompute the search index of these publications (all when None);
    return how many were updated. A no-op returning 0 where the backend
    keeps no index."""
    updated = writing_backend().refresh(publication_ids)
    if updated:
        # Cached pages (search pages above all) were rendered with the old
        # index: a save bumps the version before its refresh runs.
        invalidate()
    return updated


class PendingRefresh:
    """The publications to refresh when the current transaction commits."""

    def __init__(self):
        self.ids = set()
        self.done = False

    def run(self):
        self.done = True
        refresh_search_vectors(self.ids)


# Each connection's latest PendingRefresh, held weakly: while its callback
# waits for the commit, the connection's list of callbacks holds it too.
# When Django discards the callback (the transaction or the savepoint that
# registered it rolled back), the entry goes with it, and the next change
# registers a new one.
_pending = weakref.WeakKeyDictionary()


def schedule_refresh(publication_ids) -> None:
    """Refresh these publications' index once the transaction commits.

    Within a transaction, every change (the row, its authors, its tags, its
    PDF) adds to one refresh, run once at commit, when all are in the
    database; outside one, the refresh runs at once. A failure is logged,
    never raised: the change it follows is saved already.
    """
    if not writing_backend().keeps_index:
        return
    ids = {pk for pk in publication_ids if pk is not None}
    if not ids:
        return
    db = connections[router.db_for_write(Publication)]
    reference = _pending.get(db)
    pending = reference() if reference is not None else None
    if pending is not None and not pending.done:
        pending.ids.update(ids)
        return
    pending = PendingRefresh()
    pending.ids.update(ids)
    _pending[db] = weakref.ref(pending)
    # Outside a transaction, this runs it at once.
    transaction.on_commit(pending.run, using=db.alias, robust=True)
