"""sitemap.xml: every public page, with lastmod.

Lists, authors and centers are listed in English and in French: the authors
and centers that have a page (``public()``, the rule their pages and feeds
follow too). A publication is listed once, at its canonical page (in its own
language), with its public translations as alternates: what its page's own
<link> elements say.

Addresses are absolute from the site's address for the request
(``ifri.site.site_url()``), the one the pages' own links give. Publications
start from ``published()``, so drafts and scheduled work never appear; a
page's lastmod also moves when a publication it lists changes, each sitemap
section in one query.
"""

from types import SimpleNamespace
from urllib.parse import urlsplit

from django.contrib.sitemaps import Sitemap
from django.contrib.sitemaps.views import sitemap as sitemap_view
from django.db.models import Max, OuterRef, Prefetch, Q, Subquery
from django.urls import reverse
from django.utils import translation
from django.utils.functional import cached_property
from django.views.decorators.http import require_safe

from authors.models import Author
from centers.models import ResearchCenter
from ifri.site import site_url

from .metadata import alternates
from .models import Publication


def latest(*moments):
    """The latest of some optional datetimes."""
    return max((moment for moment in moments if moment is not None), default=None)


def latest_visible_change(condition: Q) -> Subquery:
    """When a visible publication matching ``condition`` last changed."""
    return Subquery(
        Publication.objects.published()
        .filter(condition)
        .order_by("-updated_at")
        .values("updated_at")[:1]
    )


class BilingualSitemap(Sitemap):
    """Every page in English and French, each listing the other as alternate."""

    i18n = True
    alternates = True
    x_default = True

    def __init__(self, base_url: str):
        self.base_url = base_url  # the site's address, from site_url()

    def get_urls(self, page=1, site=None, protocol=None):
        address = urlsplit(self.base_url)
        site = SimpleNamespace(domain=address.netloc + address.path)
        return super().get_urls(page, site=site, protocol=address.scheme)


class PublicationSitemap(BilingualSitemap):
    changefreq = "monthly"
    priority = 0.8
    i18n = alternates = x_default = False

    def items(self):
        translations = Publication.objects.published().only("slug", "language")
        return (
            Publication.objects.published()
            .only("slug", "language", "updated_at")
            .prefetch_related(Prefetch("translations", queryset=translations))
            .order_by("pk")
        )

    def location(self, publication):
        with translation.override(publication.language):
            return publication.get_absolute_url()

    def lastmod(self, publication):
        return publication.updated_at

    def _urls(self, page, protocol, domain):
        urls = super()._urls(page, protocol, domain)
        for url in urls:
            url["alternates"] = [
                {"lang_code": language, "location": location}
                for language, location in alternates(url["item"], self.base_url)
            ]
        return urls


class AuthorSitemap(BilingualSitemap):
    changefreq = "monthly"

    def items(self):
        return (
            Author.objects.public()
            .annotate(
                publication_changed=latest_visible_change(
                    Q(authorships__author=OuterRef("pk"))
                )
            )
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, author):
        return latest(author.updated_at, author.publication_changed)


class CenterSitemap(BilingualSitemap):
    changefreq = "weekly"

    def items(self):
        changed = latest_visible_change(
            Q(center=OuterRef("pk")) | Q(additional_centers=OuterRef("pk"))
        )
        return (
            ResearchCenter.objects.public()
            .annotate(publication_changed=changed)
            .only("slug", "updated_at")
            .order_by("pk")
        )

    def lastmod(self, center):
        return latest(center.updated_at, center.publication_changed)


class PageSitemap(BilingualSitemap):
    changefreq = "daily"
    priority = 0.6

    def items(self):
        return ["home", "publications:list", "authors:list", "centers:list"]

    def location(self, name):
        return reverse(name)

    @cached_property
    def changes(self) -> dict:
        """When what each page lists last changed."""
        publications = Publication.objects.published().aggregate(
            changed=Max("updated_at")
        )["changed"]
        authors = Author.objects.active().aggregate(changed=Max("updated_at"))
        centers = ResearchCenter.objects.active().aggregate(changed=Max("updated_at"))
        return {
            "home": latest(publications, centers["changed"]),
            "publications:list": publications,
            "authors:list": authors["changed"],
            "centers:list": centers["changed"],
        }

    def lastmod(self, name):
        return self.changes.get(name)


SECTIONS = {
    "pages": PageSitemap,
    "publications": PublicationSitemap,
    "authors": AuthorSitemap,
    "centers": CenterSitemap,
}


@require_safe
def sitemap(request):
    """sitemap.xml, every address on the site's address for this request."""
    base_url = site_url(request)
    sections = {name: section(base_url) for name, section in SECTIONS.items()}
    return sitemap_view(request, sitemaps=sections)
