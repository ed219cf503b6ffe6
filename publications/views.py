from django.core.paginator import Paginator
from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.http import JsonResponse
from django.utils.cache import patch_cache_control
from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from django.views.generic import DetailView, ListView, TemplateView

from centers.models import ResearchCenter
from ifri.page_cache import cache_public_page
from ifri.pagination import ReaderPaginationMixin
from ifri.site import site_url

from .citations import page_citations
from .filters import PublicationFilter
from .metadata import page_metadata
from .models import Publication
from .search import (
    PARAMETER_ORDER,
    SORT_DATE,
    SORT_RELEVANCE,
    autocomplete,
    search,
    search_url,
)
from .search_stats import record_query, visitor_of

# Seconds browsers and proxies may keep an autocomplete answer.
AUTOCOMPLETE_MAX_AGE = 60


class HomeView(TemplateView):
    template_name = "home.html"
    featured_count = 3
    latest_count = 6
    per_center = 3

    def get_context_data(self, **kwargs):
        visible = Publication.objects.published().for_listing()
        featured = list(visible.filter(is_featured=True)[: self.featured_count])
        latest = list(
            visible.exclude(pk__in=[p.pk for p in featured])[: self.latest_count]
        )
        centers = list(ResearchCenter.objects.active())
        # The latest few of every center in one query.
        ranked = visible.annotate(
            rank=Window(
                RowNumber(),
                partition_by=F("center"),
                order_by=[F("publication_date").desc(), F("publish_at").desc()],
            )
        ).filter(rank__lte=self.per_center, center__is_active=True)
        by_center = {}
        for publication in ranked:
            by_center.setdefault(publication.center_id, []).append(publication)
        for center in centers:
            center.latest = by_center.get(center.pk, [])
        return super().get_context_data(
            featured=featured,
            latest=latest,
            centers=centers,
            # What the center sections show, for the page's image credits.
            center_publications=[p for c in centers for p in c.latest],
            **kwargs,
        )


class PublicationListView(ReaderPaginationMixin, ListView):
    template_name = "publications/publication_list.html"
    context_object_name = "publications"

    def get_queryset(self):
        self.filterset = PublicationFilter(
            self.request.GET, queryset=Publication.objects.published()
        )
        return self.filterset.filtered().for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(filterset=self.filterset, **kwargs)


class PublicationDetailView(DetailView):
    template_name = "publications/publication_detail.html"
    context_object_name = "publication"

    def get_queryset(self):
        return Publication.objects.visible_to(self.request.user).for_detail()

    def get_context_data(self, **kwargs):
        publication = self.object
        base_url = site_url(self.request)
        return super().get_context_data(
            citations=page_citations(publication, base_url),
            image_credits=publication.page_image_credits(),
            metadata=page_metadata(publication, base_url),
            **kwargs,
        )

    def render_to_response(self, context, **response_kwargs):
        response = super().render_to_response(context, **response_kwargs)
        if not self.object.is_visible:
            # A staff preview: never cached, never indexed.
            patch_cache_control(response, private=True, no_store=True)
            response["X-Robots-Tag"] = "noindex"
        return response


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
    """Full-text search with facets (publications/search.py)."""

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
        self.results = search(params.get("q", ""), params, params.get("sort", ""))
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
            if results.terms and results.full_text:
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


_search_page = cache_public_page(
    SearchView.as_view(), canonical_url=canonical_search_url
)


def search_page(request, *args, **kwargs):
    """The search page, cached for its canonical URL; every search a reader
    types is counted, cached or not (not its next pages, facets or orders)."""
    response = _search_page(request, *args, **kwargs)
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
