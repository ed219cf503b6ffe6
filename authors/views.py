from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from django.views.generic import ListView

from centers.models import ResearchCenter
from ifri.pagination import ReaderPaginationMixin
from publications.models import Publication

from .models import Author


class AuthorListView(ReaderPaginationMixin, ListView):
    template_name = "authors/author_list.html"
    context_object_name = "authors"
    paginate_by = 24

    def get_queryset(self):
        return Author.objects.active()


class AuthorDetailView(ReaderPaginationMixin, ListView):
    """An author's profile and their public publications, newest first."""

    template_name = "authors/author_detail.html"
    context_object_name = "publications"

    def get_queryset(self):
        public_centers = Prefetch("centers", queryset=ResearchCenter.objects.public())
        self.author = get_object_or_404(
            Author.objects.public().prefetch_related(public_centers),
            slug=self.kwargs["slug"],
        )
        return Publication.objects.published().for_author(self.author).for_listing()

    def get_context_data(self, **kwargs):
        return super().get_context_data(author=self.author, **kwargs)
