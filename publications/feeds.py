"""RSS 2.0 and Atom feeds of the public publications.

One feed class per selection (all, a center, an author, a type, a topic), each
in an RSS and an Atom flavour. Items start from ``published()`` like every
public surface, and carry what the CSL-JSON item says (title, authors in
order, abstract, keywords) plus the PDF as an enclosure.

Every address is absolute from the site's address for the request
(``ifri.site.site_url()``: ``SITE_URL``, or the address the request reached),
the one the article page and its citations give too. Django's syndication
framework leaves such absolute URLs alone.
"""

import copy
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed, Rss201rev2Feed
from django.utils.html import escape
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from taggit.models import Tag

from authors.models import Author
from centers.models import ResearchCenter
from ifri.site import site_url

from .citations import csl_json
from .metadata import keywords, names, pdf_url
from .models import Publication, PublicationType

FEED_LENGTH = 50
DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"


class PublicationRssFeed(Rss201rev2Feed):
    """RSS 2.0 with one <dc:creator> per author (RSS's <author> wants emails)."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DC_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, _link in item["authors"]:
            handler.addQuickElement("dc:creator", name)


class PublicationAtomFeed(Atom1Feed):
    """Atom with one <author> per author, linking to their page."""

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for name, link in item["authors"]:
            handler.startElement("author", {})
            handler.addQuickElement("name", name)
            handler.addQuickElement("uri", link)
            handler.endElement("author")


class PublicationFeed(Feed):
    """The latest public publications, newest first."""

    feed_type = PublicationRssFeed
    url_name = "all-rss"
    item_guid_is_permalink = False
    item_enclosure_mime_type = "application/pdf"
    base_url = ""  # the site's address, set for each request by __call__

    def __call__(self, request, *args, **kwargs):
        # The URLconf holds one instance for every request and syndication
        # passes no request to the methods below: each request gets a copy
        # that knows the site's address.
        feed = copy.copy(self)
        feed.base_url = site_url(request)
        return super(PublicationFeed, feed).__call__(request, *args, **kwargs)

    def absolute_url(self, path: str) -> str:
        return f"{self.base_url}{path}"

    # The selection

    def publications(self, obj):
        return Publication.objects.published()

    def items(self, obj):
        publications = list(
            self.publications(obj)
            .for_citation()
            .order_by("-publish_at", "-pk")[:FEED_LENGTH]
        )
        # Syndication asks for each fact separately: build the CSL item once.
        for publication in publications:
            publication.csl = csl_json(publication, self.base_url)
        return publications

    # The feed

    def title(self, obj):
        return _("%(site)s: latest publications") % {"site": settings.SITE_NAME}

    def description(self, obj):
        return _("Analyses, reports and briefings on international affairs.")

    def link(self, obj):
        """The HTML page that lists the same publications."""
        return self.absolute_url(reverse("publications:list"))

    def feed_url(self, obj):
        kwargs = {"slug": obj.slug} if obj is not None else {}
        return self.absolute_url(reverse(f"feeds:{self.url_name}", kwargs=kwargs))

    def feed_guid(self, obj):
        return self.feed_url(obj)

    def feed_copyright(self, obj):
        return settings.CITATION_PUBLISHER

    # The items

    def item_title(self, item):
        return item.csl["title"]

    def item_description(self, item):
        # Feed readers take descriptions as HTML; the abstract is plain text.
        return escape(item.csl.get("abstract", ""))

    def item_link(self, item):
        return item.csl["URL"]

    def item_guid(self, item):
        # Stable across languages and slug corrections.
        host = urlsplit(self.base_url).hostname
        return f"tag:{host},{item.created_at:%Y-%m-%d}:publication:{item.pk}"

    def item_pubdate(self, item):
        return item.publish_at

    def item_updateddate(self, item):
        return item.updated_at

    def item_categories(self, item):
        return keywords(item.csl)

    def item_enclosure_url(self, item):
        return pdf_url(item, self.base_url) or None

    def item_enclosure_length(self, item):
        return item.pdf_size or 0

    def item_extra_kwargs(self, item):
        return {
            "authors": [
                (name, self.absolute_url(author.get_absolute_url()))
                for name, author in zip(names(item.csl), item.author_list, strict=True)
            ]
        }


class CenterFeed(PublicationFeed):
    url_name = "center-rss"

    def get_object(self, request, slug):
        return get_object_or_404(ResearchCenter.objects.public(), slug=slug)

    def publications(self, center):
        return Publication.objects.published().for_center(center)

    def title(self, center):
        return f"{settings.SITE_NAME}: {center.name}"

    def description(self, center):
        return center.teaser or self.title(center)

    def link(self, center):
        return self.absolute_url(center.get_absolute_url())


class AuthorFeed(PublicationFeed):
    url_name = "author-rss"

    def get_object(self, request, slug):
        return get_object_or_404(Author.objects.public(), slug=slug)

    def publications(self, author):
        return Publication.objects.published().for_author(author)

    def title(self, author):
        return _("%(site)s: publications by %(name)s") % {
            "site": settings.SITE_NAME,
            "name": author.full_name,
        }

    def description(self, author):
        return author.job_title or self.title(author)

    def link(self, author):
        return self.absolute_url(author.get_absolute_url())


class TypeFeed(PublicationFeed):
    url_name = "type-rss"

    def get_object(self, request, slug):
        return get_object_or_404(PublicationType, slug=slug)

    def publications(self, kind):
        return Publication.objects.published().filter(type=kind)

    def title(self, kind):
        return f"{settings.SITE_NAME}: {kind.plural_name}"

    def description(self, kind):
        return self.title(kind)

    def link(self, kind):
        query = urlencode({"type": kind.slug})
        return self.absolute_url(f"{reverse('publications:list')}?{query}")


class TagFeed(PublicationFeed):
    url_name = "tag-rss"

    def get_object(self, request, slug):
        return get_object_or_404(Tag, slug=slug)

    def publications(self, tag):
        return Publication.objects.published().filter(tags=tag)

    def title(self, tag):
        return _("%(site)s: publications on %(topic)s") % {
            "site": settings.SITE_NAME,
            "topic": tag.name,
        }

    def description(self, tag):
        return self.title(tag)

    def link(self, tag):
        query = urlencode({"tag": tag.slug})
        return self.absolute_url(f"{reverse('publications:list')}?{query}")


class AtomMixin:
    """The Atom flavour of a feed: same items, Atom's names for the same facts."""

    feed_type = PublicationAtomFeed

    def subtitle(self, obj):
        return self.description(obj)


class AtomFeed(AtomMixin, PublicationFeed):
    url_name = "all-atom"


class CenterAtomFeed(AtomMixin, CenterFeed):
    url_name = "center-atom"


class AuthorAtomFeed(AtomMixin, AuthorFeed):
    url_name = "author-atom"


class TypeAtomFeed(AtomMixin, TypeFeed):
    url_name = "type-atom"


class TagAtomFeed(AtomMixin, TagFeed):
    url_name = "tag-atom"
