"""Full-analysis PDF downloads: who may fetch a PDF, how it is counted, and how
the bytes reach the reader.

The view checks visibility (``Publication.objects.visible_to()``: what is
public, and drafts too for staff allowed to preview), answers conditional
requests with 304, counts the download, then hands the file over according
to ``settings.PDF_DELIVERY``:

- ``"django"``: streamed by Django, with single byte ranges (206/416), never
  read whole into memory. Under gunicorn a local file goes out by sendfile().
- ``"x-accel"``: an empty response whose ``X-Accel-Redirect`` header sends
  nginx to an ``internal`` location (``PDF_X_ACCEL_PREFIX``); nginx streams
  the file and answers ranges itself.
- ``"s3"``: a 302 to a signed URL of the private bucket, valid
  ``PDF_SIGNED_URL_TTL`` seconds, that keeps the file name and inline or
  attachment disposition.

A download is counted when the reader gets the first byte of the file: a full
GET, or a range starting at byte 0. Range continuations, 304s, HEAD requests
and staff previews of unpublished work are not counted.
"""

import hashlib
import logging
import re
from dataclasses import dataclass
from urllib.parse import quote

from django.conf import settings
from django.db import DatabaseError
from django.db.models import F
from django.http import (
    FileResponse,
    Http404,
    HttpResponse,
    HttpResponseRedirect,
)
from django.shortcuts import get_object_or_404
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import (
    content_disposition_header,
    http_date,
    parse_http_date_safe,
)
from django.views.decorators.http import require_safe

from ifri.storage import FileStat, open_range, stat

from .models import Publication

logger = logging.getLogger(__name__)

PDF_CONTENT_TYPE = "application/pdf"
# The PDF opens in the browser's own viewer, which needs nothing from us.
# Checked with Chromium's viewer. No `sandbox`: Firefox's pdf.js and Chromium
# in frames refuse to render sandboxed PDFs; `plugin-types` is obsolete.
PDF_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
CHUNK_SIZE = 64 * 1024

BYTE_RANGE = re.compile(r"bytes=(\d*)-(\d*)", re.IGNORECASE)


@dataclass(frozen=True)
class ByteRange:
    start: int
    end: int  # inclusive, as in Content-Range

    @property
    def length(self) -> int:
        return self.end - self.start + 1


class RangeNotSatisfiable(Exception):
    pass


class RangeFile:
    """At most ``length`` bytes of an open stream, read in chunks.

    FileResponse iterates over ``read()``; gunicorn, given ``fileno()``, sends
    Content-Length bytes from the file's current position with sendfile().
    No ``seek()`` or ``tell()``: FileResponse would read the whole stream to
    measure it.
    """

    def __init__(self, raw, length: int):
        self.raw = raw
        self.remaining = length

    def read(self, size: int = -1) -> bytes:
        if self.remaining <= 0:
            return b""
        if size < 0 or size > self.remaining:
            size = self.remaining
        data = self.raw.read(size)
        self.remaining -= len(data)
        return data

    def fileno(self) -> int:
        return self.raw.fileno()  # AttributeError for streams without a file

    def close(self) -> None:
        self.raw.close()


def parse_range(header: str, size: int) -> ByteRange | None:
    """The single byte range a Range header asks for, or None to send it all.

    Multiple ranges and malformed headers are answered with the whole file,
    as RFC 9110 allows; a well-formed range outside the file raises
    RangeNotSatisfiable.
    """
    match = BYTE_RANGE.fullmatch(header.replace(" ", ""))
    if not match or match[1] == match[2] == "":
        return None
    first, last = match.groups()
    if first == "":  # bytes=-n: the last n bytes
        suffix = int(last)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable
        return ByteRange(max(size - suffix, 0), size - 1)
    start = int(first)
    if last and int(last) < start:
        return None
    if start >= size:
        raise RangeNotSatisfiable
    end = min(int(last), size - 1) if last else size - 1
    return ByteRange(start, end)


def _etag(publication: Publication, facts: FileStat) -> str:
    if settings.PDF_DELIVERY == "x-accel":
        # nginx sends its own ETag for the file (hex mtime-size) and drops
        # ours; using its format lets the view answer that ETag with a 304
        # instead of counting the revalidation as a download.
        return f'"{int(facts.modified.timestamp()):x}-{facts.size:x}"'
    # Stored names are generated per upload; size and time catch the rest.
    key = f"{publication.pdf.name}\0{facts.size}\0{facts.modified.timestamp()}"
    return f'"{hashlib.sha256(key.encode()).hexdigest()[:32]}"'


