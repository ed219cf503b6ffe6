"""RSS and Atom feeds, under /<lang>/feeds/: URL names feeds:<selection>-<format>."""

from django.urls import path

from . import feeds
from .caching import cache_public_page

app_name = "feeds"

urlpatterns = [
    path("rss/", cache_public_page(feeds.PublicationFeed()), name="all-rss"),
    path("atom/", cache_public_page(feeds.AtomFeed()), name="all-atom"),
    path(
        "centers/<slug:slug>/rss/",
        cache_public_page(feeds.CenterFeed()),
        name="center-rss",
    ),
    path(
        "centers/<slug:slug>/atom/",
        cache_public_page(feeds.CenterAtomFeed()),
        name="center-atom",
    ),
    path(
        "authors/<slug:slug>/rss/",
        cache_public_page(feeds.AuthorFeed()),
        name="author-rss",
    ),
    path(
        "authors/<slug:slug>/atom/",
        cache_public_page(feeds.AuthorAtomFeed()),
        name="author-atom",
    ),
    path(
        "types/<slug:slug>/rss/", cache_public_page(feeds.TypeFeed()), name="type-rss"
    ),
    path(
        "types/<slug:slug>/atom/",
        cache_public_page(feeds.TypeAtomFeed()),
        name="type-atom",
    ),
    # Topic slugs keep non-ASCII letters ("énergie"), which <slug:> refuses.
    path("tags/<str:slug>/rss/", cache_public_page(feeds.TagFeed()), name="tag-rss"),
    path(
        "tags/<str:slug>/atom/",
        cache_public_page(feeds.TagAtomFeed()),
        name="tag-atom",
    ),
]
