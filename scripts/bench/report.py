"""The record of each measured page, and the table of them."""

from dataclasses import dataclass, field

from .server import HOST


@dataclass
class Page:
    name: str
    path: str
    label: str = ""  # shown instead of a long path
    status: int | None = None
    error: str = ""
    rps: float | None = None
    p50_ms: float | None = None
    p99_ms: float | None = None
    requests: int | None = None
    bad_responses: int = 0
    socket_errors: int = 0
    queries: str = ""
    render_ms: float | None = None
    notes: list[str] = field(default_factory=list)


def fmt(value, digits=1):
    return "-" if value is None else f"{value:,.{digits}f}"


def print_table(pages: list[Page], args, engine: str, server: str):
    print()
    print(
        f"wrk -t{args.threads} -c{args.connections} -d{args.duration}s against "
        f"`make run` ({server}) on {HOST}:{args.port}; database: {engine}."
    )
    print(
        f"In-process: Django test client, cache cleared before each request, "
        f"median of {args.requests}."
    )
    print(
        "Load average before the run: "
        f"{args.load_before:.2f} (figures are noisy on a busy machine)."
    )
    headers = "page path req/s p50_ms p99_ms errors queries render_ms".split()
    headers = [h.replace("_", " ") for h in headers]
    rows = []
    for page in pages:
        errors = page.bad_responses + page.socket_errors
        rows.append(
            [
                page.name,
                page.label or page.path,
                page.error or fmt(page.rps, 0),
                fmt(page.p50_ms, 2),
                fmt(page.p99_ms, 2),
                "-" if page.rps is None else str(errors),
                page.queries or "-",
                fmt(page.render_ms, 2),
            ]
        )
    widths = [max(len(str(row[i])) for row in [headers, *rows]) for i in range(8)]
    for i, row in enumerate([headers, *rows]):
        cells = [
            str(cell).ljust(width) if col < 2 else str(cell).rjust(width)
            for col, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        print("  ".join(cells).rstrip())
        if i == 0:
            print("  ".join("-" * width for width in widths))
    for page in pages:
        for note in page.notes:
            print(f"{page.name}: {note}")
