from django.db.models import F, Window
from django.db.models.functions import RowNumber
from django.utils.cache import patch_cache_control
from django.views.generic import DetailView, ListView, TemplateView

from centers.models import ResearchCenter
from ifri.pagination import ReaderPaginationMixin
from ifri.site import site_url

from .citations import page_citations
from .filters import PublicationFilter
from .metadata import page_metadata
from .models import Publication


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
