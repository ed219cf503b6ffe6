from functools import partial

from django.conf import settings
from django.utils.translation import get_language

from publications.search.statistics import search_hints


def site(request):
    match = getattr(request, "resolver_match", None)
    return {
        # Called by the template that shows them, so pages without the
        # search panel (and cached pages) cost nothing.
        "search_hints": partial(search_hints, get_language() or settings.LANGUAGE_CODE),
        "SITE_NAME": settings.SITE_NAME,
        "SITE_SHORT_NAME": settings.SITE_SHORT_NAME,
        # The part of the site the page belongs to, for the navigation.
        "section": (match.namespace or match.url_name) if match else "",
    }
