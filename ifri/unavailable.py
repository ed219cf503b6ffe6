"""A database that fails costs the reader a 503 page, never a 500.

A view's database error reaches the middleware below, which answers the page.
One raised outside any view, by a middleware that needs the database (the
upload gate reads the user, sessions are saved after the view), becomes a
500 before any middleware could catch it: Django then calls ``server_error``,
which answers the same page.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers
from django.views import defaults

logger = logging.getLogger(__name__)

# Crawlers come back after this many seconds; browsers ignore it, and our
# page asks readers to try again in a few moments.
RETRY_AFTER = 30


def service_unavailable(request):
    """Our 503 page: it needs nothing from the database."""
    response = render(request, "503.html", status=503)
    response["Retry-After"] = str(RETRY_AFTER)
    add_never_cache_headers(response)
    return response


class DatabaseUnavailableMiddleware:
    """Answer 503 for any page the database could not give (down, frozen,
    too slow), whatever view asked it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, OperationalError | InterfaceError):
            return None
        logger.warning("Database unavailable for %s: %s", request.path, exception)
        return service_unavailable(request)


def server_error(request):
    """Django's 500 page, but for a database that failed: the 503 page."""
    if isinstance(sys.exc_info()[1], OperationalError | InterfaceError):
        return service_unavailable(request)
    return defaults.server_error(request)
