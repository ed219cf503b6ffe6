"""Review and publishing: Draft → In review → Published (or Scheduled) →
Archived, step by step, by the people allowed to take each step."""

import datetime
import io

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from publications import notifications
from publications.models import Publication, Status, WorkflowEvent
from publications.workflow import WorkflowError, move

from ..factories import (
    AuthorFactory,
    PublicationTypeFactory,
    RelatedLinkFactory,
    ResearchCenterFactory,
    editor,
    publisher,
    ready,
    uploader,
)
from ..helpers import CHANGELIST_URL, admin_form_data, change_url

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def take_step(client, publication, step, commit, **changes):
    """Press the change form's button for ``step``, as the browser posts it."""
    data = admin_form_data(client.get(change_url(publication)))
    data.update(_workflow=step, **changes)
    with commit():
        response = client.post(change_url(publication), data, follow=True)
    publication.refresh_from_db()
    return response


@pytest.fixture
def reviewed_type():
    return PublicationTypeFactory(
        name="Analysis", name_en="Analysis", slug="analysis", review_required=True
    )


def test_a_draft_is_submitted_by_its_editor_and_published_by_a_publisher(
    reviewed_type, commit
):
    writer = editor(username="wendy", email="wendy@example.org")
    boss = publisher(username="paul", email="paul@example.org")
    publication = ready(draft=True, type=reviewed_type, title="Gas")
    writing, reviewing = signed_in(writer), signed_in(boss)

    page = writing.get(change_url(publication)).content.decode()
    assert 'value="submit"' in page
    assert 'value="publish"' not in page  # editors do not publish
    response = take_step(writing, publication, "submit", commit, teaser="Revised.")

    assert publication.status == Status.REVIEW
    assert publication.teaser == "Revised."  # the button saved the form too
    assert "was submitted for review" in response.content.decode()
    assert [m.to for m in mail.outbox] == [["paul@example.org"]]
    assert "waiting for your review" in mail.outbox[0].subject
    assert Client().get(publication.get_absolute_url()).status_code == 404

    response = take_step(reviewing, publication, "publish", commit)

    assert publication.status == Status.PUBLISHED
    assert "was published" in response.content.decode()
    assert Client().get(publication.get_absolute_url()).status_code == 200
    assert mail.outbox[-1].to == ["wendy@example.org"]
    events = list(
        WorkflowEvent.objects.filter(publication=publication)
        .order_by("created_at", "pk")
        .values_list("from_status", "to_status", "user__username")
    )
    assert events == [
        (Status.DRAFT, Status.REVIEW, "wendy"),
        (Status.REVIEW, Status.PUBLISHED, "paul"),
    ]
    logged = LogEntry.objects.filter(object_id=str(publication.pk))
    assert logged.filter(user=boss, change_message__contains="was published").exists()


def test_an_editor_who_forges_the_publish_button_is_refused_and_nothing_moves(
    commit,
):
    publication = ready(draft=True)
    client = signed_in(editor())

    response = take_step(client, publication, "publish", commit)

    assert publication.status == Status.DRAFT
    assert "ask a publisher" in response.content.decode()
    assert not WorkflowEvent.objects.exists()


def test_sending_back_needs_a_comment_which_reaches_the_editor(commit):
    writer = editor(email="wendy@example.org")
    publication = ready(draft=True)
    move(publication, "submit", writer)
    client = signed_in(publisher())

    refused = take_step(client, publication, "send_back", commit)
    assert publication.status == Status.REVIEW
    assert "a comment is required" in refused.content.decode()

    take_step(
        client, publication, "send_back", commit, workflow_comment="Cite sources."
    )

    assert publication.status == Status.DRAFT
    sent = mail.outbox[-1]
    assert sent.to == ["wendy@example.org"]
    assert "Cite sources." in sent.body
    assert WorkflowEvent.objects.get(transition="send_back").comment == (
        "Cite sources."
    )


def test_review_is_required_only_where_the_type_says_so(reviewed_type):
    boss = publisher()
    reviewed = ready(draft=True, type=reviewed_type)
    free = ready(draft=True)

    with pytest.raises(WorkflowError, match="submit it for review first"):
        move(reviewed, "publish", boss)
    move(free, "publish", boss)

    reviewed.refresh_from_db()
    free.refresh_from_db()
    assert reviewed.status == Status.DRAFT
    assert free.status == Status.PUBLISHED


def test_publishing_with_a_later_go_live_time_schedules_it(commit):
    publication = ready(draft=True, scheduled=True)
    client = signed_in(publisher())

    response = take_step(client, publication, "publish", commit)

    assert publication.is_scheduled
    assert "is scheduled" in response.content.decode()
    assert WorkflowEvent.objects.get().publish_at == publication.publish_at
    assert Client().get(publication.get_absolute_url()).status_code == 404


def test_unpublished_work_is_archived_then_reopened_as_a_draft(commit):
    publication = ready(with_pdf=True)

    take_step(signed_in(publisher()), publication, "unpublish", commit)

    assert publication.status == Status.ARCHIVED
    assert Client().get(publication.get_absolute_url()).status_code == 404
    assert Client().get(publication.get_pdf_url()).status_code == 404
    take_step(signed_in(editor()), publication, "reopen", commit)
    assert publication.status == Status.DRAFT


def test_the_status_is_changed_only_by_the_steps(client):
    publication = ready(draft=True)
    client.force_login(publisher())
    data = admin_form_data(client.get(change_url(publication)))
    data["status"] = Status.PUBLISHED

    client.post(change_url(publication), data)

    publication.refresh_from_db()
    assert publication.status == Status.DRAFT


