"""The page cache gives way to a change only once the change is committed,
and then in every process at once."""

import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.core.cache import cache, caches
from django.db import connections, transaction
from django.test import Client
from django.urls import reverse

from ifri.cache import FileBasedCache
from publications.caching import content_version
from publications.models import Publication, SearchQueryStat, Status

from ..factories import AuthorFactory, PublicationFactory, UserFactory

REDIS_URL = "redis://127.0.0.1:6379/0"


def redis_is_up() -> bool:
    redis = pytest.importorskip("redis")
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping()
    except redis.exceptions.ConnectionError:
        return False


# Nothing before the commit -----------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize(
    "change",
    [
        pytest.param(lambda p: p.save(), id="saving a publication"),
        pytest.param(lambda p: p.delete(), id="deleting a publication"),
        pytest.param(lambda p: p.tags.add("Arctic"), id="tagging it"),
        pytest.param(
            lambda p: AuthorFactory().centers.add(p.center), id="an author's centers"
        ),
        pytest.param(
            lambda p: Publication.objects.filter(pk=p.pk).update(title="x"),
            id="update() through the admin's actions",
        ),
    ],
)
def test_nothing_is_invalidated_before_the_commit(
    change, django_capture_on_commit_callbacks
):
    publication = PublicationFactory()
    version = content_version()

    with django_capture_on_commit_callbacks() as callbacks:
        with transaction.atomic():
            change(publication)
        assert content_version() == version

    # update() sends no signal: its callers invalidate themselves.
    if not callbacks:
        return
    for callback in callbacks:
        callback()
    assert content_version() != version


@pytest.mark.django_db
def test_an_admin_action_invalidates_once_its_changes_are_committed(
    django_capture_on_commit_callbacks,
):
    publication = PublicationFactory()
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    version = content_version()

    with django_capture_on_commit_callbacks() as callbacks:
        staff.post(
            reverse("admin:publications_publication_changelist"),
            {"action": "unpublish", "_selected_action": [publication.pk]},
        )
        assert content_version() == version

    assert callbacks
    for callback in callbacks:
        callback()
    assert content_version() != version


@pytest.mark.django_db
def test_refusing_a_search_invalidates_once_committed(
    django_capture_on_commit_callbacks,
):
    stat = SearchQueryStat.objects.create(term="arctic", count=5)
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    version = content_version()

    with django_capture_on_commit_callbacks(execute=True):
        staff.post(
            reverse("admin:publications_searchquerystat_changelist"),
            {"action": "refuse", "_selected_action": [stat.pk]},
        )
        assert content_version() == version

    assert content_version() != version


# The version is bumped atomically -----------------------------------------------


def test_concurrent_bumps_of_the_file_cache_are_all_counted(tmp_path):
    """Each thread opens the lock file on its own, as processes do."""
    shared = FileBasedCache(str(tmp_path), {})
    shared.add("counter", 0, timeout=None)

    def bump(_):
        for _ in range(25):
            FileBasedCache(str(tmp_path), {}).incr("counter")

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(bump, range(4)))

    assert shared.get("counter") == 100


def test_a_missing_counter_cannot_be_incremented(tmp_path):
    with pytest.raises(ValueError):
        FileBasedCache(str(tmp_path), {}).incr("nothing")


# Readers during an unpublish -----------------------------------------------------


@pytest.fixture(params=["file cache", "Redis"])
def shared_cache(request, settings, tmp_path):
    if request.param == "Redis":
        if not redis_is_up():
            pytest.skip(f"needs Redis at {REDIS_URL}")
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "django_redis.cache.RedisCache",
                "LOCATION": REDIS_URL,
                "KEY_PREFIX": f"test-{uuid.uuid4().hex}",
            },
        }
        yield
        caches["default"].delete_pattern("*")
    else:
        settings.CACHES = {
            **settings.CACHES,
            "default": {
                "BACKEND": "ifri.cache.FileBasedCache",
                "LOCATION": str(tmp_path / "cache"),
            },
        }
        yield


