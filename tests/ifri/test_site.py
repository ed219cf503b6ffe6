import xml.etree.ElementTree as ET

import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from ..factories import AuthorFactory, PublicationFactory

pytestmark = pytest.mark.django_db

SITEMAP_NS = {
    "s": "http://www.sitemaps.org/schemas/sitemap/0.9",
    "x": "http://www.w3.org/1999/xhtml",
}


def test_sitemap_lists_visible_pages_in_both_languages(client):
    visible = PublicationFactory(slug="visible-study")
    PublicationFactory(slug="draft-study", draft=True)
    PublicationFactory(slug="scheduled-study", scheduled=True)
    AuthorFactory(slug="jane-doe")

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    root = ET.fromstring(response.content)
    locations = [loc.text for loc in root.findall("s:url/s:loc", SITEMAP_NS)]
    assert f"http://testserver/en/publications/{visible.slug}/" in locations
    assert f"http://testserver/fr/publications/{visible.slug}/" in locations
    assert "http://testserver/en/authors/jane-doe/" in locations
    assert not any(
        "draft-study" in loc or "scheduled-study" in loc for loc in locations
    )
    assert root.findall("s:url/x:link[@hreflang='fr']", SITEMAP_NS)
    assert root.findall("s:url/s:lastmod", SITEMAP_NS)


def test_robots_txt_points_to_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: http://testserver/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_healthz_checks_the_database(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_unknown_page_uses_our_404_page(client):
    response = client.get("/en/no-such-page/")

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_server_error_page_renders_without_context():
    response = server_error(RequestFactory().get("/"))

    assert response.status_code == 500
    assert "Something went wrong" in response.content.decode()


def test_uploaded_images_are_served_but_pdfs_are_not_public(client, settings):
    publication = PublicationFactory()

    image = client.get(publication.main_image.url)
    assert image.status_code == 200
    assert not str(publication.pdf.path).startswith(str(settings.MEDIA_ROOT))
    assert client.get(f"/media/{publication.pdf.name}").status_code == 404
