"""Cached content gives way to every change readers could see: saves
commit a new content version, and scheduled work bounds every lifetime."""

import datetime

import pytest
from django.utils import timezone

from publications.caching import PAGE_TIMEOUT, seconds_until_next_go_live
from publications.models import Status

from ..factories import AuthorFactory, PublicationFactory, editor

pytestmark = pytest.mark.django_db


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

    assert 1 <= seconds_until_next_go_live() <= 90


def test_pages_keep_the_default_lifetime_without_scheduled_work():
    PublicationFactory()

    assert seconds_until_next_go_live() == PAGE_TIMEOUT
