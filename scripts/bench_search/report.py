"""The table of the cases, the summary against the targets, results.json."""

import json
import statistics
from pathlib import Path

from .cases import TARGETS_MS, Case


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


def write_results(out: Path, results: dict):
    out.write_text(json.dumps(results, indent=2, default=str))
    print(f"\nResults written to {out}.")
