"""Measure the full-analysis PDF pipeline: processing on upload, and serving.

- measure_processing(): the upload pipeline. Accepting a generated 300-page
  report end to end (checks in the sandboxed child, text extraction, first-page
  thumbnail, storage, version row), on a scratch database in its own process:
  wall time, the web worker's tracemalloc peak and max RSS, and the checking
  child's peak RSS (RUSAGE_CHILDREN). `--skip-processing` leaves it out.
- measure_serving(): the download view under load, as `make run` serves it
  (gunicorn on 127.0.0.1, PDF_DELIVERY=django). It starts `make run` with its
  own data in var/bench-pdf/, gives a published publication a ~1 MiB PDF, and
  with wrk reports requests per second, p50/p99 latency and throughput of full
  downloads and of 64 KiB range requests. The server is stopped at the end.

Only 127.0.0.1 is targeted and every run is bounded in time. Run it with
`.venv/bin/python scripts/bench_pdf.py` (`--help` for the options).
"""

import argparse
import io
import os
import random
import re
import signal
import sys
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "scripts"))

import bench as site_bench  # noqa: E402 - the helpers of scripts/bench.py

HOST = site_bench.HOST


# Processing ------------------------------------------------------------------

PROCESSING_PAGES = 300


def processing_options():
    parser = argparse.ArgumentParser(add_help=False)
    group = parser.add_argument_group("processing")
    group.add_argument(
        "--processing-pages", type=int, default=PROCESSING_PAGES, help="PDF pages"
    )
    group.add_argument("--processing-runs", type=int, default=3)
    group.add_argument("--skip-processing", action="store_true")
    group.add_argument(
        "--processing-worker", action="store_true", help=argparse.SUPPRESS
    )
    return parser


def _report_pdf(pages: int) -> bytes:
    """A report of `pages` pages of real text (about 45 lines each), with a
    title in its properties, as an export from a word processor would be."""
    from reportlab.lib.pagesizes import A4
    from reportlab.pdfgen import canvas

    words = (
        "energy security interconnection Sahel deterrence grid transition "
        "sanctions maritime Indo-Pacific critical minerals hydrogen diplomacy "
        "alliance budget enlargement market"
    ).split()
    rng = random.Random(2026)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, pagesize=A4, pageCompression=1)
    pdf.setTitle("Benchmark report")
    for number in range(1, pages + 1):
        text = pdf.beginText(56, 780)
        text.setFont("Helvetica", 10)
        text.textLine(f"Benchmark report, page {number}")
        for _ in range(45):
            text.textLine(" ".join(rng.choice(words) for _ in range(12)))
        pdf.drawText(text)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _processing_worker(options) -> int:
    """In its own process (Django is set up once per process, and the serving
    half sets it up for its own data): migrate a scratch database, then time
    accepting the PDF end to end, then the checking child alone."""
    import json
    import resource
    import tempfile
    import time
    import tracemalloc

    with tempfile.TemporaryDirectory(prefix="bench-pdf-") as scratch:
        scratch = Path(scratch)
        os.environ.update(
            DATABASE_URL=f"sqlite:///{scratch / 'db.sqlite3'}",
            MEDIA_ROOT=str(scratch / "media"),
            PRIVATE_MEDIA_ROOT=str(scratch / "private"),
        )
        site_bench.setup_django(str(scratch))
        from django.conf import settings
        from django.core.files.base import ContentFile
        from django.core.management import call_command

        from centers.models import ResearchCenter
        from publications import documents, pdfcheck
        from publications.models import Publication, PublicationType

        call_command("migrate", verbosity=0)
        data = _report_pdf(options.processing_pages)
        center = ResearchCenter.objects.create(name="Bench", slug="bench")
        kind = PublicationType.objects.create(
            name="Report", plural_name="Reports", slug="reports"
        )
        figures = {"pages": options.processing_pages, "size": len(data), "runs": []}
        for run in range(options.processing_runs):
            publication = Publication.objects.create(
                title=f"Benchmark {run}",
                slug=f"bench-{run}",
                type=kind,
                center=center,
                teaser="Bench.",
            )
            publication.pdf = ContentFile(data, name="report.pdf")
            tracemalloc.start()
            started = time.perf_counter()
            publication.save()  # checks, text, thumbnail, storage, version row
            wall = time.perf_counter() - started
            _, peak = tracemalloc.get_traced_memory()
            tracemalloc.stop()
            version = publication.current_pdf_version
            figures["runs"].append({"wall_s": wall, "parent_peak_mib": peak / 2**20})
        figures["text_chars"] = len(publication.pdf_text)
        figures["text_complete"] = version.text_complete
        figures["thumbnail_bytes"] = publication.pdf_thumbnail.size

        # The checking child alone: its CPU time is what RUSAGE_CHILDREN
        # gains; its peak RSS the largest of any child's, all alike.
        path = scratch / "report.pdf"
        path.write_bytes(data)
        limits = pdfcheck.Limits(
            settings.PDF_MAX_PAGES,
            settings.PDF_CHECK_TIMEOUT,
            settings.PDF_CHECK_MEMORY,
            documents.PDF_TEXT_MAX_BYTES,
        )
        outdir = scratch / "check"
        outdir.mkdir()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.perf_counter()
        pdfcheck.check_in_child(path, outdir, limits)
        figures["child_wall_s"] = time.perf_counter() - started
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)
        figures["child_peak_rss_mib"] = usage.ru_maxrss / 1024
        figures["child_cpu_s"] = (usage.ru_utime + usage.ru_stime) - (
            before.ru_utime + before.ru_stime
        )
        figures["parent_peak_rss_mib"] = (
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        )
        figures["limits"] = {
            "timeout_s": settings.PDF_CHECK_TIMEOUT,
            "memory_mib": settings.PDF_CHECK_MEMORY / 2**20,
        }
    print(json.dumps(figures))
    return 0


