"""PDF serving: the download view under load, as `make run` serves it."""

import argparse
import io
import os
import random
import re
import subprocess
import sys
import urllib.request
from pathlib import Path

from scripts.bench.inprocess import setup_django
from scripts.bench.report import fmt
from scripts.bench.server import HOST, OPENER, Server, port_in_use
from scripts.bench.wrk import ensure_wrk, parse_wrk

ROOT = Path(__file__).resolve().parent.parent.parent


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
    with OPENER.open(request, timeout=30) as response:
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
    completed = subprocess.run(
        [*command, url],
        capture_output=True,
        text=True,
        timeout=seconds + 60,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(f"wrk failed: {completed.stderr.strip()}")
    result = parse_wrk(completed.stdout)
    if transfer := re.search(r"^Transfer/sec:\s+([\d.]+)(\w+)", completed.stdout, re.M):
        scale = {"B": 1 / 2**20, "KB": 1 / 1024, "MB": 1, "GB": 1024}
        result["mib_s"] = float(transfer[1]) * scale.get(transfer[2], 0)
    return result


def measure_serving(argv=None) -> int:
    """Requests per second and latency of the PDF download view under load."""
    options, _ = serving_options().parse_known_args(argv)
    wrk = ensure_wrk()
    load_before = os.getloadavg()[0]
    if port_in_use(options.serving_port):
        print(f"Port {options.serving_port} is in use; pass --serving-port.")
        return 1
    var_dir = Path(options.serving_var_dir).resolve()
    var_dir.mkdir(parents=True, exist_ok=True)
    env = dict(os.environ, VAR_DIR=str(var_dir), PDF_DELIVERY="django")
    server = Server(options.serving_port, env, var_dir / "server.log")
    base = f"http://{HOST}:{options.serving_port}"
    rows = []
    print(f"Starting `make run PORT={options.serving_port}` for the PDF benchmark")
    try:
        server.start()
        server.wait_until_ready(options.serving_start_timeout)
        setup_django(str(var_dir))
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
    except (RuntimeError, OSError, subprocess.SubprocessError) as error:
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
            f"{name:<26}{fmt(result.get('rps'), 0):>9}"
            f"{fmt(result.get('p50_ms'), 2):>9}"
            f"{fmt(result.get('p99_ms'), 2):>9}"
            f"{fmt(result.get('mib_s'), 1):>9}"
            f"{errors:>8}{result.get('requests', 0):>10}{result['counted']:>9}"
        )
    print(
        "counted: downloads added to the counter during the run (requests "
        "still in flight when wrk stops may count too); range continuations "
        "must add none."
    )
    return 1 if failed else 0
