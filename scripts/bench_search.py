"""Measure search, the publication list with facets and autocomplete at scale.

1. Uses its own PostgreSQL database (ifri_bench_search on 127.0.0.1 unless
   told otherwise). It is created when missing, and dropped and recreated only
   with --regenerate or when it holds another number of publications; it is
   kept afterwards for inspection unless --drop is given. Nothing else on the
   server is touched.
2. Migrates it and fills it with `manage.py generate_publications 100000`
   (timed; skipped when the publications are already there), then runs
   VACUUM ANALYZE.
3. Times the build of the facet index (publications/search/facet_index.py), what
   the first search after an edit adds. Then in-process, with Django's test
   client and every cache cleared before each request but the facet index of
   the current content version (the cold path: no cached page helps; the
   index stays until the next edit), measures p50 and p95 latency over 100
   requests (after a warm-up: enough that a few outliers, a garbage
   collection or another process's burst, do not make the p95) of 20
   typical searches,
   the publication list with its facet counts (with and without filters) and
   autocomplete; and the same searches through search() itself (the queries
   without the template). Each case stops early after --max-seconds.
4. Prints EXPLAIN (ANALYZE, BUFFERS) of the main search SQL and the
   autocomplete SQL, captured from real requests, says which GIN indexes the
   plans use, and for every case over its target shows its slowest SQL with
   its plan.
5. Writes everything to var/bench-search/results.json and prints a table with
   PASS/FAIL against the targets: search p95 < 50 ms, list page with facets
   p95 < 100 ms, autocomplete p95 < 20 ms.

Run it with `make bench-search`; `make bench-search BENCH_SEARCH_ARGS="--help"`
lists the options. It prints figures; it is not a test.
"""

import argparse
import datetime
import io
import json
import os
import re
import statistics
import sys
import time
import urllib.parse
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGETS_MS = {"search": 50.0, "list": 100.0, "autocomplete": 20.0}
PAGE_SIZE = 12  # what the search page shows; search() results are cut the same
MIN_RUNS = 3


@dataclass
class Case:
    kind: str  # search, search(), list, autocomplete, autocomplete()
    name: str
    path: str = ""  # the URL, or the function call for function-level cases
    status: int | None = None
    error: str = ""
    runs: int = 0
    p50_ms: float | None = None
    p95_ms: float | None = None
    max_ms: float | None = None
    queries: str = ""
    results: int | None = None
    suggestion: str = ""
    target_ms: float | None = None
    passed: bool | None = None
    slowest_sql: list = field(default_factory=list)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="publications")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=100, help="requests per case")
    parser.add_argument("--warmup", type=int, default=3, help="requests per case")
    parser.add_argument(
        "--max-seconds",
        type=float,
        default=15.0,
        help=f"stop a slow case after this long ({MIN_RUNS} runs at least)",
    )
    parser.add_argument("--database", default="ifri_bench_search")
    parser.add_argument(
        "--server",
        default=os.environ.get("BENCH_PG_SERVER", "postgres://postgres@127.0.0.1:5432"),
        help="PostgreSQL server URL, without a database name",
    )
    parser.add_argument(
        "--regenerate", action="store_true", help="drop, recreate and refill it"
    )
    parser.add_argument(
        "--drop", action="store_true", help="drop the database at the end"
    )
    parser.add_argument("--skip-explain", action="store_true")
    parser.add_argument(
        "--var-dir",
        default=str(ROOT / "var" / "bench-search"),
        help="where results.json (and the secret key) go",
    )
    args = parser.parse_args()
    if "bench" not in args.database:
        parser.error("The database name must contain 'bench': it may be dropped.")
    return args


# The database ----------------------------------------------------------------


def server_connection(args):
    import psycopg2

    url = urllib.parse.urlsplit(args.server)
    connection = psycopg2.connect(
        host=url.hostname or "127.0.0.1",
        port=url.port or 5432,
        user=urllib.parse.unquote(url.username or "postgres"),
        password=urllib.parse.unquote(url.password or "") or None,
        dbname="postgres",
    )
    connection.autocommit = True
    return connection