def measure_processing(argv=None) -> int:
    """Time and memory of accepting a generated report PDF end to end."""
    import json
    import statistics
    import subprocess

    options, _ = processing_options().parse_known_args(argv)
    if options.skip_processing:
        return 0
    print(
        f"Processing a {options.processing_pages}-page PDF "
        f"({options.processing_runs} runs) ...",
        flush=True,
    )
    completed = subprocess.run(
        [
            sys.executable,
            __file__,
            "--processing-worker",
            f"--processing-pages={options.processing_pages}",
            f"--processing-runs={options.processing_runs}",
        ],
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
        cwd=ROOT,
    )
    if completed.returncode != 0:
        print(f"Processing benchmark failed:\n{completed.stderr}", file=sys.stderr)
        return 1
    figures = json.loads(completed.stdout.strip().splitlines()[-1])
    walls = [run["wall_s"] for run in figures["runs"]]
    peaks = [run["parent_peak_mib"] for run in figures["runs"]]
    print()
    print(
        f"PDF processing: {figures['pages']} pages, "
        f"{figures['size'] / 2**20:.2f} MiB; load average "
        f"{os.getloadavg()[0]:.2f}; limits {figures['limits']['timeout_s']:g} s, "
        f"{figures['limits']['memory_mib']:.0f} MiB."
    )
    print(
        f"  accept end to end (check + text + thumbnail + storage + rows): "
        f"median {statistics.median(walls):.2f} s "
        f"(min {min(walls):.2f}, max {max(walls):.2f})"
    )
    print(
        f"  web worker: tracemalloc peak {max(peaks):.1f} MiB, "
        f"max RSS {figures['parent_peak_rss_mib']:.0f} MiB"
    )
    print(
        f"  checking child alone: {figures['child_wall_s']:.2f} s wall, "
        f"{figures['child_cpu_s']:.2f} s CPU, peak RSS "
        f"{figures['child_peak_rss_mib']:.0f} MiB (RUSAGE_CHILDREN)"
    )
    print(
        f"  kept: {figures['text_chars']:,} characters of text "
        f"({'complete' if figures['text_complete'] else 'cut at a limit'}), "
        f"{figures['thumbnail_bytes'] / 1024:.0f} KiB first-page thumbnail"
    )
    return 0


