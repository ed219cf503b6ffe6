"""Addresses that no view could read get a 400 of ours, never a 500.

PostgreSQL refuses a NUL byte in any text: a NUL that reached a query gave a
500 there. Every URL below is refused before any view runs, on both
databases.
"""

import pytest

from ..factories import PublicationFactory, UserFactory

pytestmark = pytest.mark.django_db

PUBLIC_URLS = [
    "/en/feeds/tags/%00/rss/",
    "/en/feeds/tags/%00/atom/",
    "/fr/feeds/tags/caf%00/rss/",
    "/en/feeds/centers/%00/rss/",
    "/en/feeds/rss/?%00",
    "/en/publications/?tag=%00",
    "/en/publications/?type=%00",
    "/en/publications/?center=%00&year=2024",
    "/en/publications/?author=%00",
    "/en/publications/?year=%00",
    "/en/publications/?lang=%00",
    "/en/publications/?page=%00",
    "/en/publications/?tag=%E9nergie",  # latin-1, not UTF-8
    "/en/publications/?tag=%C0%80",  # an overlong NUL
    "/en/publications/?tag=%ED%A0%80",  # a surrogate
    "/en/publications/?%00=energy",
    "/en/publications/?tag=a%1Bb",
    "/en/publications/?tag=a%7Fb",
    "/en/publications/%00/",
    "/en/publications/%FF/",
    "/en/publications/a%0Ab/",
    "/en/publications/some%00slug/pdf/",
    "/en/publications/some-slug/cite.bib?%00",
    "/en/authors/%00/",
    "/en/centers/%00/",
    "/en/%00/",
    "/%00",
    "/en/search/?q=%00",
    "/en/search/?q=energy%00",
    "/en/search/?q=%FF",
    "/en/search/?q=%C3",
    "/en/search/?q=energy&type=%00",
    "/en/search/?q=energy&sort=%00",
    "/en/search/autocomplete/?q=%00",
    "/en/search/autocomplete/?q=%E9",
    "/sitemap.xml?p=%00",
    "/sitemap.xml?p=%FF",
    "/robots.txt?%00",
    "/healthz?%00",
    "/static/css/site.css?v=%00",
    "/media/%00.jpg",
]

ADMIN_URLS = [
    "/admin/publications/publication/?tag=%00",
    "/admin/publications/publication/?q=%00",
    "/admin/publications/publication/?q=%C0%AF",
    "/admin/publications/publication/?status__exact=%00",
    "/admin/publications/publication/?type__id__exact=%00",
    "/admin/publications/publication/?center__id__exact=%00",
    "/admin/publications/publication/?language__exact=%00",
    "/admin/publications/publication/?year=%00",
    "/admin/publications/publication/?publication_date__year=%00",
    "/admin/publications/publication/?o=%00",
    "/admin/publications/publication/%00/change/",
    "/admin/authors/author/?q=%00",
    "/admin/authors/author/?centers__id__exact=%00",
    "/admin/centers/researchcenter/?q=%00",
    "/admin/taggit/tag/?q=%00",
    "/admin/autocomplete/?term=%00&app_label=publications"
    "&model_name=authorship&field_name=author",
    "/admin/autocomplete/?term=%00&app_label=publications"
    "&model_name=publication&field_name=translations",
    "/admin/autocomplete/?term=ok&app_label=publications"
    "&model_name=publication&field_name=center%00",
    "/admin/autocomplete/?term=%FF&app_label=publications"
    "&model_name=publication&field_name=type",
]


@pytest.fixture
def content():
    PublicationFactory(tags=["Energy"])


def assert_refused(response, url):
    assert response.status_code == 400, url
    assert "Bad request" in response.content.decode(), url


@pytest.mark.parametrize("url", PUBLIC_URLS)
def test_anonymous_reader_gets_400_for_an_unreadable_address(client, content, url):
    assert_refused(client.get(url), url)


@pytest.mark.parametrize("url", ADMIN_URLS)
def test_staff_gets_400_for_an_unreadable_admin_address(client, content, url):
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    assert_refused(client.get(url), url)


def test_raw_bytes_that_are_not_utf8_in_a_query_are_refused(client, content):
    # A client may send bytes unescaped; WSGI hands them over as latin-1.
    response = client.generic("GET", "/en/search/", QUERY_STRING="q=\xe9nergie")

    assert_refused(response, "raw latin-1 query")


def test_refusal_page_is_in_the_readers_language(client):
    french = client.get("/fr/search/?q=%00")
    browser_french = client.get("/%00", headers={"accept-language": "fr"})

    for response in (french, browser_french):
        assert response.status_code == 400
        assert '<html lang="fr">' in response.content.decode()


@pytest.mark.parametrize(
    "url",
    [
        "/en/feeds/tags/%C3%A9nergie/rss/",
        "/en/search/?q=%C3%A9nergie+nucl%C3%A9aire",
        "/en/search/?q=energy%09security",  # a pasted tab
        "/en/publications/?tag=%C3%A9nergie&year=",
        "/en/publications/?q=100%25",
    ],
)
def test_ordinary_unicode_and_whitespace_are_read_as_usual(client, content, url):
    assert client.get(url).status_code in (200, 404), url
