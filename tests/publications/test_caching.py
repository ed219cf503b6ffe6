import datetime
import time

import pytest
from django.core.cache import cache
from django.utils import timezone

from publications.caching import (
    PAGE_TIMEOUT,
    VERSION_KEY,
    LocalPages,
    _seconds_until_next_go_live,
)
from publications.models import Publication, Status

from ..factories import AuthorFactory, PublicationFactory, editor

pytestmark = pytest.mark.django_db


def test_repeat_visit_of_an_article_runs_no_query(client, django_assert_num_queries):
    publication = PublicationFactory(
        authors=[AuthorFactory()], with_pdf=True, with_image=True
    )
    first = client.get(publication.get_absolute_url())

    with django_assert_num_queries(0):
        again = client.get(publication.get_absolute_url())

    assert again.status_code == 200
    assert again.content == first.content


def test_saving_a_publication_refreshes_its_page(client, commit):
    publication = PublicationFactory(title="Old title")
    client.get(publication.get_absolute_url())

    with commit():
        publication.title = "New title"
        publication.save()

    assert "New title" in client.get(publication.get_absolute_url()).content.decode()


def test_renaming_an_author_refreshes_the_article_page(client, commit):
    author = AuthorFactory(family_name="Before")
    publication = PublicationFactory(authors=[author])
    client.get(publication.get_absolute_url())

    with commit():
        author.family_name = "After"
        author.save()

    html = client.get(publication.get_absolute_url()).content.decode()
    assert "After" in html and "Before" not in html


def test_unpublishing_removes_the_cached_page(client, commit):
    publication = PublicationFactory()
    assert client.get(publication.get_absolute_url()).status_code == 200

    with commit():
        publication.status = Status.DRAFT
        publication.save()

    assert client.get(publication.get_absolute_url()).status_code == 404


def test_tagging_refreshes_the_cached_page(client, commit):
    publication = PublicationFactory()
    client.get(publication.get_absolute_url())

    with commit():
        publication.tags.add("Arctic")

    assert "Arctic" in client.get(publication.get_absolute_url()).content.decode()


def test_staff_previews_are_never_served_to_readers(client):
    publication = PublicationFactory(draft=True)
    client.force_login(editor())
    assert client.get(publication.get_absolute_url()).status_code == 200
    client.logout()

    assert client.get(publication.get_absolute_url()).status_code == 404


def test_pages_expire_when_the_next_scheduled_publication_goes_live():
    PublicationFactory(publish_at=timezone.now() + datetime.timedelta(seconds=90))

    assert 1 <= _seconds_until_next_go_live() <= 90


def test_pages_keep_the_default_lifetime_without_scheduled_work():
    PublicationFactory()

    assert _seconds_until_next_go_live() == PAGE_TIMEOUT


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


def test_memory_keeps_a_bounded_number_of_pages():
    pages = LocalPages(max_entries=2)
    for number in range(3):
        pages.set(
            f"page-{number}", (b"", "text/html", "", 0), expires_at=time.time() + 60
        )

    assert pages.get("page-0") is None
    assert pages.get("page-1") is not None and pages.get("page-2") is not None
