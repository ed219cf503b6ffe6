"""Recompute the stored search index (PostgreSQL's vectors, SQLite's FTS5
rows), e.g. after a bulk import that sent no signals (bulk_create, raw SQL).
Signals keep it in step otherwise."""

import time

from django.core.management.base import BaseCommand

from publications.search import refresh_search_vectors
from publications.search.backends import writing_backend


class Command(BaseCommand):
    help = (
        "Recompute the search index of every publication (or of the given "
        "ids) and, on PostgreSQL, the words “did you mean” proposes."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "ids", nargs="*", type=int, help="Publication ids (default: all)."
        )

    def handle(self, *args, ids, **options):
        if not writing_backend().keeps_index:
            self.stdout.write("Nothing to do: no search index on this database.")
            return
        started = time.monotonic()
        count = refresh_search_vectors(ids or None)
        self.stdout.write(
            f"Refreshed {count} publications in {time.monotonic() - started:.1f}s."
        )
