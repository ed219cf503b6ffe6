"""sitemap.xml: every public page in both languages, with lastmod."""

import datetime
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone

from authors.models import Author
from centers.models import ResearchCenter
from publications.models import Publication
from publications.sitemaps import AuthorSitemap, CenterSitemap, PageSitemap

from ..factories import AuthorFactory, PublicationFactory, ResearchCenterFactory
from ..helpers import REACHED_HOST

pytestmark = pytest.mark.django_db

SITE_URL = "https://www.institute.example"
SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


def days_ago(days):
    return timezone.now() - datetime.timedelta(days=days)


def set_changed(obj, moment):
    """Backdate updated_at, which auto_now would otherwise overwrite."""
    type(obj).objects.filter(pk=obj.pk).update(updated_at=moment)


def entries(client) -> dict:
    """{location: lastmod text} of every URL in the sitemap."""
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    root = ET.fromstring(response.content)
    return {
        url.findtext("s:loc", namespaces=SITEMAP_NS): url.findtext(
            "s:lastmod", namespaces=SITEMAP_NS
        )
        for url in root.findall("s:url", SITEMAP_NS)
    }


def test_sitemap_lists_visible_pages_in_both_languages(client):
    visible = PublicationFactory(slug="visible-study", language="en")
    PublicationFactory(slug="draft-study", draft=True)
    PublicationFactory(slug="in-review-study", in_review=True)
    PublicationFactory(slug="scheduled-study", scheduled=True)
    AuthorFactory(slug="jane-doe")

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]
    assert f"{SITE_URL}/en/authors/jane-doe/" in locations
    assert f"{SITE_URL}/fr/authors/jane-doe/" in locations
    # A publication once, at its canonical page, in its own language.
    assert [loc for loc in locations if "-study" in loc] == [
        f"{SITE_URL}/en/publications/{visible.slug}/"
    ]
    defaults = root.findall("s:url/x:link[@hreflang='x-default']", SITEMAP_NS)
    assert f"{SITE_URL}/authors/jane-doe/" in [link.get("href") for link in defaults]
    assert "testserver" not in response.content.decode()


def test_a_publication_s_alternates_are_its_public_translations(client):
    english = PublicationFactory(slug="gas-grids", language="en")
    english.translations.add(
        PublicationFactory(slug="gaz-reseaux", language="fr"),
        PublicationFactory(slug="brouillon", language="fr", draft=True),
    )

    root = ET.fromstring(client.get("/sitemap.xml").content)

    links = {
        url.findtext("s:loc", namespaces=SITEMAP_NS): {
            (link.get("hreflang"), link.get("href"))
            for link in url.findall("x:link", SITEMAP_NS)
        }
        for url in root.findall("s:url", SITEMAP_NS)
    }
    expected = {
        ("en", f"{SITE_URL}/en/publications/gas-grids/"),
        ("fr", f"{SITE_URL}/fr/publications/gaz-reseaux/"),
    }
    assert links[f"{SITE_URL}/en/publications/gas-grids/"] == expected
    assert links[f"{SITE_URL}/fr/publications/gaz-reseaux/"] == expected
    assert not any("brouillon" in loc for loc in links)


def test_sitemap_addresses_are_on_the_site_s_address(client, site_base):
    english = PublicationFactory(slug="gas-grids", language="en")
    english.translations.add(PublicationFactory(slug="gaz-reseaux", language="fr"))
    AuthorFactory(slug="jane-doe")

    response = client.get("/sitemap.xml", HTTP_HOST=REACHED_HOST)
    root = ET.fromstring(response.content)

    locations = [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]
    links = [link.get("href") for link in root.findall("s:url/x:link", SITEMAP_NS)]
    assert f"{site_base}/en/publications/gas-grids/" in locations
    assert f"{site_base}/fr/authors/jane-doe/" in locations
    assert f"{site_base}/fr/publications/gaz-reseaux/" in links
    assert f"{site_base}/authors/jane-doe/" in links  # x-default
    for address in locations + links:
        assert address.startswith(f"{site_base}/"), address


def test_every_page_has_a_lastmod(client):
    PublicationFactory(authors=[AuthorFactory()])

    lastmods = entries(client)

    assert lastmods
    assert all(lastmods.values()), [loc for loc, mod in lastmods.items() if not mod]


def test_author_lastmod_follows_their_latest_visible_publication():
    author = AuthorFactory()
    set_changed(author, days_ago(30))
    changed = PublicationFactory(authors=[author])
    set_changed(changed, days_ago(3))
    draft = PublicationFactory(authors=[author], draft=True)
    set_changed(draft, days_ago(1))
    quiet = AuthorFactory()
    set_changed(quiet, days_ago(20))

    sitemap = AuthorSitemap(SITE_URL)
    lastmods = {item.pk: sitemap.lastmod(item) for item in sitemap.items()}

    assert lastmods[author.pk] == Publication.objects.get(pk=changed.pk).updated_at
    assert lastmods[quiet.pk] == Author.objects.get(pk=quiet.pk).updated_at


def test_center_lastmod_follows_primary_and_shared_publications():
    center = ResearchCenterFactory()
    set_changed(center, days_ago(30))
    primary = PublicationFactory(center=center)
    set_changed(primary, days_ago(10))
    shared = PublicationFactory()
    shared.additional_centers.add(center)
    set_changed(shared, days_ago(2))

    sitemap = CenterSitemap(SITE_URL)
    lastmods = {item.pk: sitemap.lastmod(item) for item in sitemap.items()}

    assert lastmods[center.pk] == Publication.objects.get(pk=shared.pk).updated_at


def test_list_pages_lastmod_is_their_latest_change():
    publication = PublicationFactory()
    set_changed(publication, days_ago(4))
    set_changed(publication.center, days_ago(6))
    author = AuthorFactory()
    set_changed(author, days_ago(8))
    scheduled = PublicationFactory(scheduled=True, center=publication.center)
    set_changed(scheduled, days_ago(1))

    sitemap = PageSitemap(SITE_URL)

    publication_change = Publication.objects.get(pk=publication.pk).updated_at
    assert sitemap.lastmod("publications:list") == publication_change
    assert sitemap.lastmod("home") == publication_change
    assert (
        sitemap.lastmod("authors:list") == Author.objects.get(pk=author.pk).updated_at
    )
    assert (
        sitemap.lastmod("centers:list")
        == ResearchCenter.objects.get(pk=publication.center.pk).updated_at
    )


def test_sitemap_runs_a_fixed_number_of_queries(client, django_assert_num_queries):
    for _n in range(5):
        publication = PublicationFactory(authors=AuthorFactory.create_batch(2))
        publication.translations.add(PublicationFactory(language="fr"))

    # Publications (their count, a page of them, their translations), authors,
    # centers, and three for the list pages.
    with django_assert_num_queries(8):
        assert client.get("/sitemap.xml").status_code == 200
