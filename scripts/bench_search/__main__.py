"""Parse the options, prepare the database, measure every case, report."""

import argparse
import datetime
import os
import sys
from dataclasses import asdict
from pathlib import Path

from . import __doc__ as DESCRIPTION
from .cases import (
    AUTOCOMPLETE_TERMS,
    TARGETS_MS,
    Case,
    label,
    list_cases,
    pick_values,
    run_search,
    search_cases,
    url,
)
from .database import (
    ROOT,
    database_facts,
    drop_database,
    prepare_data,
    publications_in,
    recreate_database,
    search_function,
    setup_django,
)
from .explain import explain_cases
from .machine import describe, machine_speed
from .measure import (
    MIN_RUNS,
    count_hits,
    measure_function,
    measure_index_build,
    measure_view,
)
from .report import fmt, print_summary, print_table, summarise, write_results


def parse_args():
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench_search",
        description=DESCRIPTION.splitlines()[0],
    )
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
    machine = machine_speed()
    print(describe(machine), flush=True)

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

    plans = [] if args.skip_explain else explain_cases(cases, captured)

    write_results(
        Path(args.var_dir) / "results.json",
        {
            "when": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
            "load_average_before": load_before,
            "machine": machine,
            "database": args.database,
            "data": data,
            "facts": facts,
            "values": values,
            "targets_ms": TARGETS_MS,
            "summary": summary,
            "cases": [asdict(c) for c in cases],
            "plans": plans,
        },
    )

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
