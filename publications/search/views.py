"""The search page and its autocomplete."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.generic import ListView

from ifri.page_cache import cache_public_page
from ifri.pagination import ReaderPaginationMixin

from ..models import Publication
from .completion import autocomplete
from .links import PARAMETER_ORDER, search_url
from .results import SORT_DATE, SORT_RELEVANCE, SearchResults
from .statistics import record_query, visitor_of

# Seconds browsers and proxies may keep an autocomplete answer.
AUTOCOMPLETE_MAX_AGE = 60

FACET_TITLES = {
    "type": _("Type"),
    "center": _("Research center"),
    "author": _("Author"),
    "tag": _("Topic"),
    "year": _("Year"),
    "lang": _("Language"),
}
SORT_LABELS = {SORT_RELEVANCE: _("Relevance"), SORT_DATE: _("Newest first")}


class CountedPaginator(Paginator):
    """A paginator given its count, which a search knows already."""

    def __init__(self, object_list, per_page, count: int, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.known_count = count

    @cached_property
    def count(self) -> int:
        return self.known_count


class SearchView(ReaderPaginationMixin, ListView):
    """Full-text search with facets."""

    template_name = "publications/search.html"
    context_object_name = "publications"

    def get_paginator(self, queryset, per_page, **kwargs):
        if not self.results.has_criteria:
            return super().get_paginator(queryset, per_page, **kwargs)
        return CountedPaginator(queryset, per_page, self.results.total, **kwargs)

    def paginate_queryset(self, queryset, page_size):
        """The matches from the database, counted and ordered in memory,
        then the page's rows (see SearchResults)."""
        if not self.results.has_criteria:
            return super().paginate_queryset(queryset, page_size)
        with self.results.index_scans():
            paginator = self.get_paginator(queryset, page_size)
            page = paginator.get_page(self.request.GET.get(self.page_kwarg))
            start = (page.number - 1) * paginator.per_page
            page.object_list = self.results.page(start, start + paginator.per_page)
        return paginator, page, page.object_list, page.has_other_pages()

    def get_queryset(self):
        params = self.request.GET
        self.results = SearchResults(
            params.get("q", ""), params, params.get("sort", "")
        )
        # The page's rows come from the results (paginate_queryset).
        return Publication.objects.none()

    def link_parameters(self) -> dict:
        """The current search as query parameters, without the page."""
        results = self.results
        parameters = {"q": results.query}
        for name, value in results.selected.items():
            parameters[name] = getattr(value, "slug", value)
        if results.sort != SORT_RELEVANCE:
            parameters["sort"] = results.sort
        return parameters

    def facet_links(self, parameters: dict) -> list[dict]:
        """Each facet's values, each a link adding (or removing) it."""
        facets = []
        for name, values in self.results.facets.items():
            links = []
            for value in values:
                changed = {**parameters, name: None if value.selected else value.value}
                links.append({**value._asdict(), "url": search_url(changed)})
            if links:
                facets.append(
                    {"name": name, "title": FACET_TITLES[name], "values": links}
                )
        return facets

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        results = self.results
        publications = list(context["object_list"])
        for publication in publications:
            publication.snippet = results.snippet(publication)
        context["object_list"] = context["publications"] = publications
        parameters = self.link_parameters()
        found = context["paginator"].count
        context.update(
            query=results.query,
            results=results,
            searched=results.has_criteria,
        )
        # Facets of nothing are empty: not counted unless a filter may be
        # what found nothing.
        if results.has_criteria and (found or results.selected):
            facets = self.facet_links(parameters)
            context["facets"] = facets
            context["active_filters"] = [
                {"title": facet["title"], **value}
                for facet in facets
                for value in facet["values"]
                if value["selected"]
            ]
            if results.match is not None and results.match.ranked:
                context["sort_links"] = [
                    {
                        "label": label,
                        "current": sort == results.sort,
                        "url": search_url({**parameters, "sort": sort}),
                    }
                    for sort, label in SORT_LABELS.items()
                ]
        if not found and results.terms and (suggestion := results.suggestion):
            context["suggestion"] = suggestion
            context["suggestion_url"] = search_url({**parameters, "q": suggestion})
        # Without JavaScript, the header's search panel is this page.
        context["show_search_hints"] = not found
        return context


def canonical_search_url(request) -> str:
    """The one URL the search page's links give the request's search."""
    return search_url({name: request.GET.get(name) for name in PARAMETER_ORDER})


cached_search_page = cache_public_page(
    SearchView.as_view(), canonical_url=canonical_search_url
)


def search_page(request, *args, **kwargs):
    """The search page, cached for its canonical URL; every search a reader
    types is counted, cached or not (not its next pages, facets or orders)."""
    response = cached_search_page(request, *args, **kwargs)
    typed = set(request.GET) <= {"q", "page"} and request.GET.get("page", "1") == "1"
    if typed and response.status_code == 200 and request.method == "GET":
        record_query(request.GET.get("q", ""), visitor_of(request))
    return response


@require_safe
def search_autocomplete(request):
    """Titles, authors, centers and topics for the words typed so far (JSON)."""
    response = JsonResponse({"results": autocomplete(request.GET.get("q", ""))})
    patch_cache_control(response, public=True, max_age=AUTOCOMPLETE_MAX_AGE)
    return response
