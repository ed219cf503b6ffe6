"""PDF processing on upload: time and memory of accepting a report end to end."""

import argparse
import io
import os
import random
import sys
from pathlib import Path

from scripts.bench.inprocess import setup_django

ROOT = Path(__file__).resolve().parent.parent.parent


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


def processing_worker(options) -> int:
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
        setup_django(str(scratch))
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
            "-m",
            "scripts.bench_pdf",
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