# Serving -------------------------------------------------------------------

SERVING_SLUG = "bench-pdf-serving"
SERVING_PDF_SIZE = 1024 * 1024
RANGE_SIZE = 64 * 1024


def serving_options(argv=None):
    parser = argparse.ArgumentParser(add_help=False)
    group = parser.add_argument_group("serving")
    group.add_argument("--serving-port", type=int, default=8766)
    group.add_argument("--serving-duration", type=int, default=10, help="seconds")
    group.add_argument("--serving-warmup", type=int, default=2, help="seconds")
    group.add_argument("--serving-threads", type=int, default=2, help="wrk threads")
    group.add_argument(
        "--serving-connections", type=int, default=8, help="wrk connections"
    )
    group.add_argument("--serving-start-timeout", type=int, default=300)
    group.add_argument(
        "--serving-var-dir", default=str(ROOT / "var" / "bench-pdf"), help="data"
    )
    return parser


def _big_pdf(size: int) -> bytes:
    """A one-page PDF of about `size` bytes: an incompressible noise image
    (reportlab stores it ASCII85-encoded: 5 bytes for every 4)."""
    from PIL import Image
    from reportlab.lib.utils import ImageReader
    from reportlab.pdfgen import canvas

    side = int((size * 4 / 5 / 3) ** 0.5)
    noise = random.Random(1).randbytes(side * side * 3)
    image = Image.frombytes("RGB", (side, side), noise)
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    pdf.drawString(72, 800, "Benchmark: serving a full-analysis PDF")
    pdf.drawImage(ImageReader(image), 72, 200, width=450, height=450)
    pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def _prepare_publication() -> str:
    """A published publication whose PDF is ~1 MiB; returns its PDF URL."""
    from django.core.files.base import ContentFile
    from django.utils import translation

    from publications.models import Publication

    publication = Publication.objects.filter(slug=SERVING_SLUG).first()
    size = publication.pdf_size if publication else None
    if not size or abs(size - SERVING_PDF_SIZE) > SERVING_PDF_SIZE // 10:
        source = Publication.objects.published().order_by("pk").first()
        if source is None:
            raise RuntimeError("no published publication in the demo data")
        if publication is None:
            publication = source
            publication.pk = None
            publication._state.adding = True
            publication.slug = SERVING_SLUG
        publication.pdf = ContentFile(_big_pdf(SERVING_PDF_SIZE), name="bench.pdf")
        publication.save()
    with translation.override("en"):
        return publication.get_pdf_url()


def _download_count() -> int:
    from publications.models import Publication

    return Publication.objects.values_list("download_count", flat=True).get(
        slug=SERVING_SLUG
    )


def _check(url: str, headers: dict, status: int, length: int) -> str:
    request = urllib.request.Request(url, headers=headers)  # noqa: S310
    with site_bench.OPENER.open(request, timeout=30) as response:
        body = response.read()
    if response.status != status or len(body) != length:
        return f"HTTP {response.status}, {len(body)} bytes"
    return ""


