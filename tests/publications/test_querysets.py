"""The publications' QuerySet: who sees what, and when scheduled work goes live."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from publications.models import Publication, Status

from ..factories import PublicationFactory, UserFactory, editor, uploader

pytestmark = pytest.mark.django_db


@pytest.fixture
def publications():
    return {
        "public": PublicationFactory(),
        "draft": PublicationFactory(draft=True),
        "in review": PublicationFactory(in_review=True),
        "scheduled": PublicationFactory(scheduled=True),
    }


def test_readers_see_only_public_publications(publications):
    for user in (AnonymousUser(), UserFactory(), uploader()):
        assert list(Publication.objects.visible_to(user)) == [publications["public"]]
        assert set(Publication.objects.visible_to(user)) == set(
            Publication.objects.published()
        )


def test_staff_allowed_to_preview_see_everything(publications):
    assert set(Publication.objects.visible_to(editor())) == set(publications.values())


def test_visible_to_chains_like_any_filter(publications):
    drafts = Publication.objects.visible_to(editor()).filter(status=Status.DRAFT)

    assert list(drafts) == [publications["draft"]]


def test_next_go_live_is_the_earliest_scheduled_publication():
    now = timezone.now()
    soon, later = (now + datetime.timedelta(hours=h) for h in (1, 5))
    PublicationFactory(publish_at=later)
    PublicationFactory(publish_at=soon)
    PublicationFactory(publish_at=now - datetime.timedelta(hours=1))
    PublicationFactory(publish_at=now + datetime.timedelta(minutes=5), draft=True)

    assert Publication.objects.next_go_live(now) == soon


def test_nothing_scheduled_has_no_next_go_live():
    PublicationFactory()
    PublicationFactory(scheduled=True, draft=True)

    assert Publication.objects.next_go_live() is None
