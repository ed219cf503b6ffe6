"""The site under gunicorn while its Redis is down or frozen: readers get
their pages from the database, editors keep working, /healthz says so, and
when Redis answers again with what it held, no page older than a change made
meanwhile is served."""

import time

import pytest

from .browser import EditorBrowser
from .servers import EDITOR, start_site

# One worker runs every fault test: it starts their servers once.
pytestmark = [pytest.mark.faults, pytest.mark.xdist_group("faults")]

READER_PAGES = [
    "/en/",
    "/en/publications/",
    "/en/search/?q=energy",
    "/en/authors/ada-lovelace/",
    "/en/feeds/rss/",
    "/sitemap.xml",
]


@pytest.fixture(scope="module")
def site(postgres, redis_server, prepared, tmp_path_factory):
    """The site with its cache in our own Redis, as in production."""
    site = start_site(
        postgres,
        prepared,
        tmp_path_factory.mktemp("site"),
        CACHE_URL=redis_server.url,
        CACHE_SOCKET_TIMEOUT="0.5",
    )
    try:
        yield site
    finally:
        site.stop()


@pytest.fixture
def redis_back(redis_server):
    """Whatever a test did to Redis, it answers afterwards."""
    yield redis_server
    if redis_server.running:
        redis_server.thaw()
    else:
        redis_server.start()


def every_reader_gets(site, paths, text=None):
    """More readers at once than the site has threads, all served (with
    ``text`` in their page)."""
    readers = 2 * site.workers * site.threads
    paths = (paths * readers)[: max(readers, len(paths))]
    for response in site.get_all(paths, timeout=15):
        assert response.status_code == 200, (response.url, response.status_code)
        if text is not None:
            assert text in response.text, f"{response.url} does not say {text!r}"


def cache_answers_again(site, timeout: float = 20) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if site.get("/healthz").json()["cache"] == "ok":
            return True
        time.sleep(0.2)
    return False


def outage(site, article, title, new_title):
    """While Redis cannot be reached: readers, /healthz and an editor."""
    every_reader_gets(site, [article, *READER_PAGES])
    health = site.get("/healthz", timeout=15)
    assert health.status_code == 503
    assert health.json() == {
        "status": "error",
        "database": "ok",
        "cache": "unavailable",
    }
    editor = EditorBrowser(site, *EDITOR)
    assert editor.retitle(title, new_title).status_code == 302
    every_reader_gets(site, [article], text=new_title)


def test_with_redis_down_the_site_serves_from_the_database_then_nothing_stale(
    site, redis_back
):
    article = "/en/publications/article-0/"
    every_reader_gets(site, [article], text="Energy security 0")  # now cached
    redis_back.command("SAVE")  # what it holds comes back with it
    redis_back.stop()

    outage(site, article, "Energy security 0", "Energy security, revised")

    redis_back.start()

    assert cache_answers_again(site)
    every_reader_gets(site, [article], text="Energy security, revised")


def test_a_frozen_redis_costs_a_moment_never_the_site_and_leaves_nothing_stale(
    site, redis_back
):
    article = "/en/publications/article-1/"
    every_reader_gets(site, [article], text="Energy security 1")  # now cached

    redis_back.freeze()

    outage(site, article, "Energy security 1", "Energy security, refrozen")

    redis_back.thaw()

    assert cache_answers_again(site)
    every_reader_gets(site, [article], text="Energy security, refrozen")
