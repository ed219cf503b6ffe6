"""Read an uploaded PDF in a throw-away child process with hard limits.

Parsing a PDF means running a large parser (pypdf) and a C++ renderer (PDFium)
on bytes anybody with an uploader account can craft. A hostile file can make
them loop, recurse without end or allocate gigabytes; PDFium even aborts the
whole process when an allocation fails. So none of it runs in a web worker:
``check_in_child`` starts a fresh Python for each file
(``python -m publications.pdfcheck_child``), which caps its own memory, CPU
time and file sizes before reading anything (``run``), and is killed when its
wall-clock time is up. The worker only ever sees what the child answers: the
facts as one JSON object on its standard output, the extracted text and the
first-page thumbnail as files in a folder of the worker's.

What the file holds that a viewer could run is found by
``publications.pdfscan``. Nothing here imports Django, so the child starts
fast. To check a file by hand::

    python -m publications.pdfcheck report.pdf [--outdir DIR] [--timeout 60]
"""

import argparse
import json
import logging
import math
import os
import re
import resource
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import asdict, dataclass
from pathlib import Path

from pypdf import PdfReader
from pypdf.errors import LimitReachedError
from pypdf.generic import BooleanObject

from .pdfscan import HEAD_SIZE, Refused, active_content, starts_like_pdf

TEXT_FILE = "text.txt"
THUMBNAIL_FILE = "first-page.webp"
# What the child prints besides its answer (a Python traceback, PDFium's
# complaints), kept for the log; under the child's file size limit.
STDERR_FILE = "stderr.txt"
STDERR_LOGGED = 4000  # characters, from the end

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

CHILD_MODULE = "publications.pdfcheck_child"
# The folder holding the ``publications`` package, where the child starts so
# that ``-m`` finds it whatever the worker's working directory.
PROJECT_ROOT = Path(__file__).resolve().parent.parent
# The child gets these variables only: it needs no secret (database address,
# keys) of the worker's, and a hostile file should find none there.
CHILD_ENVIRONMENT = ("PATH", "PYTHONPATH", "LANG", "LC_ALL", "TMPDIR")


@dataclass(frozen=True)
class Limits:
    max_pages: int
    timeout: float  # wall-clock seconds the parent waits before killing us
    memory: int  # bytes of address space
    text_bytes: int  # UTF-8 bytes of extracted text kept

    def arguments(self) -> list[str]:
        """The command-line options that ``limit_options`` reads back."""
        return [
            f"--max-pages={self.max_pages}",
            f"--timeout={self.timeout!r}",
            f"--memory={self.memory}",
            f"--text-bytes={self.text_bytes}",
        ]


def limit_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--timeout", type=float, default=60)
    parser.add_argument("--memory", type=int, default=1024**3)
    parser.add_argument("--max-pages", type=int, default=2000)
    parser.add_argument("--text-bytes", type=int, default=2 * 1024 * 1024)


def limits_from(args: argparse.Namespace) -> Limits:
    return Limits(args.max_pages, args.timeout, args.memory, args.text_bytes)


class TextTimeUp(BaseException):
    """Raised by the alarm when text extraction has used its share of time.

    A BaseException, so that pypdf's own ``except Exception`` cannot swallow it.
    """


# The parent's side ---------------------------------------------------------


def child_command(path: Path, outdir: Path, limits: Limits) -> list[str]:
    return [
        sys.executable,
        "-m",
        CHILD_MODULE,
        str(path),
        str(outdir),
        *limits.arguments(),
    ]


def check_in_child(path: Path, outdir: Path, limits: Limits) -> dict:
    """Check a file in a fresh child process; return what the child found.

    Returns ``{"refused": ["pdf_too_complex"], "killed": ...}`` when the child
    ran out of time (it is then killed) or died without answering: killed by
    its CPU or memory limit or crashed (PDFium aborts when an allocation fails),
    "killed" then being its exit code (negative: the signal), with the end of
    what it wrote to stderr under "stderr". An answer that is not the JSON
    object expected is a bug of ours: refused as unreadable, with "error".
    """
    environment = {k: os.environ[k] for k in CHILD_ENVIRONMENT if k in os.environ}
    # No preexec_fn (unsafe in gunicorn's threaded workers): the child lowers
    # its own limits first thing.
    with (outdir / STDERR_FILE).open("w+b") as stderr:
        try:
            completed = subprocess.run(  # noqa: S603 - our module, our arguments
                child_command(path, outdir, limits),
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=stderr,
                cwd=PROJECT_ROOT,
                env=environment,
                timeout=limits.timeout,
                check=False,
            )
        except subprocess.TimeoutExpired:  # run() has killed it
            return {"refused": ["pdf_too_complex"], "killed": "timeout"}
        stderr.seek(0)
        errors = stderr.read().decode("utf-8", "replace")[-STDERR_LOGGED:]
    try:
        result = json.loads(completed.stdout)
    except ValueError:
        result = None
    if isinstance(result, dict) and ("refused" in result or "pages" in result):
        return result
    if completed.returncode != 0:
        return {
            "refused": ["pdf_too_complex"],
            "killed": completed.returncode,
            "stderr": errors,
        }
    answer = completed.stdout[:200].decode("utf-8", "replace")
    return {
        "refused": ["pdf_unreadable"],
        "error": f"malformed answer from the PDF check: {answer!r}",
        "stderr": errors,
    }