def test_bulk_publish_publishes_those_it_may_and_reports_the_others(
    reviewed_type, commit
):
    fine = [ready(draft=True) for _ in range(8)]
    not_reviewed = [ready(draft=True, type=reviewed_type) for _ in range(2)]
    client = signed_in(publisher())

    with commit():
        response = client.post(
            CHANGELIST_URL,
            {
                "action": "publish",
                "_selected_action": [p.pk for p in fine + not_reviewed],
            },
            follow=True,
        )

    html = response.content.decode()
    assert Publication.objects.filter(status=Status.PUBLISHED).count() == 8
    assert "8 publications were published." in html
    assert "2 publications were left as they were" in html
    for publication in not_reviewed:
        assert publication.title in html
        publication.refresh_from_db()
        assert publication.status == Status.DRAFT
    assert WorkflowEvent.objects.count() == 8
    assert (
        LogEntry.objects.filter(change_message__contains="was published").count() == 8
    )


def test_bulk_actions_are_offered_by_role(client):
    ready(draft=True)

    client.force_login(editor())
    for_editors = client.get(CHANGELIST_URL).content.decode()
    client.force_login(publisher())
    for_publishers = client.get(CHANGELIST_URL).content.decode()
    client.force_login(uploader())
    for_uploaders = client.get(CHANGELIST_URL).content.decode()

    assert 'value="submit_for_review"' in for_editors
    assert 'value="publish"' not in for_editors
    assert 'value="publish"' in for_publishers
    assert 'value="unpublish"' in for_publishers
    assert 'value="submit_for_review"' not in for_uploaders


def test_a_mail_server_that_fails_loses_the_email_not_the_step(monkeypatch, commit):
    publisher(email="paul@example.org")
    publication = ready(draft=True)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("no mail server")

    monkeypatch.setattr(notifications, "send_mail", refuse)
    with commit():
        move(publication, "submit", editor())

    publication.refresh_from_db()
    assert publication.status == Status.REVIEW


def test_no_email_leaves_before_the_step_commits(django_capture_on_commit_callbacks):
    publisher(email="paul@example.org")
    publication = ready(draft=True)

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        move(publication, "submit", editor())

    assert mail.outbox == []
    for callback in callbacks:  # the commit
        callback()
    assert [m.to for m in mail.outbox] == [["paul@example.org"]]


def test_the_change_form_shows_the_state_and_the_last_steps(client):
    publication = ready(draft=True)
    move(publication, "submit", editor(username="wendy"))
    client.force_login(publisher())

    html = client.get(change_url(publication)).content.decode()

    assert "State: <strong>In review</strong>" in html
    assert "wendy: Draft → In review" in html
    assert 'value="send_back"' in html


def test_a_step_that_fails_half_way_leaves_the_publication_as_it_was(monkeypatch):
    publication = ready(draft=True)

    def fail(*args, **kwargs):
        raise OSError("the database went away")

    monkeypatch.setattr(WorkflowEvent, "save", fail)
    with pytest.raises(OSError):
        move(publication, "publish", publisher())

    publication.refresh_from_db()
    assert publication.status == Status.DRAFT


def test_a_scheduled_publication_that_no_longer_passes_is_held_back_before_going_live(
    commit,
):
    from django.core.management import call_command

    writer = editor(email="wendy@example.org")
    soon = timezone.now() + datetime.timedelta(minutes=5)
    failing = ready(title="Links a draft", publish_at=soon, updated_by=writer)
    RelatedLinkFactory(publication=failing, target=ready(draft=True))
    passing = ready(title="Fine", publish_at=soon)
    later = ready(title="Later", publish_at=soon + datetime.timedelta(hours=2))
    RelatedLinkFactory(publication=later, target=ready(draft=True))

    with commit():
        call_command("check_go_lives", stdout=io.StringIO())

    for publication in (failing, passing, later):
        publication.refresh_from_db()
    assert failing.status == Status.REVIEW
    assert failing.updated_by == writer
    assert passing.is_scheduled and later.is_scheduled
    event = WorkflowEvent.objects.get()
    assert event.user is None and "related" in event.comment.lower()
    assert mail.outbox[-1].to == ["wendy@example.org"]
    assert "held back" in mail.outbox[-1].subject


def test_a_new_publication_goes_for_review_from_the_add_form(commit):
    from ..helpers import admin_form_data as form_of

    author = AuthorFactory()
    client = signed_in(editor())
    add_url = reverse("admin:publications_publication_add")
    page = client.get(add_url).content.decode()
    assert 'value="submit"' in page and 'value="publish"' not in page
    data = form_of(client.get(add_url))
    data.update(
        title="Fresh",
        slug="fresh",
        type=str(PublicationTypeFactory().pk),
        center=str(ResearchCenterFactory().pk),
        language="en",
        teaser="New work.",
        publication_date="2026-11-20",
        publish_at_0="2026-11-20",
        publish_at_1="09:00:00",
        _workflow="submit",
        **{
            "authorships-TOTAL_FORMS": "1",
            "authorships-0-author": str(author.pk),
            "authorships-0-role": "author",
            "authorships-0-order": "0",
        },
    )

    with commit():
        response = client.post(add_url, data, follow=True)

    publication = Publication.objects.get(slug="fresh")
    assert publication.status == Status.REVIEW
    assert "was submitted for review" in response.content.decode()
