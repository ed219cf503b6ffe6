"""Requests that no view could read are refused once, before any view runs.

A NUL byte reaches PostgreSQL from any path or query parameter that a view
turns into a query, and PostgreSQL refuses it with an error (a 500): feeds,
list filters, the admin's filters and autocomplete. Rather than guard every
view, a path or query string holding a control character, or bytes that are
not UTF-8, is answered here with 400 and a short page of our own.
"""

import re
from urllib.parse import parse_qsl

from django.conf import settings
from django.core.handlers.wsgi import WSGIRequest
from django.http import HttpResponseBadRequest
from django.template.loader import render_to_string
from django.utils import translation

# C0 control characters and DEL: no address of the site has a use for them.
CONTROL_CHARACTERS = re.compile(r"[\x00-\x1f\x7f]")
# The same, but for tab and line breaks: whitespace that a reader may paste
# into a search box, harmless to any database.
CONTROL_CHARACTERS_BUT_WHITESPACE = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


# Django decodes the path itself and writes each byte that is not part of
# UTF-8 as a %-escape ("%FF"), which no address of the site contains.
UNDECODABLE_PATH = re.compile(r"%[89A-Fa-f][0-9A-Fa-f]")


def raw_query_string(request) -> str:
    """The query string as UTF-8 text; UnicodeDecodeError if it is not.

    WSGI passes the request's bytes as a latin-1 string (PEP 3333); under
    ASGI the server has decoded them already.
    """
    query = request.META.get("QUERY_STRING", "")
    if isinstance(request, WSGIRequest):
        return query.encode("iso-8859-1").decode("utf-8")
    return query


def is_malformed(request) -> bool:
    path = request.path_info
    if UNDECODABLE_PATH.search(path) or CONTROL_CHARACTERS.search(path):
        return True
    try:
        query = parse_qsl(
            raw_query_string(request),
            keep_blank_values=True,
            encoding="utf-8",
            errors="strict",
            max_num_fields=settings.DATA_UPLOAD_MAX_NUMBER_FIELDS,
        )
    except ValueError:  # bytes or %-escapes that are not UTF-8; too many fields
        return True
    return any(
        CONTROL_CHARACTERS.search(key)
        or CONTROL_CHARACTERS_BUT_WHITESPACE.search(value)
        for key, value in query
    )


def bad_request_page(request) -> HttpResponseBadRequest:
    # LocaleMiddleware has not run: the language is the address's or the
    # browser's, and the page needs nothing else from the request.
    language = translation.get_language_from_request(request, check_path=True)
    with translation.override(language):
        content = render_to_string("400.html")
    return HttpResponseBadRequest(content)


class RejectMalformedRequestMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if is_malformed(request):
            return bad_request_page(request)
        return self.get_response(request)
