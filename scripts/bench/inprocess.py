"""Pages rendered in this process with Django's test client: queries and time."""

import os
import statistics
import sys
import time

from .report import Page
from .server import ROOT


def setup_django(var_dir: str):
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ifri.settings",
        VAR_DIR=var_dir,
        DEBUG="0",
        HTTPS="off",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def pick_article():
    """The published publication with the most authors, then related links."""
    from django.db.models import Count

    from publications.models import Publication

    return (
        Publication.objects.published()
        .for_detail()
        .annotate(
            n_authors=Count("authorships", distinct=True),
            n_links=Count("related_links", distinct=True),
        )
        .order_by("-n_authors", "-n_links", "pk")
        .first()
    )


def measure_in_process(pages: list[Page], requests: int):
    from django.core.cache import caches
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client(raise_request_exception=False)
    for page in pages:
        if page.error:
            continue
        client.get(page.path)  # warm-up: templates, URL resolver, caches
        counts, timings = [], []
        for _ in range(requests):
            for cache in caches.all():
                cache.clear()  # measure the full render, not a cache hit
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(page.path)
                elapsed = time.perf_counter() - start
            if response.status_code != 200:
                page.notes.append(f"in-process: HTTP {response.status_code}")
                break
            counts.append(len(queries.captured_queries))
            timings.append(elapsed * 1000)
        if counts:
            low, high = min(counts), max(counts)
            page.queries = str(low) if low == high else f"{low}-{high}"
            page.render_ms = statistics.median(timings)
