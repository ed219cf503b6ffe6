"""Measure the demo site's main pages, served as `make run` serves them.

1. Starts `make run` (migrate, load the demo if empty, collect static, gunicorn)
   on 127.0.0.1:PORT, with its data in var/bench/ so figures do not depend on
   what was added to the local database.
2. With wrk, measures requests per second and p50/p99 latency of the home
   page, the publication list, an article page (the published one with the
   most authors and related links) and /healthz, the floor: a trivial view
   with one query.
3. Stops gunicorn, then renders each page in-process with Django's test
   client, with the cache cleared before each request, and reports the number
   of SQL queries and the median render time.

Only 127.0.0.1 is targeted and every run is bounded in time. Run it with
`make bench`; `make bench BENCH_ARGS="--help"` lists the options. Set
DATABASE_URL to measure on PostgreSQL.
"""

import argparse
import json
import os
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import asdict, dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"


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


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--duration", type=int, default=10, help="seconds per page")
    parser.add_argument("--warmup", type=int, default=2, help="seconds per page")
    parser.add_argument("--threads", type=int, default=2, help="wrk threads")
    parser.add_argument("--connections", type=int, default=8, help="wrk connections")
    parser.add_argument(
        "--requests", type=int, default=50, help="in-process requests per page"
    )
    parser.add_argument(
        "--start-timeout", type=int, default=300, help="seconds to wait for /healthz"
    )
    parser.add_argument(
        "--var-dir",
        default=os.environ.get("VAR_DIR", str(ROOT / "var" / "bench")),
        help="local data folder of the benchmarked site (default var/bench)",
    )
    return parser.parse_args()


# wrk ---------------------------------------------------------------------


def ensure_wrk() -> str:
    if path := shutil.which("wrk"):
        return path
    if os.geteuid() != 0:
        sys.exit(
            "wrk is not installed. Install it with `sudo apt-get install wrk` "
            "and run `make bench` again."
        )
    print("Installing wrk (Debian package)...", flush=True)
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    install = ["apt-get", "install", "-y", "-qq", "wrk"]
    if subprocess.run(install, env=env, check=False).returncode != 0:
        subprocess.run(["apt-get", "update", "-qq"], env=env, check=False)
        subprocess.run(install, env=env, check=False)
    if path := shutil.which("wrk"):
        return path
    sys.exit("Could not install wrk with apt-get; install it and run again.")


UNITS_MS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0, "h": 3_600_000.0}


def to_ms(value: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)([a-z]+)", value).groups()
    return float(number) * UNITS_MS[unit]


def parse_wrk(output: str) -> dict:
    def find(pattern):
        match = re.search(pattern, output, re.MULTILINE)
        return match.groups() if match else None

    result = {}
    if rps := find(r"^Requests/sec:\s+([\d.]+)"):
        result["rps"] = float(rps[0])
    if p50 := find(r"^\s+50%\s+(\S+)"):
        result["p50_ms"] = to_ms(p50[0])
    if p99 := find(r"^\s+99%\s+(\S+)"):
        result["p99_ms"] = to_ms(p99[0])
    if total := find(r"^\s+(\d+) requests in"):
        result["requests"] = int(total[0])
    if bad := find(r"Non-2xx or 3xx responses:\s+(\d+)"):
        result["bad_responses"] = int(bad[0])
    if errors := find(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)"
    ):
        result["socket_errors"] = sum(int(n) for n in errors)
    return result


def run_wrk(wrk: str, url: str, args, seconds: int) -> str:
    command = [
        wrk,
        f"-t{args.threads}",
        f"-c{args.connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
        url,
    ]
    completed = subprocess.run(
        command, capture_output=True, text=True, timeout=seconds + 60, check=False
    )
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed: {completed.stderr.strip()}")
    return completed.stdout


# The server --------------------------------------------------------------


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


OPENER = urllib.request.build_opener(NoRedirect)


def http_status(url: str) -> int:
    try:
        with OPENER.open(url, timeout=10) as response:
            response.read()
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def port_in_use(port: int) -> bool:
    with socket.socket() as sock:
        return sock.connect_ex((HOST, port)) == 0


