"""RSS and Atom feeds, read back with feedparser as a feed reader would."""

import datetime
import html
import re
from urllib.parse import urlsplit

import feedparser
import pytest
from django.urls import reverse
from django.utils import timezone

from publications import feeds

from ..conftest import REACHED_HOST
from ..factories import (
    AuthorFactory,
    PublicationFactory,
    PublicationTypeFactory,
    ResearchCenterFactory,
)

pytestmark = pytest.mark.django_db

SITE_URL = "https://www.institute.example"
FORMATS = ["rss", "atom"]


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


def read(client, url, **headers):
    response = client.get(url, **headers)
    assert response.status_code == 200, url
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def slugs(parsed) -> list[str]:
    return [entry.link.rstrip("/").rsplit("/", 1)[-1] for entry in parsed.entries]


def hours_ago(hours):
    return timezone.now() - datetime.timedelta(hours=hours)


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_lists_visible_publications_newest_first(client, fmt):
    PublicationFactory(slug="older", publish_at=hours_ago(48))
    PublicationFactory(slug="newer", publish_at=hours_ago(2))
    PublicationFactory(slug="draft", draft=True)
    PublicationFactory(slug="in-review", in_review=True)
    PublicationFactory(slug="scheduled", scheduled=True)

    parsed = read(client, reverse(f"feeds:all-{fmt}"))

    assert slugs(parsed) == ["newer", "older"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_item_carries_authors_in_order_topics_and_the_pdf(client, fmt):
    authors = [
        AuthorFactory(given_name="Zoé", family_name="Zimmer"),
        AuthorFactory(given_name="Adam", family_name="Abbott"),
        AuthorFactory(given_name="Marie", family_name="Moreau"),
    ]
    publication = PublicationFactory(
        slug="gas-grids",
        title="Gas and grids",
        teaser="How Europe keeps the lights on.",
        authors=authors,
        tags=["Energy", "Sahel"],
    )

    [entry] = read(client, reverse(f"feeds:all-{fmt}")).entries

    assert entry.title == "Gas and grids"
    assert entry.link == f"{SITE_URL}/en/publications/gas-grids/"
    assert html.unescape(entry.summary) == "How Europe keeps the lights on."
    assert [a["name"] for a in entry.authors] == [
        "Zoé Zimmer",
        "Adam Abbott",
        "Marie Moreau",
    ]
    assert [tag.term for tag in entry.tags] == ["Energy", "Sahel"]
    assert entry.published_parsed[:6] == publication.publish_at.utctimetuple()[:6]
    assert entry.id.startswith("tag:www.institute.example,")
    [enclosure] = entry.enclosures
    assert enclosure.href == f"{SITE_URL}/en/publications/gas-grids/pdf/"
    assert enclosure.type == "application/pdf"
    assert int(enclosure.length) == publication.pdf_size > 0


def test_atom_authors_link_to_their_pages(client):
    author = AuthorFactory(slug="jane-doe")
    PublicationFactory(authors=[author])

    [entry] = read(client, reverse("feeds:all-atom")).entries

    assert entry.authors[0]["href"] == f"{SITE_URL}/en/authors/jane-doe/"


@pytest.mark.parametrize("fmt", FORMATS)
def test_publication_without_pdf_has_no_enclosure(client, fmt):
    PublicationFactory(pdf="")

    [entry] = read(client, reverse(f"feeds:all-{fmt}")).entries

    assert entry.enclosures == []


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_addresses_come_from_site_url_not_the_request(client, fmt):
    PublicationFactory()

    parsed = read(client, f"/fr/feeds/{fmt}/")

    assert parsed.feed.link == f"{SITE_URL}/fr/publications/"
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == [f"{SITE_URL}/fr/feeds/{fmt}/"]
    # Items link to each publication's canonical page, in its own language.
    assert parsed.entries[0].link.startswith(f"{SITE_URL}/en/publications/")
    assert parsed.feed.language == "fr"
    assert "testserver" not in client.get(f"/fr/feeds/{fmt}/").content.decode()


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_addresses_are_on_the_site_s_address(client, site_base, fmt):
    author = AuthorFactory(slug="jane-doe")
    center = ResearchCenterFactory(slug="energy")
    PublicationFactory(slug="gas-grids", authors=[author], center=center)

    parsed = read(client, f"/fr/feeds/{fmt}/", HTTP_HOST=REACHED_HOST)
    by_center = read(client, f"/en/feeds/centers/energy/{fmt}/", HTTP_HOST=REACHED_HOST)
    body = client.get(f"/fr/feeds/{fmt}/", HTTP_HOST=REACHED_HOST).content.decode()

    assert parsed.feed.link == f"{site_base}/fr/publications/"
    self_links = [link.href for link in parsed.feed.links if link.rel == "self"]
    assert self_links == [f"{site_base}/fr/feeds/{fmt}/"]
    [entry] = parsed.entries
    assert entry.link == f"{site_base}/en/publications/gas-grids/"
    assert entry.enclosures[0].href == f"{site_base}/fr/publications/gas-grids/pdf/"
    assert entry.id.startswith(f"tag:{urlsplit(site_base).hostname},")
    if fmt == "atom":
        assert entry.authors[0]["href"] == f"{site_base}/fr/authors/jane-doe/"
    assert by_center.feed.link == f"{site_base}/en/centers/energy/"
    for other in {"testserver", "example.org", "www.institute.example"}:
        if other not in site_base:
            assert other not in body


@pytest.mark.parametrize("fmt", FORMATS)
def test_feed_cached_at_one_address_is_not_served_at_another(client, settings, fmt):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "example.org"]
    PublicationFactory(slug="gas-grids")

    read(client, f"/en/feeds/{fmt}/")
    parsed = read(client, f"/en/feeds/{fmt}/", HTTP_HOST=REACHED_HOST)

    assert parsed.feed.link == "http://example.org:8080/en/publications/"
    assert (
        parsed.entries[0].link == "http://example.org:8080/en/publications/gas-grids/"
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_center_feed_has_its_primary_and_shared_publications(client, fmt):
    center = ResearchCenterFactory(slug="energy")
    PublicationFactory(slug="primary", center=center)
    shared = PublicationFactory(slug="shared")
    shared.additional_centers.add(center)
    PublicationFactory(slug="elsewhere")
    PublicationFactory(slug="draft", center=center, draft=True)

    parsed = read(client, reverse(f"feeds:center-{fmt}", args=["energy"]))

    assert sorted(slugs(parsed)) == ["primary", "shared"]
    assert parsed.feed.link == f"{SITE_URL}/en/centers/energy/"


@pytest.mark.parametrize("fmt", FORMATS)
def test_author_feed_has_only_their_publications(client, fmt):
    author = AuthorFactory(slug="jane-doe")
    PublicationFactory(slug="hers", authors=[AuthorFactory(), author])
    PublicationFactory(slug="someone-elses", authors=[AuthorFactory()])
    PublicationFactory(slug="scheduled", authors=[author], scheduled=True)

    parsed = read(client, reverse(f"feeds:author-{fmt}", args=["jane-doe"]))

    assert slugs(parsed) == ["hers"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_type_feed_has_only_that_type(client, fmt):
    books = PublicationTypeFactory(
        slug="books", name_en="Book", plural_name_en="Books", citation_type="book"
    )
    PublicationFactory(slug="a-book", type=books)
    PublicationFactory(slug="a-report")

    parsed = read(client, reverse(f"feeds:type-{fmt}", args=["books"]))

    assert slugs(parsed) == ["a-book"]
    assert parsed.feed.link == f"{SITE_URL}/en/publications/?type=books"


@pytest.mark.parametrize("fmt", FORMATS)
def test_tag_feed_has_only_that_topic_even_with_accents(client, fmt):
    PublicationFactory(slug="tagged", tags=["Énergie"])
    PublicationFactory(slug="untagged", tags=["Sahel"])
    PublicationFactory(slug="tagged-draft", tags=["Énergie"], draft=True)

    parsed = read(client, reverse(f"feeds:tag-{fmt}", args=["énergie"]))

    assert slugs(parsed) == ["tagged"]


@pytest.mark.parametrize("name", ["center-rss", "author-atom", "type-rss", "tag-atom"])
def test_unknown_slug_is_404(client, name):
    assert (
        client.get(reverse(f"feeds:{name}", args=["no-such-thing"])).status_code == 404
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_inactive_author_and_center_without_visible_work_have_no_feed(client, fmt):
    author = AuthorFactory(slug="retired", is_active=False)
    center = ResearchCenterFactory(slug="closed", is_active=False)
    PublicationFactory(authors=[author], center=center, draft=True)

    assert (
        client.get(reverse(f"feeds:author-{fmt}", args=["retired"])).status_code == 404
    )
    assert (
        client.get(reverse(f"feeds:center-{fmt}", args=["closed"])).status_code == 404
    )


@pytest.mark.parametrize("fmt", FORMATS)
def test_former_author_and_center_keep_their_feed_while_their_work_is_visible(
    client, fmt
):
    """Like their pages, which the publication links to."""
    author = AuthorFactory(slug="retired", is_active=False)
    center = ResearchCenterFactory(slug="closed", is_active=False)
    PublicationFactory(slug="their-study", authors=[author], center=center)

    for name, slug in (("author", "retired"), ("center", "closed")):
        parsed = read(client, reverse(f"feeds:{name}-{fmt}", args=[slug]))
        assert slugs(parsed) == ["their-study"]


@pytest.mark.parametrize("fmt", FORMATS)
def test_tricky_titles_and_names_survive_the_feed(client, fmt):
    title = "L'Europe & \"l'énergie\" </script><b>gras</b> 北京 — Ωμέγα"
    teaser = "Qu'en dit-on ? « Tout » & <rien> </script>"
    author = AuthorFactory(given_name="Zoë", family_name='O\'Connor & "Ben" Иванова')
    PublicationFactory(title=title, teaser=teaser, authors=[author], tags=["中东"])

    [entry] = read(client, reverse(f"feeds:all-{fmt}")).entries

    assert entry.title == title
    assert html.unescape(entry.summary) == teaser
    assert [a["name"] for a in entry.authors] == ['Zoë O\'Connor & "Ben" Иванова']
    assert [tag.term for tag in entry.tags] == ["中东"]


def test_feed_stops_at_its_length(client, monkeypatch):
    monkeypatch.setattr(feeds, "FEED_LENGTH", 2)
    for hours in (1, 2, 3):
        PublicationFactory(slug=f"hours-{hours}", publish_at=hours_ago(hours))

    parsed = read(client, reverse("feeds:all-rss"))

    assert slugs(parsed) == ["hours-1", "hours-2"]


@pytest.mark.parametrize("count", [1, 6])
@pytest.mark.parametrize("name", ["all-rss", "all-atom", "center-rss", "tag-atom"])
def test_feed_runs_a_fixed_number_of_queries(
    client, django_assert_num_queries, clear_content_type_cache, name, count
):
    center = ResearchCenterFactory(slug="energy")
    for _n in range(count):
        PublicationFactory(
            center=center,
            authors=AuthorFactory.create_batch(3),
            tags=["Energy", "Sahel", "Oil"],
        )
    # The center and the "Energy" topic share the slug "energy".
    args = [] if name.startswith("all") else ["energy"]

    # The center or topic named, the publications, their authorships, their
    # tags, the tags' content type.
    with django_assert_num_queries(4 if name.startswith("all") else 5):
        response = client.get(reverse(f"feeds:{name}", args=args))

    assert response.status_code == 200


def test_pages_advertise_their_feeds(client):
    author = AuthorFactory(slug="jane-doe")
    center = ResearchCenterFactory(slug="energy")
    PublicationFactory(authors=[author], center=center, tags=["Sahel"])
    PublicationTypeFactory()

    def feed_links(url):
        page = client.get(url).content.decode()
        return re.findall(
            r'<link rel="alternate" type="application/(?:rss|atom)\+xml" '
            r'title="[^"]+" href="([^"]+)">',
            page,
        )

    site_wide = ["/en/feeds/rss/", "/en/feeds/atom/"]
    assert feed_links("/en/") == site_wide
    assert feed_links("/en/authors/jane-doe/") == [
        "/en/feeds/authors/jane-doe/rss/",
        "/en/feeds/authors/jane-doe/atom/",
        *site_wide,
    ]
    assert feed_links("/en/centers/energy/") == [
        "/en/feeds/centers/energy/rss/",
        "/en/feeds/centers/energy/atom/",
        *site_wide,
    ]
    assert feed_links("/en/publications/?type=reports&tag=sahel") == [
        "/en/feeds/types/reports/rss/",
        "/en/feeds/types/reports/atom/",
        "/en/feeds/tags/sahel/rss/",
        "/en/feeds/tags/sahel/atom/",
        *site_wide,
    ]
    assert feed_links("/en/publications/") == site_wide
