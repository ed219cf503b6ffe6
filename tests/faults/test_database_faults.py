"""The site under gunicorn while its PostgreSQL server is down or frozen:
cached pages keep serving, everything else answers our 503 page at once, and
the site recovers by itself when the server is back."""

import time

import pytest

from .servers import start_site

# One worker runs every fault test: it starts their servers once.
pytestmark = [pytest.mark.faults, pytest.mark.xdist_group("faults")]

ARTICLE = "/en/publications/article-0/"
SEARCH = "/en/search/?q=energy"
# Pages never visited before the fault, so never cached.
UNCACHED = [
    "/en/authors/ada-lovelace/",
    "/en/publications/article-1/pdf/",
    "/sitemap.xml",
    "/en/publications/?type=reports",
]
UNAVAILABLE_PAGE = "This page is temporarily unavailable"


@pytest.fixture(scope="module")
def site(postgres, prepared, tmp_path_factory):
    """The site, with the default file cache, against our own PostgreSQL."""
    site = start_site(postgres, prepared, tmp_path_factory.mktemp("site"))
    try:
        yield site
    finally:
        site.stop()


def every_thread_is_connected(site):
    """More concurrent requests than the site has threads: each thread keeps
    a database connection, as a busy site's do."""
    count = 3 * site.workers * site.threads
    paths = [f"/en/publications/?page={n % 2 + 1}&n={n}" for n in range(count)]
    assert {r.status_code for r in site.get_all(paths, timeout=30)} == {200}


def assert_unavailable(response):
    assert response.status_code == 503, (response.url, response.status_code)
    assert int(response.headers["Retry-After"]) > 0
    assert UNAVAILABLE_PAGE in response.text


def recovers(site, timeout: float = 30) -> bool:
    """Whether, within ``timeout`` seconds, a burst of readers all get their
    pages again."""
    paths = [f"/en/publications/?n={n}" for n in range(2 * site.workers * site.threads)]
    for attempt in range(int(timeout)):
        responses = site.get_all([f"{path}&a={attempt}" for path in paths], 30)
        if {response.status_code for response in responses} == {200}:
            return True
        time.sleep(1)
    return False


def test_readers_get_cached_pages_and_a_503_while_the_database_is_down(
    site, postgres_back
):
    assert site.get(ARTICLE).status_code == 200
    assert site.get(SEARCH).status_code == 200
    every_thread_is_connected(site)

    postgres_back.stop()

    article, search, *uncached = site.get_all([ARTICLE, SEARCH, *UNCACHED], 15)
    assert article.status_code == 200
    assert search.status_code == 200  # its count is lost, not the page
    for response in uncached:
        assert_unavailable(response)
    health = site.get("/healthz", timeout=15)
    assert health.status_code == 503
    assert health.json() == {
        "status": "error",
        "database": "unavailable",
        "cache": "ok",
    }

    postgres_back.start()

    # At once: no request fails on a connection kept from before the outage.
    every_thread_is_connected(site)
    assert site.get("/healthz").json()["status"] == "ok"


def test_a_frozen_database_costs_a_503_within_seconds_never_the_whole_site(
    site, postgres_back
):
    assert site.get(ARTICLE).status_code == 200
    assert site.get(SEARCH).status_code == 200
    every_thread_is_connected(site)

    postgres_back.freeze()

    # More readers than threads, all at once; none waits long.
    paths = [ARTICLE, SEARCH, "/healthz", *UNCACHED] + [
        f"/en/publications/?frozen={n}" for n in range(12)
    ]
    article, search, health, *uncached = site.get_all(paths, timeout=15)
    assert article.status_code == 200
    assert search.status_code == 200
    assert health.status_code == 503
    assert health.json()["database"] == "unavailable"
    for response in uncached:
        assert_unavailable(response)
    # Readers of cached pages are served at once, however many wait.
    assert {r.status_code for r in site.get_all([ARTICLE] * 20, 5)} == {200}

    postgres_back.thaw()

    assert recovers(site)
    assert site.get("/healthz").json()["status"] == "ok"
