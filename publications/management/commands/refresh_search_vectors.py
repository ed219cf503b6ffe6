"""Recompute the stored search vectors, e.g. after a bulk import that sent no
signals (bulk_create, raw SQL). Signals keep them in step otherwise."""

import time

from django.core.management.base import BaseCommand
from django.db import connection

from publications.search import refresh_search_vectors


class Command(BaseCommand):
    help = (
        "Recompute the search vectors of every publication (or of the given "
        "ids) and the words “did you mean” proposes. PostgreSQL only."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "ids", nargs="*", type=int, help="Publication ids (default: all)."
        )

    def handle(self, *args, ids, **options):
        if connection.vendor != "postgresql":
            self.stdout.write("Nothing to do: full-text search needs PostgreSQL.")
            return
        started = time.monotonic()
        count = refresh_search_vectors(ids or None)
        self.stdout.write(
            f"Refreshed {count} publications in {time.monotonic() - started:.1f}s."
        )
