"""Which authors are public: one rule, and every surface follows it."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from authors.models import Author

from ..factories import AuthorFactory, PublicationFactory

pytestmark = pytest.mark.django_db

# (is_active, what credits them) -> public?
CASES = {
    "active, nothing published yet": (True, None, True),
    "active, a visible publication": (True, {}, True),
    "former, a visible publication": (False, {}, True),
    "former, only a draft": (False, {"draft": True}, False),
    "former, only scheduled work": (False, {"scheduled": True}, False),
    "former, nothing": (False, None, False),
}


def make_author(is_active, credited_on) -> Author:
    author = AuthorFactory(slug="the-author", is_active=is_active)
    if credited_on is not None:
        PublicationFactory(authors=[author], **credited_on)
    return author


def sitemap_paths(client) -> set[str]:
    root = ET.fromstring(client.get("/sitemap.xml").content)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return {urlsplit(loc.text).path for loc in root.findall("s:url/s:loc", namespace)}


@pytest.mark.parametrize(
    ("is_active", "credited_on", "public"), CASES.values(), ids=CASES
)
def test_public_authors_are_the_active_and_those_visible_work_credits(
    is_active, credited_on, public
):
    author = make_author(is_active, credited_on)

    assert (author in Author.objects.public()) is public


def test_public_authors_are_each_listed_once():
    author = AuthorFactory()
    PublicationFactory.create_batch(2, authors=[author])

    assert list(Author.objects.public()) == [author]


@pytest.mark.parametrize(
    ("is_active", "credited_on", "public"), CASES.values(), ids=CASES
)
def test_page_feeds_and_sitemap_agree_on_an_author(
    client, is_active, credited_on, public
):
    author = make_author(is_active, credited_on)
    expected = 200 if public else 404

    assert client.get(author.get_absolute_url()).status_code == expected
    for feed in ("feeds:author-rss", "feeds:author-atom"):
        assert client.get(reverse(feed, args=[author.slug])).status_code == expected
    assert (author.get_absolute_url() in sitemap_paths(client)) is public


def test_the_author_list_shows_only_active_authors():
    """Former authors keep their page but leave the list."""
    make_author(False, {})

    assert not Author.objects.active().exists()
    assert Author.objects.public().exists()