def _if_range_allows(request, etag: str, last_modified: int) -> bool:
    """If-Range (RFC 9110 13.1.5): a range only of the representation the
    client already has part of; otherwise the whole file."""
    validator = request.headers.get("If-Range")
    if not validator:
        return True
    if validator.startswith(('"', "W/")):
        return validator == etag  # strong comparison: weak tags never match
    return parse_http_date_safe(validator) == last_modified


def _requested_start(header: str) -> int | None:
    """Where a Range header's first range starts, when that is known."""
    first = header.replace(" ", "").lower().removeprefix("bytes=").split(",")[0]
    start = first.split("-")[0]
    return int(start) if start.isdigit() else None


def count_download(publication: Publication) -> None:
    """One UPDATE, computed by the database: concurrent downloads all count.
    A failure is logged, never raised: the reader gets the file all the same
    (readers' requests run in autocommit, so it spoils no transaction)."""
    try:
        Publication.objects.filter(pk=publication.pk).update(
            download_count=F("download_count") + 1
        )
    except DatabaseError:
        logger.warning("Download not counted", exc_info=True)


def _protect(response, publication: Publication):
    """Headers every answer about the file carries."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PDF_CONTENT_SECURITY_POLICY
    if publication.is_visible:
        # Each download reaches the view (and is counted); browsers may keep
        # the file but ask again, and shared caches never serve it alone.
        patch_cache_control(response, private=True, no_cache=True)
    else:
        # A staff preview: never stored anywhere.
        patch_cache_control(response, private=True, no_store=True)
        response["X-Robots-Tag"] = "noindex"
    return response


@require_safe
def pdf_download(request, slug):
    """The full-analysis PDF, for publications the reader may see."""
    publication = get_object_or_404(
        Publication.objects.visible_to(request.user)
        .exclude(pdf="")
        .defer("body", "teaser"),
        slug=slug,
    )
    storage, name = publication.pdf.storage, publication.pdf.name
    filename = f"{publication.slug}-{publication.language}.pdf"
    disposition = content_disposition_header(
        request.GET.get("download") == "1", filename
    )
    countable = publication.is_visible and request.method == "GET"

    if settings.PDF_DELIVERY == "s3":
        # No request to the bucket at all: S3 answers ranges and validators.
        range_header = request.headers.get("Range")
        if countable and (not range_header or _requested_start(range_header) == 0):
            count_download(publication)
        url = storage.url(
            name,
            parameters={
                "ResponseContentDisposition": disposition,
                "ResponseContentType": PDF_CONTENT_TYPE,
            },
            expire=settings.PDF_SIGNED_URL_TTL,
            http_method=request.method,
        )
        response = _protect(HttpResponseRedirect(url), publication)
        # The signed URL expires: nobody may keep the redirect.
        response["Cache-Control"] = "private, no-store"
        return response

    try:
        facts = stat(storage, name)
    except FileNotFoundError as error:
        raise Http404 from error
    etag = _etag(publication, facts)
    last_modified = int(facts.modified.timestamp())

    validators = HttpResponse()
    validators["ETag"] = etag
    validators["Last-Modified"] = http_date(last_modified)
    _protect(validators, publication)
    answer = get_conditional_response(request, etag, last_modified, validators)
    if answer is not validators:  # 304 Not Modified or 412
        return answer

    byte_range = None
    range_header = request.headers.get("Range")
    if range_header and _if_range_allows(request, etag, last_modified):
        try:
            byte_range = parse_range(range_header, facts.size)
        except RangeNotSatisfiable:
            response = HttpResponse(status=416)
            response["Content-Range"] = f"bytes */{facts.size}"
            return _protect(response, publication)
    if countable and (byte_range is None or byte_range.start == 0):
        count_download(publication)

    if settings.PDF_DELIVERY == "x-accel":
        # nginx serves the bytes (and the ranges) from its internal location.
        response = HttpResponse(content_type=PDF_CONTENT_TYPE)
        response["X-Accel-Redirect"] = settings.PDF_X_ACCEL_PREFIX + quote(name)
    else:
        start, length = (
            (byte_range.start, byte_range.length) if byte_range else (0, facts.size)
        )
        if request.method == "HEAD":
            response = HttpResponse(content_type=PDF_CONTENT_TYPE)
        else:
            try:
                raw = open_range(storage, name, start, length)
            except FileNotFoundError as error:
                raise Http404 from error
            response = FileResponse(
                RangeFile(raw, length), content_type=PDF_CONTENT_TYPE
            )
            response.block_size = CHUNK_SIZE
        response["Content-Length"] = length
        if byte_range:
            response.status_code = 206
            response["Content-Range"] = (
                f"bytes {byte_range.start}-{byte_range.end}/{facts.size}"
            )
    response["Accept-Ranges"] = "bytes"
    response["Content-Disposition"] = disposition
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    return _protect(response, publication)
