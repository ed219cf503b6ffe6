from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from authors.models import Author
from centers.models import ResearchCenter

from .models import Publication


class BilingualSitemap(Sitemap):
    """Every page in English and French, each listing the other as alternate."""

    i18n = True
    alternates = True
    x_default = True


class PublicationSitemap(BilingualSitemap):
    changefreq = "monthly"
    priority = 0.8

    def items(self):
        return Publication.objects.published().only("slug", "updated_at").order_by("pk")

    def lastmod(self, publication):
        return publication.updated_at


class AuthorSitemap(BilingualSitemap):
    changefreq = "monthly"

    def items(self):
        return Author.objects.active().only("slug").order_by("pk")


class CenterSitemap(BilingualSitemap):
    changefreq = "weekly"

    def items(self):
        return ResearchCenter.objects.active().only("slug").order_by("pk")


class PageSitemap(BilingualSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["home", "publications:list", "authors:list", "centers:list"]

    def location(self, name):
        return reverse(name)


sitemaps = {
    "pages": PageSitemap,
    "publications": PublicationSitemap,
    "authors": AuthorSitemap,
    "centers": CenterSitemap,
}