class Server:
    """`make run` in its own process group, so that stopping it stops gunicorn."""

    def __init__(self, port: int, env: dict, log_path: Path):
        self.port = port
        self.env = env
        self.log_path = log_path
        self.process = None

    def start(self):
        self.log = self.log_path.open("w")
        make = os.environ.get("MAKE", "make")
        self.process = subprocess.Popen(
            [make, "--no-print-directory", "run", f"PORT={self.port}"],
            cwd=ROOT,
            env=self.env,
            stdin=subprocess.DEVNULL,
            stdout=self.log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )

    def wait_until_ready(self, timeout: int):
        url = f"http://{HOST}:{self.port}/healthz"
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"`make run` exited with status {self.process.returncode} "
                    f"before answering.\n{self.log_tail()}"
                )
            try:
                status = http_status(url)
            except OSError:
                time.sleep(0.5)
                continue
            if status == 200:
                return
            raise RuntimeError(f"/healthz answered HTTP {status}.\n{self.log_tail()}")
        raise RuntimeError(f"No answer from {url} after {timeout}s.\n{self.log_tail()}")

    def stop(self):
        if self.process is None:
            return
        pgid = self.process.pid  # a session leader: its pid is its group id
        try:
            os.killpg(pgid, signal.SIGTERM)
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            pass
        except ProcessLookupError:
            pass
        # gunicorn's workers live in the same group; make sure none is left.
        try:
            os.killpg(pgid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        self.process.wait(timeout=10)
        self.log.close()

    def description(self) -> str:
        """Worker settings, read from the gunicorn command `make run` printed."""
        command = self.log_path.read_text(errors="replace")
        workers = re.search(r"\bWORKERS=(\d+)", command)
        threads = re.search(r"\bTHREADS=(\d+)", command)
        if not workers:
            return "gunicorn"
        text = f"gunicorn, {workers[1]} workers"
        return text + (f" x {threads[1]} threads" if threads else "")

    def log_tail(self, lines: int = 30) -> str:
        self.log.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return (
            "--- last lines of " + str(self.log_path) + "\n" + "\n".join(text[-lines:])
        )


# In-process measurements ---------------------------------------------------


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


# Report ------------------------------------------------------------------


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


def main():
    args = parse_args()
    wrk = ensure_wrk()
    args.load_before = os.getloadavg()[0]
    if port_in_use(args.port):
        sys.exit(f"Port {args.port} is already in use; choose another with --port.")

    var_dir = str(Path(args.var_dir).resolve())
    Path(var_dir).mkdir(parents=True, exist_ok=True)
    server_env = dict(os.environ, VAR_DIR=var_dir)
    log_path = Path(var_dir) / "server.log"
    server = Server(args.port, server_env, log_path)

    def on_sigterm(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_sigterm)

    pages = [
        Page("home", "/en/"),
        Page("list", "/en/publications/"),
        Page("article", ""),
        Page("healthz (floor)", "/healthz"),
    ]
    base = f"http://{HOST}:{args.port}"
    print(f"Starting `make run PORT={args.port}` (log: {log_path})...", flush=True)
    try:
        server.start()
        server.wait_until_ready(args.start_timeout)
        setup_django(var_dir)

        from django.conf import settings

        engine = settings.DATABASES["default"]["ENGINE"].rsplit(".", 1)[-1]
        article = pick_article()
        if article is None:
            pages[2].path = "-"
            pages[2].error = "no published publication"
        else:
            pages[2].path = f"/en/publications/{article.slug}/"
            pages[2].label = "/en/publications/<slug>/"
            pages[2].notes.append(
                f"{article.slug}: {article.n_authors} author(s), "
                f"{article.n_links} related link(s)"
            )

        for page in pages:
            if page.error:
                continue
            page.status = http_status(base + page.path)
            if page.status != 200:
                page.error = f"HTTP {page.status}"
                continue
            print(f"wrk {page.path} ...", flush=True)
            run_wrk(wrk, base + page.path, args, args.warmup)
            result = parse_wrk(run_wrk(wrk, base + page.path, args, args.duration))
            for key, value in result.items():
                setattr(page, key, value)
            if "rps" not in result:
                page.error = "wrk output not understood"
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
        print(f"Benchmark stopped: {error}", file=sys.stderr)
        return 1
    finally:
        server.stop()

    measure_in_process(pages, args.requests)
    print_table(pages, args, engine, server.description())
    (Path(var_dir) / "results.json").write_text(
        json.dumps([asdict(page) for page in pages], indent=2)
    )
    return 1 if any(page.error for page in pages) else 0


if __name__ == "__main__":
    sys.exit(main())
