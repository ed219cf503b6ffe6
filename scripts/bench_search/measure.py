"""Timing the cases: caches cleared, warm-up, timed runs, the SQL they run."""

import json
import statistics
import time

from .cases import Case
from .database import search_function

MIN_RUNS = 3


def percentile(samples: list[float], pct: int) -> float:
    if len(samples) == 1:
        return samples[0]
    return statistics.quantiles(samples, n=100, method="inclusive")[pct - 1]


def clear_caches():
    """Empty every cache (pages, citations, counts) and this process's
    pages, but keep the content version: the facet index it names stays,
    as it does between two edits (its build is timed apart)."""
    from django.core.cache import cache, caches

    from publications.caching import VERSION_KEY

    version = cache.get(VERSION_KEY)
    for each in caches.all():
        each.clear()  # the pages in this process's memory too
    if version is not None:
        cache.set(VERSION_KEY, version, timeout=None)


def measure_index_build(args) -> dict:
    """What the first search after an edit adds: building the facet index
    (publications/search/facet_index.py) from the database."""
    from publications.search.facet_index import build, current_index

    timings, queries = [], []
    for _ in range(max(MIN_RUNS, min(args.runs, 10))):
        began = time.perf_counter()
        queries = capture(lambda: build(0))
        timings.append((time.perf_counter() - began) * 1000)
    # The index of the current content, which every case then finds built
    # (clear_caches keeps it): no case counts a build in its queries.
    current_index()
    return {
        "runs": len(timings),
        "p50_ms": statistics.median(timings),
        "p95_ms": percentile(timings, 95),
        "queries": len(queries),
    }


def capture(call) -> list[dict]:
    """The SQL one call runs, with each statement's time in ms."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        call()
    statements, settings = [], []
    for q in queries.captured_queries:
        sql = q["sql"].strip()
        if sql.upper().startswith("SET LOCAL"):
            settings.append(sql)
        elif sql.upper() in ("COMMIT", "ROLLBACK") or sql.upper().startswith(
            "RELEASE SAVEPOINT"
        ):
            settings = []
        # The planner settings the statement ran under, to explain it so.
        statements.append(
            {"sql": q["sql"], "ms": float(q["time"]) * 1000, "settings": settings[:]}
        )
    return statements


def timed_runs(case: Case, call, args):
    """Warm up, then time `call` args.runs times. A slow case stops after
    args.max_seconds (warm-up after a quarter of it), with MIN_RUNS at least,
    so that a slow search cannot hold the benchmark for an hour."""
    start = time.perf_counter()
    for _ in range(args.warmup):
        clear_caches()
        call()
        if time.perf_counter() - start > args.max_seconds / 4:
            break
    timings = []
    deadline = time.perf_counter() + args.max_seconds
    while len(timings) < args.runs and (
        len(timings) < MIN_RUNS or time.perf_counter() < deadline
    ):
        clear_caches()
        began = time.perf_counter()
        call()
        timings.append((time.perf_counter() - began) * 1000)
    case.runs = len(timings)
    case.p50_ms = statistics.median(timings)
    case.p95_ms = percentile(timings, 95)
    case.max_ms = max(timings)


def measure_view(case: Case, client, args) -> list[dict]:
    """Time a page; returns the SQL its first (uncached) request ran."""
    got = []
    clear_caches()
    sql = capture(lambda: got.append(client.get(case.path)))
    response = got[0]
    case.status = response.status_code
    if response.status_code != 200:
        case.error = f"HTTP {response.status_code}"
        return sql
    case.queries = str(len(sql))
    describe_response(case, response)
    timed_runs(case, lambda: client.get(case.path), args)
    return sql


def describe_response(case: Case, response):
    """Autocomplete: how many entries the JSON gives."""
    if response.get("Content-Type", "").startswith("application/json"):
        data = json.loads(response.content)
        items = data if isinstance(data, list) else data.get("results", [])
        case.results = len(items) if isinstance(items, list) else None


def count_hits(case: Case, path: str, params: dict):
    """How many publications the page lists (and the "did you mean" a search
    that found nothing shows), computed apart from the timed requests."""
    from django.http import QueryDict

    from publications.filters import PublicationFilter
    from publications.models import Publication

    query = QueryDict(mutable=True)
    for key, value in params.items():
        query[key] = str(value)
    if path.startswith("/en/search/"):
        results = search_function("search")(
            query.get("q", ""), query, query.get("sort", "")
        )
        case.results = results.total
        if not case.results and results.terms:
            case.suggestion = results.suggestion or ""
    else:
        filterset = PublicationFilter(query, queryset=Publication.objects.published())
        case.results = filterset.filtered().count()


def measure_function(case: Case, call, args):
    got = []
    clear_caches()
    sql = capture(lambda: got.append(call()))
    if isinstance(got[0], str) or got[0] is None:  # search(): the suggestion
        case.suggestion = got[0] or ""
    elif isinstance(got[0], list):  # autocomplete(): the entries
        case.results = len(got[0])
    case.status = 200
    case.queries = str(len(sql))
    timed_runs(case, call, args)
    return sql
