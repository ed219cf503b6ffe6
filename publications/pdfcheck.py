"""Read an uploaded PDF in a throw-away child process with hard limits.

Parsing a PDF means running a large parser (pypdf) and a C++ renderer (PDFium)
on bytes anybody with an uploader account can craft. A hostile file can make
them loop, recurse without end or allocate gigabytes; PDFium even aborts the
whole process when an allocation fails. So none of it runs in a web worker:
``publications.documents`` starts a fresh child process for each file, this
module's ``run()`` caps the child's memory, CPU time and file sizes before
reading anything, and the parent kills it when its wall-clock time is up. The
worker only ever sees the facts the child wrote into a folder: a small JSON
file, the extracted text and the first-page thumbnail.

What the file holds that a viewer could run is found by
``publications.pdfscan``. Nothing here imports Django, so the module loads
fast in the child. To check a file by hand::

    python -m publications.pdfcheck report.pdf [--outdir DIR] [--timeout 60]
"""

import argparse
import io
import json
import logging
import math
import multiprocessing
import os
import re
import resource
import signal
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass
from multiprocessing import context as mp_context
from multiprocessing import forkserver, popen_forkserver, reduction, spawn, util
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import LimitReachedError

from .pdfscan import HEAD_SIZE, Refused, active_content, starts_like_pdf

RESULT_FILE = "result.json"
TEXT_FILE = "text.txt"
THUMBNAIL_FILE = "first-page.webp"

# The thumbnail: first page ~600 px wide, never taller than three widths.
THUMBNAIL_WIDTH = 600
THUMBNAIL_MAX_HEIGHT = 1800
# Share of the time limit text extraction may use: text is best effort (a
# long report keeps the text read so far), the checks before it are not.
TEXT_TIME_SHARE = 0.6
# Whatever the child writes (text, thumbnail) stays below this size.
MAX_WRITTEN_FILE = 64 * 1024 * 1024

# /Lang is a BCP 47 tag such as "fr-FR"; anything else is ignored.
LANGUAGE_TAG = re.compile(r"[A-Za-z]{1,8}(-[A-Za-z0-9]{1,8}){0,5}")
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]+")


@dataclass(frozen=True)
class Limits:
    max_pages: int
    timeout: float  # wall-clock seconds the parent waits before killing us
    memory: int  # bytes of address space
    text_bytes: int  # UTF-8 bytes of extracted text kept


class TextTimeUp(BaseException):
    """Raised by the alarm when text extraction has used its share of time.

    A BaseException, so that pypdf's own ``except Exception`` cannot swallow it.
    """


# The parent's side ---------------------------------------------------------


def check_in_child(path: Path, outdir: Path, limits: Limits) -> dict:
    """Check a file in a fresh child process; return what the child found.

    Returns ``{"refused": ["pdf_too_complex"], "killed": ...}`` when the child
    ran out of time (it is then killed) or died without answering: killed by
    its CPU or memory limit or crashed (PDFium aborts when an allocation fails),
    "killed" then being its exit code (negative: the signal).
    """
    process = _CheckProcess(
        target=run, args=(str(path), str(outdir), limits), daemon=True
    )
    _ensure_forkserver()
    process.start()
    process.join(limits.timeout)
    if process.exitcode is None:
        process.kill()
        process.join()
        return {"refused": ["pdf_too_complex"], "killed": "timeout"}
    exitcode = process.exitcode
    process.close()
    result_file = outdir / RESULT_FILE
    if not result_file.is_file():
        return {"refused": ["pdf_too_complex"], "killed": exitcode}
    return json.loads(result_file.read_text(encoding="utf-8"))


# Each check runs in a process forked from multiprocessing's fork server: a
# small process that only imported the parsers, never read a file and has no
# threads. So every file gets a fresh process (nothing left over from another
# file), never a fork of the threaded, Django-laden web worker, and starting
# one costs milliseconds instead of a new interpreter's few hundred.
PRELOAD = ["publications.pdfcheck", "pypdfium2", "PIL.WebPImagePlugin"]
_forkserver_lock = threading.Lock()
_preloaded = False


def _ensure_forkserver() -> None:
    global _preloaded
    with _forkserver_lock:
        if not _preloaded:
            multiprocessing.get_context("forkserver").set_forkserver_preload(PRELOAD)
            _preloaded = True


