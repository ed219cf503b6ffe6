from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from ifri.pagination import ReaderPaginationMixin
from publications.models import Publication

from .models import ResearchCenter


class CenterListView(ListView):
    template_name = "centers/center_list.html"
    context_object_name = "centers"

    def get_queryset(self):
        return ResearchCenter.objects.active()


class CenterDetailView(ReaderPaginationMixin, ListView):
    """A center's presentation, its researchers and its public publications."""

    template_name = "centers/center_detail.html"
    context_object_name = "publications"

    def get_queryset(self):
        self.center = get_object_or_404(
            ResearchCenter.objects.public(), slug=self.kwargs["slug"]
        )
        return Publication.objects.published().for_center(self.center).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            center=self.center,
            researchers=self.center.authors.active(),
            **kwargs,
        )
