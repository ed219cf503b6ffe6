"""A cache that fails is an empty cache (ifri/cache.py): readers and editors
keep working from the database, and nothing cached before the failure comes
back after it. tests/faults/ stops and freezes a real Redis."""

import errno
import socket
import tempfile

import pytest
from django.core.cache import cache

from ifri import cache as site_cache
from publications import caching

from ..factories import AuthorFactory, PublicationFactory, editor
from ..helpers import admin_form_data, change_url

pytestmark = pytest.mark.django_db


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def file_cache(location) -> dict:
    return {
        "default": {"BACKEND": "ifri.cache.FileBasedCache", "LOCATION": str(location)}
    }


@pytest.fixture(autouse=True)
def _fresh_process(monkeypatch):
    """No failure seen before the test, no pause left from another."""
    monkeypatch.setattr(site_cache, "_resume_at", 0.0)
    monkeypatch.setattr(caching, "_failures", 0)
    monkeypatch.setattr(caching, "_covered", 0)


@pytest.fixture
def redis_down(settings):
    """Redis, as the site configures it, where no server listens."""
    settings.CACHES = {
        **settings.CACHES,
        "default": {
            "BACKEND": "ifri.cache.RedisCache",
            "LOCATION": f"redis://127.0.0.1:{closed_port()}/0",
            "OPTIONS": {"SOCKET_CONNECT_TIMEOUT": 1, "SOCKET_TIMEOUT": 1},
        },
    }


def no_space_left(*args, **kwargs):
    raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def full_disk(settings, tmp_path, monkeypatch):
    """The file cache on a full disk: it reads what it has, writes nothing."""
    settings.CACHES = {**settings.CACHES, **file_cache(tmp_path / "cache")}
    monkeypatch.setattr(tempfile, "mkstemp", no_space_left)


@pytest.mark.usefixtures("redis_down")
def test_a_cache_that_is_down_finds_nothing_and_keeps_nothing():
    assert cache.get("page", "default") == "default"
    assert cache.set("page", "content") is None
    assert cache.add("page", "content") is False
    assert cache.get_many(["page"]) == {}
    assert cache.incr("counter") is None
    assert cache.delete("page") is False


def test_a_missing_counter_is_still_an_error(settings, tmp_path):
    settings.CACHES = {**settings.CACHES, **file_cache(tmp_path / "cache")}

    with pytest.raises(ValueError):
        cache.incr("no-such-counter")


def test_a_full_disk_loses_an_increment_as_a_whole(settings, tmp_path, monkeypatch):
    settings.CACHES = {**settings.CACHES, **file_cache(tmp_path / "cache")}
    cache.set(caching.VERSION_KEY, 5, timeout=None)
    monkeypatch.setattr(tempfile, "mkstemp", no_space_left)

    # The file cache's incr reads, then writes: the write's failure is the
    # increment's, never a silent success.
    assert cache.incr(caching.VERSION_KEY) is None
    monkeypatch.setattr(site_cache, "_resume_at", 0.0)  # the pause is over
    assert cache.get(caching.VERSION_KEY) == 5


@pytest.mark.parametrize("fault", ["redis_down", "full_disk"])
def test_readers_get_pages_from_the_database_while_the_cache_fails(
    client, request, fault
):
    publication = PublicationFactory(title="Grid storage", with_image=True)
    request.getfixturevalue(fault)

    for url in (publication.get_absolute_url(), "/en/publications/", "/en/search/"):
        response = client.get(url)
        assert response.status_code == 200, url
    assert "Grid storage" in client.get(publication.get_absolute_url()).text


@pytest.mark.usefixtures("redis_down")
def test_editor_saves_while_the_cache_is_down(client, commit):
    publication = PublicationFactory(title="Before", authors=[AuthorFactory()])
    client.force_login(editor())
    data = admin_form_data(client.get(change_url(publication)))
    data["title"] = "After"

    with commit():
        response = client.post(change_url(publication), data)

    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.title == "After"
    client.logout()
    assert "After" in client.get(publication.get_absolute_url()).text


@pytest.mark.usefixtures("redis_down")
def test_healthz_says_the_cache_is_down(client):
    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json()["cache"] == "unavailable"


def test_pages_cached_before_an_outage_do_not_come_back_after_it(
    client, commit, settings, tmp_path, monkeypatch, request
):
    """The cache is out of reach, then comes back with what it held (as a
    Redis cut off by the network does): a change made meanwhile is what
    readers get."""
    settings.CACHES = {**settings.CACHES, **file_cache(tmp_path / "cache")}
    publication = PublicationFactory(title="Before")
    assert "Before" in client.get(publication.get_absolute_url()).text

    request.getfixturevalue("redis_down")
    with commit():
        publication.title = "After"
        publication.save()
    assert "After" in client.get(publication.get_absolute_url()).text

    monkeypatch.setattr(site_cache, "_resume_at", 0.0)  # the pause is over
    settings.CACHES = {**settings.CACHES, **file_cache(tmp_path / "cache")}
    for _ in range(2):
        assert "After" in client.get(publication.get_absolute_url()).text


def test_a_process_that_only_read_during_the_outage_drops_the_old_pages(
    client, settings, tmp_path, monkeypatch, request
):
    """Another process saved a change and could not bump the version; this
    one, which saw the cache fail too, bumps it when it reaches it again."""
    settings.CACHES = {**settings.CACHES, **file_cache(tmp_path / "cache")}
    publication = PublicationFactory(title="Before")
    client.get(publication.get_absolute_url())

    request.getfixturevalue("redis_down")
    client.get(publication.get_absolute_url())
    # The other process's save: rows change, the version does not.
    type(publication).objects.filter(pk=publication.pk).update(title="After")

    monkeypatch.setattr(site_cache, "_resume_at", 0.0)
    settings.CACHES = {**settings.CACHES, **file_cache(tmp_path / "cache")}
    assert "After" in client.get(publication.get_absolute_url()).text