def publications_in(args) -> int | None:
    """Publications in the bench database; None when it does not exist."""
    import psycopg2

    server = server_connection(args)
    with server, server.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [args.database])
        exists = cursor.fetchone() is not None
    server.close()
    if not exists:
        return None
    url = urllib.parse.urlsplit(args.server)
    try:
        db = psycopg2.connect(
            host=url.hostname or "127.0.0.1",
            port=url.port or 5432,
            user=urllib.parse.unquote(url.username or "postgres"),
            password=urllib.parse.unquote(url.password or "") or None,
            dbname=args.database,
        )
    except psycopg2.Error:
        return 0
    with db, db.cursor() as cursor:
        try:
            cursor.execute("SELECT count(*) FROM publications_publication")
            count = cursor.fetchone()[0]
        except psycopg2.Error:
            count = 0
    db.close()
    return count


def recreate_database(args, drop: bool):
    from psycopg2 import sql

    server = server_connection(args)
    name = sql.Identifier(args.database)
    with server.cursor() as cursor:
        if drop:
            cursor.execute(
                sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(name)
            )
        cursor.execute(sql.SQL("CREATE DATABASE {}").format(name))
    server.close()


def drop_database(args):
    from psycopg2 import sql

    server = server_connection(args)
    with server.cursor() as cursor:
        cursor.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(
                sql.Identifier(args.database)
            )
        )
    server.close()


def setup_django(args):
    url = args.server.rstrip("/") + "/" + args.database
    Path(args.var_dir).mkdir(parents=True, exist_ok=True)
    os.environ.update(
        DJANGO_SETTINGS_MODULE="ifri.settings",
        DATABASE_URL=url,
        VAR_DIR=args.var_dir,
        # Caches are cleared before every request anyway; locmem keeps the
        # runs off the disk. One long-lived connection, as a busy worker has.
        CACHE_URL="locmemcache://bench-search",
        CONN_MAX_AGE="3600",
        # Generating and vacuuming 100,000 publications takes statements
        # longer than a request's limit, as manage.py commands may.
        DATABASE_STATEMENT_TIMEOUT="0",
        DEBUG="0",
        HTTPS="off",
        ALLOWED_HOSTS="127.0.0.1,localhost,testserver",
    )
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


class Tee(io.StringIO):
    """Shows a command's progress and keeps it."""

    def write(self, text):
        sys.stdout.write(text)
        sys.stdout.flush()
        return super().write(text)


def prepare_data(args, existing: int | None) -> dict:
    """Migrate, generate when needed, VACUUM ANALYZE; returns what was done."""
    from django.core.management import call_command
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    info = {"reused": bool(existing)}
    executor = MigrationExecutor(connection)
    pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    call_command("migrate", verbosity=0, interactive=False)
    refresh = search_function("refresh_search_vectors")
    if not existing:
        print(f"Generating {args.count:,} publications (seed {args.seed})...")
        out = Tee()
        start = time.perf_counter()
        call_command(
            "generate_publications",
            args.count,
            seed=args.seed,
            verbosity=1,
            stdout=out,
        )
        info["generate_seconds"] = round(time.perf_counter() - start, 1)
        info["generate_output"] = out.getvalue().strip().splitlines()[-1]
    elif pending and refresh and missing_vectors():
        # New migrations on loaded data left vectors empty: compute them
        # once for what is already there.
        print(f"{len(pending)} migration(s) applied; refreshing search vectors...")
        start = time.perf_counter()
        refresh()
        info["refresh_seconds"] = round(time.perf_counter() - start, 1)
    if existing:
        info["migrations_applied"] = [f"{m.app_label}.{m.name}" for m, _ in pending]
    # DEBUG is off: pages need the static files manifest, as under `make run`.
    call_command("collectstatic", interactive=False, verbosity=0)
    start = time.perf_counter()
    with connection.cursor() as cursor:
        cursor.execute("VACUUM ANALYZE")
    info["vacuum_analyze_seconds"] = round(time.perf_counter() - start, 1)
    return info


def missing_vectors() -> bool:
    """Some publication has an empty search vector (of any kind)."""
    from django.contrib.postgres.search import SearchVectorField
    from django.db.models import Q

    from publications.models import Publication

    fields = [
        f.name
        for f in Publication._meta.concrete_fields
        if isinstance(f, SearchVectorField)
    ]
    empty = Q()
    for name in fields:
        empty |= Q(**{f"{name}__isnull": True})
    return bool(fields) and Publication.objects.filter(empty).exists()