@pytest.mark.django_db(transaction=True)
def test_once_an_unpublish_returns_no_reader_ever_gets_the_publication(
    shared_cache,
):
    """Readers request the page, a list, the PDF and a search while an
    editor's transaction unpublishes the publication and takes a moment to
    commit. Every request that starts after the save returned misses it."""
    publication = PublicationFactory(title="Arctic shipping lanes")
    title = publication.title
    page = publication.get_absolute_url()
    checks = {
        page: lambda r: r.status_code == 200,
        publication.get_pdf_url(): lambda r: r.status_code == 200,
        reverse("publications:list"): lambda r: title in r.content.decode(),
        reverse("search") + "?q=arctic+shipping": lambda r: title in r.content.decode(),
    }
    stop = threading.Event()
    seen = []  # (started, url, shows the publication)
    lock = threading.Condition()

    def requests_since(moment, url) -> int:
        return sum(1 for started, u, _ in seen if u == url and started > moment)

    def reader(url):
        shows = checks[url]
        client = Client()
        try:
            while not stop.is_set():
                started = time.monotonic()
                response = client.get(url)
                assert response.status_code in (200, 404), url
                with lock:
                    seen.append((started, url, shows(response)))
                    lock.notify_all()
                response.close()
        finally:
            connections.close_all()

    # One reader a URL, so that a request waiting for the editor's lock
    # (a search counts itself) holds up no other. Bounded waits: a loaded
    # machine only makes the test slower.
    with ThreadPoolExecutor(max_workers=len(checks)) as pool:
        readers = [pool.submit(reader, url) for url in checks]
        with lock:
            lock.wait_for(lambda: all(requests_since(0, u) for u in checks), 30)
        with transaction.atomic():
            publication.status = Status.DRAFT
            publication.save()
            time.sleep(0.5)  # readers go on while the transaction is open
        returned = time.monotonic()
        with lock:
            lock.wait_for(
                lambda: all(requests_since(returned, u) >= 3 for u in checks), 30
            )
        stop.set()
        for future in readers:
            future.result()

    before = {url for started, url, shows in seen if shows and started < returned}
    after = [(url, shows) for started, url, shows in seen if started > returned]
    assert before == set(checks), "readers saw it while it was published"
    assert {url for url, _ in after} == set(checks)
    assert [url for url, shows in after if shows] == []


# Every surface, on the very next request -----------------------------------------


def surfaces(publication) -> list[str]:
    author = publication.authorships.get().author
    return [
        reverse("home"),
        reverse("publications:list"),
        reverse("authors:detail", kwargs={"slug": author.slug}),
        reverse("centers:detail", kwargs={"slug": publication.center.slug}),
        reverse("search") + "?q=arctic",
        reverse("feeds:all-rss"),
        reverse("feeds:author-atom", kwargs={"slug": author.slug}),
        reverse("feeds:center-rss", kwargs={"slug": publication.center.slug}),
        reverse("sitemap"),
    ]


def shown_on(client, urls, publication) -> list[str]:
    return [url for url in urls if publication.slug in client.get(url).content.decode()]


@pytest.fixture
def arctic(commit):
    with commit():  # on PostgreSQL, indexed for search at the commit
        arctic = PublicationFactory(
            title="Arctic shipping lanes",
            slug="arctic-lanes",
            authors=[AuthorFactory()],
        )
        # Another publication keeps the author's and center's pages alive.
        PublicationFactory(
            center=arctic.center, authors=[arctic.authorships.get().author]
        )
    return arctic


@pytest.mark.django_db
@pytest.mark.parametrize(
    "take_offline",
    [
        pytest.param(
            lambda p: setattr(p, "status", Status.DRAFT) or p.save(), id="draft"
        ),
        pytest.param(lambda p: p.delete(), id="deleted"),
    ],
)
def test_offline_work_leaves_every_cached_page_at_once(
    client, commit, arctic, take_offline
):
    urls = surfaces(arctic)
    page = arctic.get_absolute_url()
    assert shown_on(client, urls, arctic) == urls
    assert client.get(page).status_code == 200

    with commit():
        take_offline(arctic)

    assert shown_on(client, urls, arctic) == []
    assert client.get(page).status_code == 404


@pytest.mark.django_db
def test_published_work_reaches_every_cached_page_at_once(client, commit):
    with commit():
        draft = PublicationFactory(
            title="Arctic shipping lanes",
            slug="arctic-lanes",
            authors=[AuthorFactory()],
            draft=True,
        )
        PublicationFactory(
            center=draft.center, authors=[draft.authorships.get().author]
        )
    urls = surfaces(draft)
    assert shown_on(client, urls, draft) == []

    with commit():
        draft.status = Status.PUBLISHED
        draft.save()

    assert shown_on(client, urls, draft) == urls


@pytest.mark.django_db
def test_a_restored_cache_cannot_bring_back_old_citation_text(commit):
    from publications.caching import VERSION_KEY
    from publications.citations import page_citations

    base = "https://www.example.org"
    publication = PublicationFactory(title="Old title")
    version = content_version()
    page_citations(Publication.objects.for_detail().get(pk=publication.pk), base)

    with commit():
        publication.title = "New title"
        publication.save()
    cache.set(VERSION_KEY, version, timeout=None)  # as a snapshot restored

    loaded = Publication.objects.for_detail().get(pk=publication.pk)
    citations = page_citations(loaded, base)
    texts = [c.text.lower() for c in citations]
    assert texts and all("new title" in t and "old title" not in t for t in texts)