# The child's side -----------------------------------------------------------


def run(path: str, outdir: str, limits: Limits) -> dict:
    """In the child process: check the file, return what was found.

    The text and the thumbnail of an accepted file are written into outdir.
    """
    apply_limits(limits)
    logging.disable(logging.CRITICAL)  # pypdf warns at length on broken files
    try:
        return inspect(Path(path), Path(outdir), limits)
    except Refused as exc:
        return {"refused": exc.codes, "params": exc.params}
    except (RecursionError, MemoryError, LimitReachedError):
        return {"refused": ["pdf_too_complex"], "params": {}}
    except Exception as exc:  # a bug of ours, not the file's fault: say so
        error = f"{type(exc).__name__}: {exc}"
        return {"refused": ["pdf_unreadable"], "params": {}, "error": error}


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
    tagged, shows_title = accessibility(reader, title)
    render_first_page(path, outdir / THUMBNAIL_FILE)
    budget = limits.timeout * TEXT_TIME_SHARE - (time.monotonic() - started)
    text, complete = extract_text(reader, budget, limits.text_bytes)
    (outdir / TEXT_FILE).write_text(text, encoding="utf-8")
    return {
        "pages": pages,
        "title": title,
        "language": language,
        "tagged": tagged,
        "shows_title": shows_title,
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


def accessibility(reader: PdfReader, title: str) -> tuple[bool, bool]:
    """Two facts of the basic PDF/UA level (ISO 14289-1, 7.1 and 7.18.1):
    whether the file is tagged (the catalog has a structure tree and says
    /MarkInfo << /Marked true >>: screen readers follow its headings, lists
    and reading order) and whether viewers show its title, not its file
    name, as the window title (/ViewerPreferences << /DisplayDocTitle true >>
    and a title in the document information or the XMP metadata).

    A fact that cannot be read counts as missing: the file is accepted, and
    the checks before publishing warn about it.
    """
    try:
        catalog = reader.trailer["/Root"].get_object()
    except Exception:
        return False, False
    tagged = _entry(catalog, "/StructTreeRoot") is not None and (
        _entry(_entry(catalog, "/MarkInfo"), "/Marked") is True
    )
    displayed = _entry(_entry(catalog, "/ViewerPreferences"), "/DisplayDocTitle")
    return tagged, displayed is True and bool(title or _xmp_title(reader))


def _entry(dictionary, key: str):
    """``dictionary[key]`` resolved, or None; True and False for PDF booleans."""
    try:
        value = dictionary.get(key) if dictionary is not None else None
        value = value.get_object() if value is not None else None
    except Exception:
        return None
    if isinstance(value, BooleanObject):
        return bool(value)
    return value


def _xmp_title(reader: PdfReader) -> str:
    """The title in the XMP metadata (dc:title), in whichever language."""
    try:
        xmp = reader.xmp_metadata
        titles = (xmp.dc_title or {}) if xmp is not None else {}
        return next((_one_line(t, 300) for t in titles.values() if t.strip()), "")
    except Exception:
        return ""


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


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description="Check a PDF as uploads are.")
    parser.add_argument("path")
    parser.add_argument("--outdir", help="keep the text and thumbnail here")
    limit_options(parser)
    args = parser.parse_args(argv)
    limits = limits_from(args)
    with tempfile.TemporaryDirectory() as scratch:
        outdir = Path(args.outdir or scratch)
        outdir.mkdir(parents=True, exist_ok=True)
        result = check_in_child(Path(args.path).resolve(), outdir, limits)
    json.dump({**result, "limits": asdict(limits)}, sys.stdout, indent=2)
    sys.stdout.write("\n")
    return 1 if "refused" in result else 0


if __name__ == "__main__":
    sys.exit(main())