def search_function(name: str):
    try:
        from publications import search
    except ImportError:
        return None
    return getattr(search, name, None)


def database_facts() -> dict:
    from django.db import connection

    from publications.models import Publication

    facts = {}
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        facts["postgresql"] = cursor.fetchone()[0]
        for setting in ("shared_buffers", "work_mem", "effective_cache_size", "jit"):
            cursor.execute(f"SHOW {setting}")
            facts[setting] = cursor.fetchone()[0]
        cursor.execute("SELECT pg_size_pretty(pg_database_size(current_database()))")
        facts["database_size"] = cursor.fetchone()[0]
        cursor.execute(
            """
            SELECT relname, pg_size_pretty(pg_total_relation_size(c.oid))
            FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
            WHERE n.nspname = 'public' AND c.relkind = 'r'
            ORDER BY pg_total_relation_size(c.oid) DESC LIMIT 6
            """
        )
        facts["largest_tables"] = dict(cursor.fetchall())
    facts["gin_indexes"] = gin_indexes()
    facts["publications"] = Publication.objects.count()
    facts["visible"] = Publication.objects.published().count()
    facts["cpus"] = os.cpu_count()
    return facts


def gin_indexes() -> dict:
    """GIN (and GiST) indexes of the database: name -> definition."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT indexname, indexdef FROM pg_indexes
            WHERE schemaname = 'public'
              AND (indexdef ILIKE '%USING gin%' OR indexdef ILIKE '%USING gist%')
            ORDER BY indexname
            """
        )
        return dict(cursor.fetchall())


# What is measured --------------------------------------------------------------


def pick_values() -> dict:
    """Slugs and names that exist in the generated catalogue."""
    from django.db.models import Count
    from taggit.models import Tag

    from authors.models import Author
    from centers.models import ResearchCenter
    from publications.models import Publication, PublicationType

    visible = Publication.objects.published()
    # An accented family name readers type without its accents: Lefèvre.
    author = (
        Author.objects.filter(family_name__regex="[éèêëàâäîïôöùûüçñáíóú]")
        .annotate(n=Count("authorships"))
        .order_by("-n", "pk")
        .first()
    ) or Author.objects.first()
    type_ = (
        PublicationType.objects.annotate(n=Count("publications"))
        .order_by("-n", "pk")
        .first()
    )
    center = (
        ResearchCenter.objects.annotate(n=Count("publications"))
        .order_by("-n", "pk")
        .first()
    )
    tag = Tag.objects.filter(name__in=["Sahel", "Energy", "China"]).first()
    latest = visible.order_by("-publication_date").first()
    year = latest.publication_date.year - 1 if latest else 2024
    return {
        "author_query": plain(f"{author.given_name} {author.family_name}").lower(),
        "author_family": plain(author.family_name).lower(),
        "author_slug": author.slug,
        "type": type_.slug,
        "center": center.slug,
        "tag": tag.slug if tag else "",
        "year": year,
    }


def plain(text: str) -> str:
    import unicodedata

    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def search_cases(v: dict) -> list[tuple[str, dict]]:
    """The 20 typical searches: (label, query-string parameters)."""
    return [
        ("word (en)", {"q": "sanctions"}),
        ("frequent word (en)", {"q": "security"}),
        ("word (en)", {"q": "deterrence"}),
        ("word (fr)", {"q": "dissuasion"}),
        ("word (fr), accented", {"q": "sécurité"}),
        ("word (fr), no accents", {"q": "energetique"}),
        ("author, no accents", {"q": v["author_family"]}),
        ("author full name, no accents", {"q": v["author_query"]}),
        ("tag", {"q": "Brexit"}),
        ("quoted phrase (en)", {"q": '"nuclear deterrence"'}),
        ("quoted phrase (fr)", {"q": '"transition énergétique"'}),
        ("prefix", {"q": "nucl*"}),
        ("prefix (fr)", {"q": "énerg*"}),
        ("two words (en)", {"q": "energy security"}),
        ("two words (en)", {"q": "china taiwan"}),
        ("two words (fr)", {"q": "politique étrangère"}),
        (
            "facets",
            {"q": "security", "type": v["type"], "lang": "en", "year": v["year"]},
        ),
        ("facet", {"q": "climate", "center": v["center"]}),
        ("sorted by date", {"q": "sanctions", "sort": "date"}),
        ("misspelling", {"q": "sanctoins"}),
    ]


