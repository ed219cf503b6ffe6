"""Whole public pages served from the cache to anonymous readers."""

import datetime
import time

import pytest
from django.core.cache import cache, caches
from django.utils import timezone

from ifri.page_cache import LOCAL_PAGES
from publications.caching import VERSION_KEY
from publications.models import Publication

from ..factories import AuthorFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def test_repeat_visit_of_an_article_runs_no_query(client, django_assert_num_queries):
    publication = PublicationFactory(authors=[AuthorFactory()])
    first = client.get(publication.get_absolute_url())

    with django_assert_num_queries(0):
        again = client.get(publication.get_absolute_url())

    assert again.status_code == 200
    assert again.content == first.content


def test_filtered_lists_are_rendered_each_time(client):
    PublicationFactory(language="fr")
    client.get("/en/publications/")
    client.get("/en/publications/", {"lang": "fr"})

    unfiltered = client.get("/en/publications/")
    filtered = client.get("/en/publications/", {"lang": "fr"})

    assert unfiltered.context is None  # served from the cache
    assert filtered.context is not None


def test_repeat_visit_with_the_etag_gets_not_modified(client):
    publication = PublicationFactory()
    first = client.get(publication.get_absolute_url())

    again = client.get(publication.get_absolute_url(), HTTP_IF_NONE_MATCH=first["ETag"])

    assert again.status_code == 304


def test_a_change_in_another_process_reaches_this_process(client):
    """Pages kept in a process's memory give way to a version bumped by any
    process in the shared cache."""
    publication = PublicationFactory(title="Old title")
    client.get(publication.get_absolute_url())
    Publication.objects.filter(pk=publication.pk).update(title="New title")

    cache.set(VERSION_KEY, cache.get(VERSION_KEY) + 1, timeout=None)

    assert "New title" in client.get(publication.get_absolute_url()).content.decode()


def test_a_page_kept_in_memory_expires_at_the_next_go_live(client, monkeypatch):
    publication = PublicationFactory(title="Old title")
    PublicationFactory(publish_at=timezone.now() + datetime.timedelta(seconds=60))
    client.get(publication.get_absolute_url())
    Publication.objects.filter(pk=publication.pk).update(title="New title")

    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)

    assert "New title" in client.get(publication.get_absolute_url()).content.decode()


def test_memory_keeps_a_bounded_number_of_pages(settings):
    settings.CACHES = {
        **settings.CACHES,
        LOCAL_PAGES: {
            **settings.CACHES[LOCAL_PAGES],
            "OPTIONS": {"MAX_ENTRIES": 2, "CULL_FREQUENCY": 2},
        },
    }
    pages = caches[LOCAL_PAGES]
    pages.clear()
    for number in range(3):
        pages.set(f"page-{number}", (b"", "text/html", "", 0), timeout=60)

    assert pages.get("page-0") is None
    assert pages.get("page-1") is not None and pages.get("page-2") is not None
