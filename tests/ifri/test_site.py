import pytest
from django.test import RequestFactory
from django.views.defaults import server_error

from ..factories import PublicationFactory

pytestmark = pytest.mark.django_db


def test_robots_txt_points_to_the_sitemap(client, settings):
    settings.SITE_URL = "https://www.example.org"
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: https://www.example.org/sitemap.xml" in response.content.decode()
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
