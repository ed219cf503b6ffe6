"""The machine's speed: a fixed Python workload and a fixed PostgreSQL statement.

Their times say how fast this machine (and its PostgreSQL server) is, so that
runs on different machines can be compared: lower is faster.
"""

import time
from pathlib import Path

RUNS = 5
PYTHON_WORKLOAD = "sum(i * i for i in range(2_000_000))"
POSTGRESQL_STATEMENT = "SELECT count(*) FROM generate_series(1, 2000000)"


def cpu_model() -> str | None:
    """The CPU's model name from /proc/cpuinfo; None when it cannot be read."""
    try:
        text = Path("/proc/cpuinfo").read_text(errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        key, _, value = line.partition(":")
        if key.strip() in ("model name", "Model", "cpu model") and value.strip():
            return value.strip()
    return None


def best_ms(call, runs: int = RUNS) -> float:
    """The fastest of `runs` calls, in ms."""
    timings = []
    for _ in range(runs):
        began = time.perf_counter()
        call()
        timings.append((time.perf_counter() - began) * 1000)
    return min(timings)


def python_loop():
    return sum(i * i for i in range(2_000_000))


def postgresql_series(cursor):
    cursor.execute(POSTGRESQL_STATEMENT)
    return cursor.fetchone()[0]


def machine_speed() -> dict:
    """The CPU model and the best times of both workloads, on the bench
    database's connection."""
    from django.db import connection

    python_ms = best_ms(python_loop)
    with connection.cursor() as cursor:
        postgresql_ms = best_ms(lambda: postgresql_series(cursor))
    return {
        "cpu_model": cpu_model(),
        "python_loop_ms": round(python_ms, 1),
        "postgresql_series_ms": round(postgresql_ms, 1),
        "runs": RUNS,
        "python_workload": PYTHON_WORKLOAD,
        "postgresql_statement": POSTGRESQL_STATEMENT,
    }


def describe(machine: dict) -> str:
    return (
        f"Machine: {machine['cpu_model'] or 'CPU model unknown'}, Python loop "
        f"{machine['python_loop_ms']:.0f} ms, PostgreSQL series "
        f"{machine['postgresql_series_ms']:.0f} ms (best of {machine['runs']}; "
        "lower is faster: compare runs on different machines by these)"
    )
