"""Which research centers are public: one rule, and every surface follows it."""

import xml.etree.ElementTree as ET
from urllib.parse import urlsplit

import pytest
from django.urls import reverse

from centers.models import ResearchCenter

from ..factories import AuthorFactory, PublicationFactory, ResearchCenterFactory

pytestmark = pytest.mark.django_db

# (is_active, how a publication belongs to it) -> public?
CASES = {
    "active, nothing published yet": (True, None, True),
    "active, a visible publication": (True, {"main": True}, True),
    "closed, a visible publication": (False, {"main": True}, True),
    "closed, a visible shared publication": (False, {"main": False}, True),
    "closed, only a draft": (False, {"main": True, "draft": True}, False),
    "closed, only scheduled work": (False, {"main": True, "scheduled": True}, False),
    "closed, nothing": (False, None, False),
}


def make_center(is_active, holding) -> ResearchCenter:
    center = ResearchCenterFactory(slug="the-center", is_active=is_active)
    if holding is not None:
        holding = dict(holding)
        if holding.pop("main"):
            PublicationFactory(center=center, **holding)
        else:
            PublicationFactory(**holding).additional_centers.add(center)
    return center


def sitemap_paths(client) -> set[str]:
    root = ET.fromstring(client.get("/sitemap.xml").content)
    namespace = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}
    return {urlsplit(loc.text).path for loc in root.findall("s:url/s:loc", namespace)}


@pytest.mark.parametrize(("is_active", "holding", "public"), CASES.values(), ids=CASES)
def test_public_centers_are_the_active_and_those_holding_visible_work(
    is_active, holding, public
):
    center = make_center(is_active, holding)

    assert (center in ResearchCenter.objects.public()) is public


def test_public_centers_are_each_listed_once():
    center = ResearchCenterFactory()
    PublicationFactory.create_batch(2, center=center)
    PublicationFactory().additional_centers.add(center)

    assert list(ResearchCenter.objects.public().filter(pk=center.pk)) == [center]


@pytest.mark.parametrize(("is_active", "holding", "public"), CASES.values(), ids=CASES)
def test_page_feeds_and_sitemap_agree_on_a_center(client, is_active, holding, public):
    center = make_center(is_active, holding)
    expected = 200 if public else 404

    assert client.get(center.get_absolute_url()).status_code == expected
    for feed in ("feeds:center-rss", "feeds:center-atom"):
        assert client.get(reverse(feed, args=[center.slug])).status_code == expected
    assert (center.get_absolute_url() in sitemap_paths(client)) is public


def test_an_author_page_links_only_to_public_centers(client):
    author = AuthorFactory()
    open_center = ResearchCenterFactory(name="Open Center", name_en="Open Center")
    closed = ResearchCenterFactory(
        name="Closed Center", name_en="Closed Center", is_active=False
    )
    author.centers.add(open_center, closed)

    html = client.get(author.get_absolute_url()).content.decode()

    assert "Open Center" in html and "Closed Center" not in html
