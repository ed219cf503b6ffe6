"""EXPLAIN (ANALYZE, BUFFERS) of captured SQL, and which GIN indexes it uses."""

import re

from .database import gin_indexes


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


def explain_cases(cases: list, captured: dict[int, list]) -> list[dict]:
    """Shows the plans of the main search SQL and the autocomplete SQL, then
    of the slowest SQL of every case over its target; returns them all."""
    gin = gin_indexes()
    plans = []
    for case in cases:
        if case.kind == "search" and case.name.startswith(
            ("frequent word (en)", "two words (en): energy")
        ):
            if statement := main_search_sql(captured[id(case)]):
                plans.append(show_plan(f"Main search SQL: {case.path}", statement, gin))
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
    return plans
