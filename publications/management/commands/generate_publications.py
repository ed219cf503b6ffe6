"""Generate N synthetic publications quickly, for search and scale benchmarks.

The rows are written in bulk by publications/demo/generator.py, with texts
from publications/demo/synthetic.py. Because bulk_create sends no post_save
and through-model inserts send no m2m_changed, nothing keeps search vectors
or cached pages in step row by row: the command refreshes the search vectors
once at the end and bumps the page-cache version.
"""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from publications.caching import invalidate
from publications.demo.generator import FILLED_MODELS, Generator, analyze
from publications.models import Publication
from publications.search import refresh_search_vectors


class Command(BaseCommand):
    help = (
        "Generate N synthetic publications (authors, tags, PDF text) with bulk "
        "inserts, for benchmarks. Not for production databases."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, help="How many publications.")
        parser.add_argument(
            "--seed", type=int, default=0, help="Random seed (default 0)."
        )
        parser.add_argument(
            "--batch", type=int, default=5000, help="Rows per INSERT (default 5000)."
        )

    def handle(self, *args, count, seed, batch, verbosity, **options):
        if count < 1:
            raise CommandError("Give a number of publications of at least 1.")
        if batch < 1:
            raise CommandError("--batch must be at least 1.")

        def log(message):
            if verbosity >= 2 or (verbosity == 1 and count > batch):
                self.stdout.write(message)

        start = time.perf_counter()
        was_empty = not Publication.objects.exists()
        generator = Generator(count, seed, batch, log)
        with transaction.atomic():
            ids = generator.run()
        inserted = time.perf_counter() - start

        began = time.perf_counter()
        # All rows when the table was empty: cheaper than a list of ids.
        refresh_search_vectors(None if was_empty else ids)
        refreshed = f"; search vectors in {time.perf_counter() - began:.1f} s"
        if connection.vendor == "postgresql":
            analyze(FILLED_MODELS)
        invalidate()  # bulk inserts sent no signal to the page cache

        created = generator.created
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated {len(ids):,} publications, {created['authors']:,} "
                f"authors, {created['tags']} new tags, {created['centers']} new "
                f"centers, {created['types']} new types in "
                f"{time.perf_counter() - start:.1f} s (inserts {inserted:.1f} s"
                f"{refreshed})."
            )
        )