class _Popen(popen_forkserver.Popen):
    """The standard library's fork-server launch (Python 3.11 and 3.12), less
    one step: the child is not told to import the parent's main module (the
    pytest or gunicorn script), which the check does not need and which would
    cost more than the check itself."""

    def _launch(self, process_obj):
        prep_data = spawn.get_preparation_data(process_obj._name)
        prep_data.pop("init_main_from_path", None)
        prep_data.pop("init_main_from_name", None)
        buf = io.BytesIO()
        mp_context.set_spawning_popen(self)
        try:
            reduction.dump(prep_data, buf)
            reduction.dump(process_obj, buf)
        finally:
            mp_context.set_spawning_popen(None)
        self.sentinel, w = forkserver.connect_to_new_process(self._fds)
        parent_w = os.dup(w)
        self.finalizer = util.Finalize(self, util.close_fds, (parent_w, self.sentinel))
        with open(w, "wb", closefd=True) as f:
            f.write(buf.getbuffer())
        self.pid = forkserver.read_signed(self.sentinel)


class _CheckProcess(mp_context.ForkServerProcess):
    @staticmethod
    def _Popen(process_obj):
        return _Popen(process_obj)


# The child's side -----------------------------------------------------------


def run(path: str, outdir: str, limits: Limits) -> None:
    """The child process: check the file, write what was found into outdir."""
    apply_limits(limits)
    logging.disable(logging.CRITICAL)  # pypdf warns at length on broken files
    try:
        result = inspect(Path(path), Path(outdir), limits)
    except Refused as exc:
        result = {"refused": exc.codes, "params": exc.params}
    except (RecursionError, MemoryError, LimitReachedError):
        result = {"refused": ["pdf_too_complex"], "params": {}}
    except Exception as exc:  # a bug of ours, not the file's fault: say so
        error = f"{type(exc).__name__}: {exc}"
        result = {"refused": ["pdf_unreadable"], "params": {}, "error": error}
    write_result(Path(outdir), result)


def apply_limits(limits: Limits) -> None:
    cpu = math.ceil(limits.timeout) + 1
    _lower(resource.RLIMIT_CPU, cpu, cpu + 1)  # SIGXCPU, then SIGKILL
    _lower(resource.RLIMIT_AS, limits.memory, limits.memory)
    _lower(resource.RLIMIT_FSIZE, MAX_WRITTEN_FILE, MAX_WRITTEN_FILE)
    _lower(resource.RLIMIT_CORE, 0, 0)


def _lower(which: int, soft: int, hard: int) -> None:
    current_soft, current_hard = resource.getrlimit(which)
    if current_hard != resource.RLIM_INFINITY:
        hard = min(hard, current_hard)
        soft = min(soft, hard)
    resource.setrlimit(which, (soft, hard))


def inspect(path: Path, outdir: Path, limits: Limits) -> dict:
    started = time.monotonic()
    with path.open("rb") as handle:
        if not starts_like_pdf(handle.read(HEAD_SIZE)):
            raise Refused("pdf_signature")
    try:
        reader = PdfReader(path, strict=False)
        encrypted = reader.is_encrypted
    except (RecursionError, MemoryError, LimitReachedError):
        raise
    except Exception as exc:  # pypdf raises many kinds of error on damaged files
        raise Refused("pdf_unreadable") from exc
    if encrypted:
        raise Refused("pdf_encrypted")
    try:
        pages = len(reader.pages)
    except (RecursionError, MemoryError, LimitReachedError):
        raise
    except Exception as exc:
        raise Refused("pdf_unreadable") from exc
    if pages < 1:
        raise Refused("pdf_no_pages")
    if pages > limits.max_pages:
        raise Refused("pdf_too_many_pages", pages=pages, limit=limits.max_pages)
    if found := active_content(reader):
        raise Refused(*found)
    title, language = metadata(reader)
    render_first_page(path, outdir / THUMBNAIL_FILE)
    budget = limits.timeout * TEXT_TIME_SHARE - (time.monotonic() - started)
    text, complete = extract_text(reader, budget, limits.text_bytes)
    (outdir / TEXT_FILE).write_text(text, encoding="utf-8")
    return {
        "pages": pages,
        "title": title,
        "language": language,
        "text_complete": complete,
    }


