import pytest
from django.core.exceptions import ImproperlyConfigured
from django.db import OperationalError, connection
from django.test import RequestFactory
from django.views.defaults import server_error

from ifri.site import site_url

from ..conftest import REACHED_HOST
from ..factories import PublicationFactory

pytestmark = pytest.mark.django_db


def test_robots_txt_points_to_the_sitemap(client, settings):
    settings.SITE_URL = "https://www.example.org"
    response = client.get("/robots.txt")

    assert response["Content-Type"].startswith("text/plain")
    assert "Sitemap: https://www.example.org/sitemap.xml" in response.content.decode()
    assert "Disallow: /admin/" in response.content.decode()


def test_robots_txt_names_the_sitemap_on_the_site_s_address(client, site_base):
    response = client.get("/robots.txt", HTTP_HOST=REACHED_HOST)

    assert f"Sitemap: {site_base}/sitemap.xml" in response.content.decode()


def test_site_url_is_the_scheme_host_and_port_the_request_reached(settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["example.org"]
    requests = RequestFactory()

    assert site_url(requests.get("/x/", HTTP_HOST=REACHED_HOST)) == (
        "http://example.org:8080"
    )
    assert site_url(requests.get("/", HTTP_HOST="example.org", secure=True)) == (
        "https://example.org"
    )


def test_site_url_is_https_behind_a_trusted_proxy_that_says_so(settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = ["example.org"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    request = RequestFactory().get(
        "/", HTTP_HOST="example.org", HTTP_X_FORWARDED_PROTO="https"
    )

    assert site_url(request) == "https://example.org"


def test_site_url_setting_wins_over_the_request(settings):
    settings.SITE_URL = "https://www.institute.example"
    settings.ALLOWED_HOSTS = ["example.org"]

    request = RequestFactory().get("/", HTTP_HOST=REACHED_HOST)

    assert site_url(request) == "https://www.institute.example"
    assert site_url() == "https://www.institute.example"


def test_without_a_request_site_url_needs_the_setting(settings):
    settings.SITE_URL = ""

    with pytest.raises(ImproperlyConfigured, match="SITE_URL"):
        site_url()


def test_a_host_outside_allowed_hosts_is_refused_not_named(client, settings):
    settings.SITE_URL = ""
    PublicationFactory(slug="gas-grids")

    for url in ("/robots.txt", "/sitemap.xml", "/en/publications/gas-grids/"):
        response = client.get(url, HTTP_HOST="attacker.example")

        assert response.status_code == 400
        assert "attacker.example" not in response.content.decode()


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
        **settings.CACHES,
        "default": {
            "BACKEND": "django.core.cache.backends.filebased.FileBasedCache",
            "LOCATION": str(tmp_path / "not-a-folder"),
        },
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
