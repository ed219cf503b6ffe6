"""What readers get when the database fails: cached pages, counts that may be
lost, and our 503 page for the rest. The database is made to fail here by
an execute wrapper; tests/faults/ stops and freezes a real server."""

from contextlib import contextmanager

import pytest
from django.db import OperationalError, connection

from publications.models import Publication, SearchQueryStat

from ..factories import PublicationFactory, editor

pytestmark = pytest.mark.django_db

SEARCH_URL = "/en/search/"


@contextmanager
def database_fails(only: str = ""):
    """Every statement (or every one starting with ``only``) fails as it does
    when the server is down."""

    def fail(execute, sql, params, many, context):
        if sql.lstrip().upper().startswith(only.upper()):
            raise OperationalError("could not connect to server: Connection refused")
        return execute(sql, params, many, context)

    with connection.execute_wrapper(fail):
        yield


def assert_unavailable(response):
    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "This page is temporarily unavailable" in response.content.decode()


def downloads(publication) -> int:
    return Publication.objects.values_list("download_count", flat=True).get(
        pk=publication.pk
    )


def test_reader_gets_our_unavailable_page_when_the_database_is_down(client):
    publication = PublicationFactory()

    with database_fails():
        response = client.get(publication.get_absolute_url())

    assert response.status_code == 503
    assert response["Retry-After"].isdigit()
    assert "no-store" in response["Cache-Control"]
    html = response.content.decode()
    assert "This page is temporarily unavailable" in html
    assert '<html lang="en">' in html
    assert 'href="/en/publications/"' in html  # the site's own header


def test_unavailable_page_is_in_the_readers_language(client):
    with database_fails():
        response = client.get("/fr/publications/")

    assert response.status_code == 503
    html = response.content.decode()
    assert '<html lang="fr">' in html
    assert "Cette page est momentanément indisponible" in html
    assert 'href="/fr/publications/"' in html


@pytest.mark.parametrize(
    "url",
    ["/en/publications/", "/en/authors/", "/sitemap.xml", "/en/feeds/rss/"],
)
def test_every_page_the_database_cannot_give_is_a_503(client, url):
    with database_fails():
        response = client.get(url)

    assert response.status_code == 503


def test_pdf_download_is_a_503_when_the_database_is_down(client):
    publication = PublicationFactory(with_pdf=True)

    with database_fails():
        response = client.get(publication.get_pdf_url())

    assert response.status_code == 503


def test_editor_saving_while_the_database_is_down_gets_a_503(client):
    publication = PublicationFactory()
    client.force_login(editor())
    url = f"/admin/publications/publication/{publication.pk}/change/"
    client.get(url)
    # The upload gate, a middleware, reads the user before any view runs.
    client.raise_request_exception = False

    with database_fails():
        response = client.post(url, {"title": "Changed"})

    assert_unavailable(response)


def test_a_login_while_the_database_is_down_gets_a_503(client):
    client.raise_request_exception = False

    with database_fails():
        response = client.post(
            "/admin/login/", {"username": "editor", "password": "secret"}
        )

    assert_unavailable(response)


def test_cached_page_is_served_while_the_database_is_down(client):
    publication = PublicationFactory()
    first = client.get(publication.get_absolute_url())

    with database_fails():
        again = client.get(publication.get_absolute_url())

    assert again.status_code == 200
    assert again.content == first.content


def test_cached_search_is_served_when_its_count_cannot_be_written(client, commit):
    with commit():
        PublicationFactory(title="Energy security")
    first = client.get(SEARCH_URL, {"q": "energy"})

    with database_fails():
        again = client.get(SEARCH_URL, {"q": "energy"})

    assert again.status_code == 200
    assert again.content == first.content
    assert SearchQueryStat.objects.get().count == 1


@pytest.mark.django_db(transaction=True)
def test_pdf_is_served_when_the_database_cannot_count_it(client):
    # In autocommit, as readers' requests run: a test's transaction would be
    # spoiled by the failed UPDATE.
    publication = PublicationFactory(with_pdf=True)

    with database_fails(only="UPDATE"):
        response = client.get(publication.get_pdf_url())

    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
    assert downloads(publication) == 0


def test_other_errors_are_not_hidden_as_unavailable(client, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr("publications.views.HomeView.get_context_data", broken)
    client.raise_request_exception = False

    assert client.get("/en/").status_code == 500
