"""Whole-page caching of the public pages for anonymous readers.

A page is kept under the site's content version (``publications.caching``):
any change readers could see bumps the version once its transaction commits,
so no page outlives a change it shows. A page is also never kept past the
next scheduled publication's go-live time, since that changes lists and
related blocks without any save.

Pages live in the shared cache (the file cache in the embedded mode, Redis in
production) and, in front of it, in each process's memory (the
``LOCAL_PAGES`` cache alias, Django's local-memory cache). That is safe because
a page's key holds the content version, read from the shared cache on every
request: an entry is never changed, only left behind by a newer version, and
it expires in memory when it does in the shared cache.
"""

import functools
import hashlib
import time

from django.core.cache import cache, caches
from django.http import HttpResponse
from django.utils.cache import set_response_etag
from django.utils.translation import get_language

from publications.caching import content_version, seconds_until_next_go_live

from .site import site_url

# The cache alias (settings.CACHES) of the pages each process keeps in memory.
LOCAL_PAGES = "local_pages"


def _page_response(page: tuple) -> HttpResponse:
    content, content_type, etag = page[:3]
    response = HttpResponse(content, content_type=content_type)
    if etag:
        response["ETag"] = etag
    return response


def _keep_locally(key: str, page: tuple) -> None:
    """Keep a page in this process's memory until it expires (``page[3]``)."""
    lifetime = page[3] - time.time()
    if lifetime > 0:
        caches[LOCAL_PAGES].set(key, page, timeout=lifetime)


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
        page = caches[LOCAL_PAGES].get(key)
        if page is not None:
            return _page_response(page)
        page = cache.get(key)
        if page is not None and len(page) == 4:
            _keep_locally(key, page)
            return _page_response(page)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            set_response_etag(response)
            timeout = seconds_until_next_go_live()
            page = (
                response.content,
                response["Content-Type"],
                response.get("ETag", ""),
                time.time() + timeout,
            )
            cache.set(key, page, timeout=timeout)
            _keep_locally(key, page)
        return response

    return wrapper
