"""RSS and Atom feeds, under /<lang>/feeds/: URL names feeds:<selection>-<format>."""

from django.urls import path
from django.views.decorators.http import require_safe

from ifri.page_cache import cache_public_page

from . import feeds

app_name = "feeds"


def feed_view(feed):
    """A feed answers GET and HEAD, from the page cache; anything else is 405."""
    return require_safe(cache_public_page(feed))


urlpatterns = [
    path("rss/", feed_view(feeds.PublicationFeed()), name="all-rss"),
    path("atom/", feed_view(feeds.AtomFeed()), name="all-atom"),
    path(
        "centers/<slug:slug>/rss/",
        feed_view(feeds.CenterFeed()),
        name="center-rss",
    ),
    path(
        "centers/<slug:slug>/atom/",
        feed_view(feeds.CenterAtomFeed()),
        name="center-atom",
    ),
    path(
        "authors/<slug:slug>/rss/",
        feed_view(feeds.AuthorFeed()),
        name="author-rss",
    ),
    path(
        "authors/<slug:slug>/atom/",
        feed_view(feeds.AuthorAtomFeed()),
        name="author-atom",
    ),
    path("types/<slug:slug>/rss/", feed_view(feeds.TypeFeed()), name="type-rss"),
    path(
        "types/<slug:slug>/atom/",
        feed_view(feeds.TypeAtomFeed()),
        name="type-atom",
    ),
    # Topic slugs keep non-ASCII letters ("énergie"), which <slug:> refuses.
    path("tags/<str:slug>/rss/", feed_view(feeds.TagFeed()), name="tag-rss"),
    path(
        "tags/<str:slug>/atom/",
        feed_view(feeds.TagAtomFeed()),
        name="tag-atom",
    ),
]
