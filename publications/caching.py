"""Whole-page caching of the public pages, invalidated by any content change.

Every cache key carries a content version. Saving or deleting a publication,
an author, a center, a type, a tag, an authorship or a related link calls
``invalidate()``, which bumps the version once the transaction commits, so no
page can outlive a change it shows. Never before the commit: a reader between
the bump and the commit would render the old rows and store them under the
new version. A page is also never kept past the next scheduled publication's
go-live time, since that changes lists and related blocks without any save.

The cache must be shared by all app server processes for the bump to reach
them all: the file cache in the embedded mode, Redis in production. The bump
is the cache's atomic ``incr``, so two commits can never make the same new
version. Each process also keeps its most recent pages in memory. That is safe
because a page's key holds the content version, read from the shared cache on
every request: an entry is never changed, only left behind by a newer version,
and it carries its own expiry time for the next go-live.
"""

import functools
import hashlib
import threading
import time
from collections import OrderedDict

from django.core.cache import cache
from django.db import transaction
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import set_response_etag
from django.utils.translation import get_language

from ifri.site import site_url

VERSION_KEY = "content-version"
PAGE_TIMEOUT = 600  # seconds
LOCAL_PAGES = 200  # pages kept in each process's memory, about 35 KB each


class LocalPages:
    """A small thread-safe LRU of cached pages, each with its expiry time."""

    def __init__(self, max_entries: int):
        self.max_entries = max_entries
        self._entries: OrderedDict[str, tuple] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: str):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            if entry[0] <= time.time():
                del self._entries[key]
                return None
            self._entries.move_to_end(key)
            return entry[1]

    def set(self, key: str, page: tuple, expires_at: float) -> None:
        with self._lock:
            self._entries[key] = (expires_at, page)
            self._entries.move_to_end(key)
            while len(self._entries) > self.max_entries:
                self._entries.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()


local_pages = LocalPages(LOCAL_PAGES)


def content_version() -> int:
    """The shared content version or, while this process cannot trust the
    cache (see ``_settled()``), a version nothing was ever stored under."""
    if not _settled():
        return -time.time_ns()
    version = cache.get(VERSION_KEY)
    if version is None:
        # A new or emptied cache. The clock starts the count, so that no
        # version pages were stored under before (in any process's memory)
        # comes back; from here on only incr() changes it.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    if version is None:  # the cache cannot be reached (ifri/cache.py)
        _owe_bump()
        return -time.time_ns()
    return version


def _bump() -> bool:
    """Whether the cache took the bump."""
    try:
        bumped = cache.incr(VERSION_KEY) is not None
    except ValueError:
        # No version to bump: the next request starts a new one.
        return True
    if not bumped:  # the cache cannot be reached (ifri/cache.py)
        _owe_bump()
    return bumped


# A process that saw the cache fail may have missed a bump: its own (an
# editor's save), or one it could not read. Should the cache come back with
# the pages it held, they would be served again, older than the database. So
# the process trusts nothing cached until it has bumped the version once more,
# at its first request after the cache answers again; the other processes
# then drop their pages too.
_failures = 0  # cache failures this process saw
_covered = 0  # how many of them a bump made since covers
_settling = threading.Lock()


def _owe_bump() -> None:
    global _failures
    with _settling:
        _failures += 1


def _settled() -> bool:
    """Whether every cache failure this process saw is covered by a bump."""
    global _covered
    if _covered == _failures:
        return True
    with _settling:
        seen = _failures
    if not _bump():
        return False
    with _settling:
        _covered = max(_covered, seen)
        return _covered == _failures


def invalidate(*, using=None, **signal_kwargs) -> None:
    """Make every cached page, in every process, give way to a new rendering,
    once the current transaction commits (at once outside a transaction).

    Every path that changes what readers see calls this: the signals below,
    admin actions, ``update()`` calls, the search index refresh, generators.
    Connected as a signal receiver, it takes the signal's arguments.
    """
    transaction.on_commit(_bump, using=using, robust=True)


def _seconds_until_next_go_live() -> int:
    from .models import Publication, Status

    now = timezone.now()
    upcoming = Publication.objects.filter(
        status=Status.PUBLISHED, publish_at__gt=now
    ).aggregate(next=Min("publish_at"))["next"]
    if upcoming is None:
        return PAGE_TIMEOUT
    return max(1, min(PAGE_TIMEOUT, int((upcoming - now).total_seconds())))


def _page_response(page: tuple) -> HttpResponse:
    content, content_type, etag = page[:3]
    response = HttpResponse(content, content_type=content_type)
    if etag:
        response["ETag"] = etag
    return response


def cache_public_page(view, canonical_url=None):
    """Serve anonymous GETs from the cache.

    Pages with a query string are rendered each time, unless
    ``canonical_url(request)`` is given and the request is for that very URL:
    the search page's links write each search one way, so a search many
    readers make is cached under one key, and nothing a stranger makes up
    with extra parameters fills the cache.
    """

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.user.is_authenticated:
            return view(request, *args, **kwargs)
        if request.GET and (
            canonical_url is None or request.get_full_path() != canonical_url(request)
        ):
            return view(request, *args, **kwargs)
        # Pages name the site's address they were reached at (ifri/site.py).
        address = f"{site_url(request)}{request.get_full_path()}"
        digest = hashlib.sha256(address.encode()).hexdigest()
        key = f"page:{content_version()}:{get_language()}:{digest}"
        page = local_pages.get(key)
        if page is not None:
            return _page_response(page)
        page = cache.get(key)
        if page is not None and len(page) == 4:
            local_pages.set(key, page, expires_at=page[3])
            return _page_response(page)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            set_response_etag(response)
            timeout = _seconds_until_next_go_live()
            page = (
                response.content,
                response["Content-Type"],
                response.get("ETag", ""),
                time.time() + timeout,
            )
            cache.set(key, page, timeout=timeout)
            local_pages.set(key, page, expires_at=page[3])
        return response

    return wrapper


def connect_signals() -> None:
    from django.apps import apps

    for label in (
        "publications.Publication",
        "publications.PublicationType",
        "publications.Authorship",
        "publications.RelatedLink",
        # Frequent searches (edited in the admin; readers' counts are written
        # without signals) and suggestions, listed on search pages.
        "publications.SearchQueryStat",
        "publications.SearchSuggestion",
        "authors.Author",
        "centers.ResearchCenter",
        "taggit.Tag",
        "publications.TaggedPublication",
    ):
        model = apps.get_model(label)
        post_save.connect(invalidate, sender=model, weak=False)
        post_delete.connect(invalidate, sender=model, weak=False)
    publication = apps.get_model("publications.Publication")
    for through in (
        publication.additional_centers.through,
        publication.translations.through,
        publication.tags.through,
        apps.get_model("authors.Author").centers.through,
    ):
        m2m_changed.connect(invalidate, sender=through, weak=False)
