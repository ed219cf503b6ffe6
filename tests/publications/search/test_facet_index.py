"""The facet index search counts and orders with: built from the visible
publications, rebuilt after a change or at a go-live, shared through the
cache, and never a way for a draft to be shown."""

import datetime

import pytest
from django.core.cache import cache
from django.utils import timezone

from publications.caching import content_version
from publications.models import Publication, Status
from publications.search import facet_index, search
from publications.search.facet_index import current_index

from ...factories import AuthorFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def titles(query, **params):
    return [p.title for p in search(query, params).page(0, 100)]


def test_holds_the_visible_publications_newest_first(commit):
    with commit():
        old = PublicationFactory(publication_date=datetime.date(2020, 1, 1))
        new = PublicationFactory(publication_date=datetime.date(2024, 1, 1))
        PublicationFactory(draft=True)
        PublicationFactory(scheduled=True)

    assert current_index().ids.tolist() == [new.pk, old.pk]


def test_an_empty_site_and_publications_without_authors_or_topics(client, commit):
    assert current_index().size == 0
    assert search("", {"type": "reports"}).total == 0
    assert client.get("/en/search/", {"q": "energy"}).status_code == 200

    with commit():
        PublicationFactory(title="Energy", tags=[])

    results = search("energy")
    assert results.total == 1
    assert results.facets["author"] == results.facets["tag"] == []


def test_is_rebuilt_after_a_change(commit):
    with commit():
        PublicationFactory(title="Energy one")
    before = current_index()
    assert len(titles("energy")) == 1

    with commit():
        PublicationFactory(title="Energy two")

    assert current_index() is not before
    assert len(titles("energy")) == 2
    assert search("energy").total == 2


def test_is_rebuilt_when_a_scheduled_publication_goes_live(commit, monkeypatch):
    with commit():
        PublicationFactory(title="Energy now")
        PublicationFactory(
            title="Energy later",
            publish_at=timezone.now() + datetime.timedelta(hours=1),
        )
    assert search("energy").total == 1
    assert current_index().expires_at is not None

    later = timezone.now() + datetime.timedelta(hours=2)
    monkeypatch.setattr(timezone, "now", lambda: later)

    assert search("energy").total == 2
    assert sorted(titles("energy")) == ["Energy later", "Energy now"]


def test_other_processes_take_it_from_the_cache(commit, django_assert_num_queries):
    with commit():
        PublicationFactory(title="Energy")
    built = current_index()
    facet_index.current.clear()  # as in another process

    with django_assert_num_queries(0):
        shared = current_index()

    assert shared.ids.tolist() == built.ids.tolist()


def test_while_another_process_builds_it_the_previous_one_serves(commit):
    with commit():
        PublicationFactory(title="Energy one")
    previous = current_index()
    with commit():
        PublicationFactory(title="Energy two")
    building = facet_index.BUILD_LOCK_KEY.format(version=content_version())
    cache.add(building, True)

    assert current_index() is previous
    facet_index.current.clear()  # a process that has none builds its own
    assert current_index().size == 2
    assert cache.get(building)  # and leaves the other's lock alone


def test_a_stale_count_never_shows_a_draft(commit):
    with commit():
        kept = PublicationFactory(title="Energy kept")
        withdrawn = PublicationFactory(title="Energy withdrawn")
    current_index()
    # A change made without signals (a script): the index is not told.
    Publication.objects.filter(pk=withdrawn.pk).update(status=Status.DRAFT)

    assert titles("energy") == [kept.title]


def test_finds_rows_by_sparse_keys_too(commit, monkeypatch):
    author = AuthorFactory(slug="jane")
    with commit():
        PublicationFactory(title="Energy one", authors=[author])
        PublicationFactory(title="Energy two")
    dense = search("energy", {"author": "jane"})
    expected = ([p.title for p in dense.page(0, 10)], dense.total, dense.facets)
    assert dense._index.row_by_pk is not None
    monkeypatch.setattr(facet_index, "DENSE_KEYS_FACTOR", 0)
    monkeypatch.setattr(facet_index, "DENSE_KEYS_MIN", 0)
    facet_index.current.clear()
    cache.clear()

    sparse = search("energy", {"author": "jane"})

    assert ([p.title for p in sparse.page(0, 10)], sparse.total, sparse.facets) == (
        expected
    )
    assert sparse._index.row_by_pk is None
    assert expected[:2] == (["Energy one"], 1)