def list_cases(v: dict) -> list[tuple[str, str, dict]]:
    """The publication list, and the search page browsed by facets alone
    (no query: every visible publication, with the facet counts)."""
    both = {"type": v["type"], "center": v["center"], "lang": "en", "year": v["year"]}
    return [
        ("list: no filter", "/en/publications/", {}),
        ("list: type", "/en/publications/", {"type": v["type"]}),
        (
            "list: center + year",
            "/en/publications/",
            {"center": v["center"], "year": v["year"]},
        ),
        ("list: tag", "/en/publications/", {"tag": v["tag"]}),
        ("list: author", "/en/publications/", {"author": v["author_slug"]}),
        ("list: language, page 5", "/en/publications/", {"lang": "fr", "page": 5}),
        ("list: four filters", "/en/publications/", both),
        ("facets: type", "/en/search/", {"type": v["type"]}),
        ("facets: year", "/en/search/", {"year": v["year"]}),
        ("facets: tag", "/en/search/", {"tag": v["tag"]}),
        ("facets: four filters", "/en/search/", both),
    ]


AUTOCOMPLETE_TERMS = ["sec", "nuc", "lef", "ener", "séc", "sah", "chi", "dis"]


def label(name: str, params: dict) -> str:
    """ "word (en): sanctions", with the filters: "facets: security type=..."."""
    extra = " ".join(f"{k}={v}" for k, v in params.items() if k != "q")
    return f"{name}: {params.get('q', '')}" + (f" {extra}" if extra else "")


def url(path: str, params: dict) -> str:
    return path + ("?" + urllib.parse.urlencode(params) if params else "")


# Measuring ---------------------------------------------------------------------


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


def run_search(params: dict):
    """search() as the page uses it: its first page, count, facets, suggestion."""
    from django.http import QueryDict

    search = search_function("search")
    query = QueryDict(mutable=True)
    for key, value in params.items():
        if key not in ("q", "sort"):
            query[key] = str(value)
    results = search(params.get("q", ""), query, sort=params.get("sort", "relevance"))
    with results.index_scans():
        found = results.total
        results.page(0, min(PAGE_SIZE, found))
        for values in results.facets.values():
            list(values)
    return None if found else results.suggestion


# EXPLAIN -----------------------------------------------------------------------


def explain(sql: str, settings=()) -> str:
    """EXPLAIN (ANALYZE, BUFFERS) of a captured SELECT, in a rolled-back
    transaction (ANALYZE runs the statement), under the SET LOCAL settings
    it ran with."""
    from django.db import connection, transaction

    if not re.match(r"\s*(SELECT|WITH)\b", sql, re.IGNORECASE):
        return "(not a SELECT: not explained)"
    try:
        with transaction.atomic():
            with connection.cursor() as cursor:
                for setting in settings:
                    cursor.execute(setting)
                cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
                plan = "\n".join(row[0] for row in cursor.fetchall())
            transaction.set_rollback(True)
    except Exception as error:  # a statement that cannot be replayed alone
        return f"(EXPLAIN failed: {error})"
    return plan


def indexes_used(plan: str, gin: dict) -> list[str]:
    return [name for name in gin if re.search(rf"\b{re.escape(name)}\b", plan)]


def main_search_sql(sql: list[dict]) -> dict | None:
    """The statement that finds and ranks the page of results: the one with
    ts_rank (else the slowest with a tsquery match)."""
    ranking = [q for q in sql if "ts_rank" in q["sql"]]
    matching = ranking or [q for q in sql if "@@" in q["sql"]]
    return max(matching or sql, key=lambda q: q["ms"], default=None)


def show_plan(title: str, statement: dict, gin: dict) -> dict:
    plan = explain(statement["sql"], statement.get("settings", ()))
    used = indexes_used(plan, gin)
    print(f"\n--- {title} ({statement['ms']:.1f} ms when captured)")
    for setting in statement.get("settings", ()):
        print(setting)
    print(shorten(statement["sql"]))
    print(plan)
    print(
        "GIN/GiST indexes used: " + (", ".join(used) if used else "NONE (no GIN scan)")
    )
    return {"title": title, "sql": statement["sql"], "plan": plan, "gin_used": used}


