"""Time each admin page an editor opens all day; print p50 and p95."""

import argparse
import os
import statistics
import sys
import time

from ..bench_search.database import publications_in, setup_django
from . import __doc__ as DESCRIPTION

TARGET_MS = 200


def parse_args():
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench_admin", description=DESCRIPTION.splitlines()[0]
    )
    parser.add_argument("--runs", type=int, default=30, help="requests per page")
    parser.add_argument("--database", default="ifri_bench_search")
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432"),
    )
    parser.add_argument("--var-dir", default="var/bench-search")
    return parser.parse_args()


def pages():
    """(label, path) of each page, for the publication with most authors."""
    from django.db.models import Count
    from django.urls import reverse

    from publications.models import Publication

    busiest = (
        Publication.objects.annotate(n=Count("authorships"))
        .order_by("-n", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    changelist = reverse("admin:publications_publication_changelist")
    return [
        ("dashboard (admin index)", reverse("admin:index")),
        ("change list", changelist),
        ("change list, search: security", changelist + "?q=security"),
        ("change list, search: secu", changelist + "?q=secu"),
        ("change list, search: author ozturk", changelist + "?q=ozturk"),
        ("change list, search: two words", changelist + "?q=energy+security"),
        ("change list, filter: draft", changelist + "?status__exact=draft"),
        (
            "change list, filter: year + type",
            changelist + "?year=2024&type__id__exact=1",
        ),
        ("change list, page 500", changelist + "?p=500"),
        (
            "change form",
            reverse("admin:publications_publication_change", args=[busiest]),
        ),
        ("history", reverse("admin:publications_publication_history", args=[busiest])),
        ("add form", reverse("admin:publications_publication_add")),
        ("recent activity", reverse("admin_recent_activity")),
        (
            "autocomplete: related publication",
            reverse("admin:autocomplete")
            + "?term=secu&app_label=publications&model_name=relatedlink"
            "&field_name=target",
        ),
    ]


def main():
    args = parse_args()
    count = publications_in(args)
    if not count:
        sys.exit(f"No publications in {args.database}: run `make bench-search` first.")
    setup_django(args)
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection, reset_queries
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    user, _ = get_user_model().objects.get_or_create(
        username="bench-admin", defaults={"is_staff": True, "is_superuser": True}
    )
    client = Client()
    client.force_login(user)
    print(f"{count:,} publications in {args.database}; {args.runs} runs a page.")
    print(f"{'page':40} {'p50 ms':>8} {'p95 ms':>8} {'SQL':>4}  target {TARGET_MS} ms")
    failed = 0
    for label, path in pages():
        # Each request empties the connection's query log as it starts.
        reset_queries()
        with CaptureQueriesContext(connection) as queries:
            status = client.get(path).status_code
        statements = len(queries)  # read now: the next request empties the log
        timings = []
        for _ in range(args.runs):
            began = time.perf_counter()
            client.get(path)
            timings.append((time.perf_counter() - began) * 1000)
        timings.sort()
        p95 = timings[max(0, round(0.95 * len(timings)) - 1)]
        verdict = "ok" if status == 200 and p95 < TARGET_MS else f"FAIL ({status})"
        failed += verdict != "ok"
        print(
            f"{label:40} {statistics.median(timings):8.1f} {p95:8.1f} "
            f"{statements:4}  {verdict}"
        )
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