def _wrk(wrk: str, url: str, options, seconds: int, headers=()) -> dict:
    command = [
        wrk,
        f"-t{options.serving_threads}",
        f"-c{options.serving_connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "--latency",
    ]
    for header in headers:
        command += ["-H", header]
    completed = site_bench.subprocess.run(
        [*command, url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed: {completed.stderr.strip()}")
    result = site_bench.parse_wrk(completed.stdout)
    if transfer := re.search(r"^Transfer/sec:\s+([\d.]+)(\w+)", completed.stdout, re.M):
        scale = {"B": 1 / 2**20, "KB": 1 / 1024, "MB": 1, "GB": 1024}
        result["mib_s"] = float(transfer[1]) * scale.get(transfer[2], 0)
    return result


def measure_serving(argv=None) -> int:
    """Requests per second and latency of the PDF download view under load."""
    options, _ = serving_options().parse_known_args(argv)
    wrk = site_bench.ensure_wrk()
    load_before = os.getloadavg()[0]
    if site_bench.port_in_use(options.serving_port):
        print(f"Port {options.serving_port} is in use; pass --serving-port.")
        return 1
    var_dir = Path(options.serving_var_dir).resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, VAR_DIR=str(var_dir), PDF_DELIVERY="django")
    server = site_bench.Server(options.serving_port, env, var_dir / "server.log")
    base = f"http://{HOST}:{options.serving_port}"
    rows = []
    print(f"Starting `make run PORT={options.serving_port}` for the PDF benchmark")
    try:
        server.start()
        server.wait_until_ready(options.serving_start_timeout)
        site_bench.setup_django(str(var_dir))
        url = base + _prepare_publication()
        from publications.models import Publication

        size = Publication.objects.get(slug=SERVING_SLUG).pdf_size
        last = RANGE_SIZE * 2 - 1
        cases = [
            (f"full download ({size / 2**20:.2f} MiB)", (), 200, size),
            (
                f"range {RANGE_SIZE // 1024} KiB",
                (f"Range: bytes={RANGE_SIZE}-{last}",),
                206,
                RANGE_SIZE,
            ),
        ]
        for name, headers, status, length in cases:
            header_dict = dict(h.split(": ", 1) for h in headers)
            if problem := _check(url, header_dict, status, length):
                rows.append((name, {"error": problem}))
                continue
            print(f"wrk {name} ...", flush=True)
            _wrk(wrk, url, options, options.serving_warmup, headers)
            before = _download_count()
            result = _wrk(wrk, url, options, options.serving_duration, headers)
            result["counted"] = _download_count() - before
            rows.append((name, result))
    except (RuntimeError, OSError, site_bench.subprocess.SubprocessError) as error:
        print(f"Serving benchmark stopped: {error}", file=sys.stderr)
        return 1
    finally:
        server.stop()

    print()
    print(
        f"PDF serving: wrk -t{options.serving_threads} "
        f"-c{options.serving_connections} -d{options.serving_duration}s against "
        f"`make run` ({server.description()}) on {HOST}:{options.serving_port}, "
        f"PDF_DELIVERY=django; load average before: {load_before:.2f}."
    )
    header = f"{'case':<26}{'req/s':>9}{'p50 ms':>9}{'p99 ms':>9}{'MiB/s':>9}"
    header += f"{'errors':>8}{'requests':>10}{'counted':>9}"
    print(header)
    print("-" * len(header))
    failed = False
    for name, result in rows:
        if "error" in result:
            print(f"{name:<26}{result['error']}")
            failed = True
            continue
        errors = result.get("bad_responses", 0) + result.get("socket_errors", 0)
        print(
            f"{name:<26}{site_bench.fmt(result.get('rps'), 0):>9}"
            f"{site_bench.fmt(result.get('p50_ms'), 2):>9}"
            f"{site_bench.fmt(result.get('p99_ms'), 2):>9}"
            f"{site_bench.fmt(result.get('mib_s'), 1):>9}"
            f"{errors:>8}{result.get('requests', 0):>10}{result['counted']:>9}"
        )
    print(
        "counted: downloads added to the counter during the run (requests "
        "still in flight when wrk stops may count too); range continuations "
        "must add none."
    )
    return 1 if failed else 0


def main():
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0], parents=[serving_options()]
    )
    parser.add_argument("--skip-serving", action="store_true")
    options, _ = parser.parse_known_args()
    processing, _ = processing_options().parse_known_args()
    if processing.processing_worker:
        return _processing_worker(processing)

    def on_sigterm(signum, frame):
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, on_sigterm)
    failed = False
    processing = globals().get("measure_processing")  # the upload half
    if callable(processing):
        result = processing(sys.argv[1:])
        failed |= isinstance(result, int) and result != 0
    if not options.skip_serving:
        failed |= measure_serving(sys.argv[1:]) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
