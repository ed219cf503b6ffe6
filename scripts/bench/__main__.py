"""Parse the options, serve the site, measure each page, print and save."""

import argparse
import json
import os
import signal
import subprocess
import sys
from dataclasses import asdict
from pathlib import Path

from . import __doc__ as DESCRIPTION
from .inprocess import measure_in_process, pick_article, setup_django
from .report import Page, print_table
from .server import HOST, ROOT, Server, http_status, port_in_use
from .wrk import ensure_wrk, parse_wrk, run_wrk


def parse_args():
    parser = argparse.ArgumentParser(
        prog="python -m scripts.bench", description=DESCRIPTION.splitlines()[0]
    )
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
