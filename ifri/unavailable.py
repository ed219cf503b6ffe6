"""A database that fails costs the reader a 503 page, never a 500."""

import logging

from django.db import InterfaceError, OperationalError
from django.shortcuts import render
from django.utils.cache import add_never_cache_headers

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