def shorten(sql: str, limit: int = 1500) -> str:
    return sql if len(sql) <= limit else sql[:limit] + f" ... [{len(sql)} chars]"


# Report ------------------------------------------------------------------------


def fmt(value, digits=1):
    return "-" if value is None else f"{value:,.{digits}f}"


def print_table(cases: list[Case]):
    headers = ["kind", "case", "runs", "p50 ms", "p95 ms", "max ms", "SQL", "hits", ""]
    rows = []
    for c in cases:
        verdict = "" if c.passed is None else ("PASS" if c.passed else "FAIL")
        rows.append(
            [
                c.kind,
                c.name if not c.error else f"{c.name} ({c.error})",
                str(c.runs or "-"),
                fmt(c.p50_ms),
                fmt(c.p95_ms),
                fmt(c.max_ms),
                c.queries or "-",
                "-" if c.results is None else f"{c.results:,}",
                verdict,
            ]
        )
    widths = [max(len(r[i]) for r in [headers, *rows]) for i in range(len(headers))]
    for i, row in enumerate([headers, *rows]):
        cells = [
            cell.ljust(w) if col < 2 else cell.rjust(w)
            for col, (cell, w) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if i == 0:
            print("  ".join("-" * w for w in widths))


def summarise(cases: list[Case]) -> list[dict]:
    summary = []
    for kind, target in (
        ("search", TARGETS_MS["search"]),
        ("search()", TARGETS_MS["search"]),
        ("list", TARGETS_MS["list"]),
        ("autocomplete", TARGETS_MS["autocomplete"]),
        ("autocomplete()", TARGETS_MS["autocomplete"]),
    ):
        measured = [c for c in cases if c.kind == kind and c.p95_ms is not None]
        failed = [c for c in cases if c.kind == kind and c.error]
        if not measured and not failed:
            continue
        worst = max(measured, key=lambda c: c.p95_ms, default=None)
        summary.append(
            {
                "kind": kind,
                "target_p95_ms": target,
                "cases": len(measured) + len(failed),
                "median_of_p50_ms": statistics.median(c.p50_ms for c in measured)
                if measured
                else None,
                "worst_p95_ms": worst.p95_ms if worst else None,
                "worst_case": worst.name if worst else None,
                "over_target": [c.name for c in measured if not c.passed],
                "errors": [f"{c.name}: {c.error}" for c in failed],
                "passed": bool(measured)
                and not failed
                and all(c.passed for c in measured),
            }
        )
    return summary


def print_summary(summary: list[dict]):
    print()
    for s in summary:
        verdict = "PASS" if s["passed"] else "FAIL"
        print(
            f"{verdict}  {s['kind']:<15} p95 < {s['target_p95_ms']:.0f} ms: worst "
            f"{fmt(s['worst_p95_ms'])} ms ({s['worst_case']}), median p50 "
            f"{fmt(s['median_of_p50_ms'])} ms over {s['cases']} cases"
            + (
                f"; over target: {', '.join(s['over_target'])}"
                if s["over_target"]
                else ""
            )
            + (f"; errors: {'; '.join(s['errors'])}" if s["errors"] else "")
        )


# Main --------------------------------------------------------------------------


def main():
    args = parse_args()
    load_before = os.getloadavg()[0]
    existing = publications_in(args)
    if existing is None:
        print(f"Creating database {args.database}...")
        recreate_database(args, drop=False)
    elif args.regenerate or existing != args.count:
        why = "--regenerate" if args.regenerate else f"{existing:,} publications"
        print(f"Recreating database {args.database} ({why})...")
        recreate_database(args, drop=True)
        existing = None
    else:
        print(f"Reusing {args.database}: {existing:,} publications already there.")
    setup_django(args)
    data = prepare_data(args, existing)
    if search_function("search") is None:
        sys.exit("publications/search/ has no search() yet: nothing to measure.")
    facts = database_facts()
    print(
        f"{facts['publications']:,} publications ({facts['visible']:,} visible), "
        f"database {facts['database_size']}; PostgreSQL {facts['postgresql']}, "
        f"jit={facts['jit']}, shared_buffers={facts['shared_buffers']}, "
        f"{facts['cpus']} CPUs; load average before the run {load_before:.2f}."
    )
    if facts["gin_indexes"]:
        print("GIN/GiST indexes: " + ", ".join(facts["gin_indexes"]))
    else:
        print("No GIN or GiST index in the database.")

    from django.test import Client

    client = Client(raise_request_exception=False)
    values = pick_values()
    cases: list[Case] = []
    captured: dict[int, list] = {}

    def add(case: Case, sql: list):
        case.target_ms = TARGETS_MS[case.kind.rstrip("()")]
        if case.p95_ms is not None:
            case.passed = case.p95_ms < case.target_ms
        captured[id(case)] = sql
        cases.append(case)
        print(
            f"  {case.kind:<15} {case.name:<34} p50 {fmt(case.p50_ms):>7} ms  "
            f"p95 {fmt(case.p95_ms):>7} ms  {case.error}",
            flush=True,
        )

    autocomplete = search_function("autocomplete")
    build = measure_index_build(args)
    facts["facet_index_build"] = build
    print(
        f"Facet index build (the first search after an edit): p50 "
        f"{fmt(build['p50_ms'])} ms, p95 {fmt(build['p95_ms'])} ms, "
        f"{build['queries']} queries."
    )
    print("\nMeasuring (caches cleared before every request)...")
    for name, params in search_cases(values):
        case = Case("search", label(name, params), url("/en/search/", params))
        add(case, measure_view(case, client, args))
        count_hits(case, "/en/search/", params)
    for name, params in search_cases(values):
        case = Case("search()", label(name, params), f"search({params!r})")
        try:
            sql = measure_function(case, lambda p=params: run_search(p), args)
        except Exception as error:
            case.error, sql = f"{type(error).__name__}: {error}", []
        add(case, sql)
    for name, path, params in list_cases(values):
        case = Case("list", name, url(path, params))
        add(case, measure_view(case, client, args))
        count_hits(case, path, params)
    for term in AUTOCOMPLETE_TERMS:
        case = Case("autocomplete", term, url("/en/search/autocomplete/", {"q": term}))
        add(case, measure_view(case, client, args))
    if autocomplete:
        for term in AUTOCOMPLETE_TERMS:
            case = Case("autocomplete()", term, f"autocomplete({term!r})")
            add(case, measure_function(case, lambda t=term: autocomplete(t), args))

    print()
    print(
        f"{facts['publications']:,} publications on PostgreSQL "
        f"{facts['postgresql']}; in-process Django test client; "
        f"{args.runs} runs after {args.warmup} warm-up (fewer past "
        f"{args.max_seconds:.0f} s); caches cleared before each request."
    )
    print_table(cases)
    summary = summarise(cases)
    print_summary(summary)

    plans = []
    if not args.skip_explain:
        gin = gin_indexes()
        for case in cases:
            if case.kind == "search" and case.name.startswith(
                ("frequent word (en)", "two words (en): energy")
            ):
                if statement := main_search_sql(captured[id(case)]):
                    plans.append(
                        show_plan(f"Main search SQL: {case.path}", statement, gin)
                    )
        for case in cases:
            if case.kind == "autocomplete" and case.name == "sec":
                for statement in captured[id(case)]:
                    plans.append(
                        show_plan(f"Autocomplete SQL: {case.path}", statement, gin)
                    )
        slow = [c for c in cases if c.passed is False and not c.kind.endswith("()")]
        if slow:
            print("\n=== Cases over their target: their slowest SQL ===")
        for case in slow:
            statements = sorted(captured[id(case)], key=lambda q: -q["ms"])[:1]
            for statement in statements:
                plan = show_plan(f"{case.kind}: {case.path}", statement, gin)
                case.slowest_sql.append(plan)

    results = {
        "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "load_average_before": load_before,
        "database": args.database,
        "data": data,
        "facts": facts,
        "values": values,
        "targets_ms": TARGETS_MS,
        "summary": summary,
        "cases": [asdict(c) for c in cases],
        "plans": plans,
    }
    out = Path(args.var_dir) / "results.json"
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nResults written to {out}.")

    if args.drop:
        from django.db import connections

        connections.close_all()
        drop_database(args)
        print(f"Database {args.database} dropped.")
    else:
        print(f"Database {args.database} kept for inspection (--drop to remove it).")
    return 0 if all(s["passed"] for s in summary) else 1


if __name__ == "__main__":
    sys.exit(main())
