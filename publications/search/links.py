"""The search page's addresses: one URL per search."""

from __future__ import annotations

from django.urls import reverse
from django.utils.http import urlencode

from .facets import FACETS

# Query parameters in the order every link writes them.
PARAMETER_ORDER = ("q", *FACETS, "sort", "page")


def search_url(params: dict) -> str:
    """The search page's address for these parameters, always written in the
    same order (q, the facets, sort, page), so that a search has one URL."""
    items = [
        (name, params[name])
        for name in PARAMETER_ORDER
        if params.get(name) not in (None, "")
    ]
    url = reverse("search")
    return f"{url}?{urlencode(items)}" if items else url
