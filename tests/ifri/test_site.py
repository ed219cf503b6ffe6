import pytest
from django.db import OperationalError, connection
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


def test_healthz_says_the_database_and_the_cache_answer(client):
    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "cache": "ok"}
    assert "no-store" in response["Cache-Control"]


def test_healthz_says_the_database_is_unavailable(client):
    def fail(execute, sql, params, many, context):
        raise OperationalError("could not connect to server: Connection refused")

    with connection.execute_wrapper(fail):
        response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "unavailable",
        "cache": "ok",
    }


def test_healthz_says_the_cache_is_unavailable(client, settings, tmp_path):
    # A file cache in a folder that is a file: nothing can be written.
    (tmp_path / "not-a-folder").write_text("")
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "not-a-folder"),
        }
    }
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {
        "status": "error",
        "database": "ok",
        "cache": "unavailable",
    }


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