def metadata(reader: PdfReader) -> tuple[str, str]:
    """The title from the document information, and the catalog's /Lang."""
    title = language = ""
    try:
        info = reader.metadata
        if info is not None and info.title:
            title = _one_line(info.title, 300)
    except Exception:  # noqa: S110 - a missing title is no reason to refuse
        pass
    try:
        lang = reader.trailer["/Root"].get("/Lang")
        lang = _one_line(lang.get_object() if lang is not None else "", 35)
        if LANGUAGE_TAG.fullmatch(lang):
            language = lang
    except Exception:  # noqa: S110
        pass
    return title, language


def _one_line(value, length: int) -> str:
    if isinstance(value, bytes):
        value = value.decode("utf-8", "replace")
    text = CONTROL_CHARACTERS.sub(" ", str(value))
    return _valid_utf8(" ".join(text.split()))[:length]


def _valid_utf8(text: str) -> str:
    """Drop NUL bytes (PostgreSQL refuses them) and lone surrogates."""
    return text.replace("\x00", "").encode("utf-8", "replace").decode("utf-8")


def render_first_page(path: Path, target: Path) -> None:
    import pypdfium2 as pdfium

    try:
        document = pdfium.PdfDocument(str(path))
        try:
            page = document[0]
            width, height = page.get_size()
            if not (width > 0 and height > 0):
                raise Refused("pdf_unreadable")
            scale = min(THUMBNAIL_WIDTH / width, THUMBNAIL_MAX_HEIGHT / height)
            image = page.render(scale=scale).to_pil().convert("RGB")
        finally:
            document.close()
    except pdfium.PdfiumError as exc:
        raise Refused("pdf_unreadable") from exc
    # method=1: a fast encoder setting; renditions are made from this anyway.
    image.save(target, "WEBP", quality=85, method=1)


def extract_text(reader: PdfReader, seconds: float, limit: int) -> tuple[str, bool]:
    """The text of every page, up to ``limit`` UTF-8 bytes and ``seconds``.

    Returns (text, complete): complete is False when a page could not be
    read, the size limit cut the text or time ran out.
    """
    if seconds <= 0:
        return "", False
    parts, size, complete = [], 0, True

    def time_up(signum, frame):
        raise TextTimeUp

    previous = signal.signal(signal.SIGALRM, time_up)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        for page in reader.pages:
            try:
                text = _valid_utf8(page.extract_text())
            except Exception:  # one unreadable page leaves the others
                complete = False
                continue
            encoded = text.encode("utf-8")
            if size + len(encoded) + 2 > limit:
                room = max(limit - size - 2, 0)
                parts.append(encoded[:room].decode("utf-8", "ignore"))
                complete = False
                break
            parts.append(text)
            size += len(encoded) + 2
    except TextTimeUp:
        complete = False
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
    return "\n\n".join(parts).strip(), complete


def write_result(outdir: Path, result: dict) -> None:
    """Write atomically: a half-written file must not look like an answer."""
    partial = outdir / (RESULT_FILE + ".partial")
    partial.write_text(json.dumps(result), encoding="utf-8")
    os.replace(partial, outdir / RESULT_FILE)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Check a PDF as uploads are.")
    parser.add_argument("path")
    parser.add_argument("--outdir", help="keep the text and thumbnail here")
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--memory", type=int, default=1024**3)
    parser.add_argument("--max-pages", type=int, default=2000)
    parser.add_argument("--text-bytes", type=int, default=2 * 1024 * 1024)
    args = parser.parse_args(argv)
    limits = Limits(args.max_pages, args.timeout, args.memory, args.text_bytes)
    with tempfile.TemporaryDirectory() as scratch:
        outdir = Path(args.outdir or scratch)
        outdir.mkdir(parents=True, exist_ok=True)
        result = check_in_child(Path(args.path).resolve(), outdir, limits)
    json.dump({**result, "limits": asdict(limits)}, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 1 if "refused" in result else 0


if __name__ == "__main__":
    # Through the package, so that the child finds ``run`` under its real name.
    from publications.pdfcheck import main as package_main

    sys.exit(package_main())
