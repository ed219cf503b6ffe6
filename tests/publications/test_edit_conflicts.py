"""Two editors on one publication: the second save is refused, and nothing
the second editor typed is lost."""

import pytest
from django.test import Client

from publications.conflicts_admin import FIELD

from ..factories import PublicationFactory, editor
from ..helpers import admin_form_data, change_url, form_errors

pytestmark = pytest.mark.django_db


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_the_second_save_is_refused_with_who_and_what_and_keeps_what_was_typed():
    publication = PublicationFactory(
        draft=True, title="Original title", teaser="Old teaser."
    )
    first = signed_in(editor(username="anne"))
    second = signed_in(editor(username="bruno"))
    first_data = admin_form_data(first.get(change_url(publication)))
    second_data = admin_form_data(second.get(change_url(publication)))
    first_data.update(title="Anne's title")
    assert first.post(change_url(publication), first_data).status_code == 302

    second_data.update(title="Bruno's title", teaser="Bruno's teaser.")
    response = second.post(change_url(publication), second_data)

    assert response.status_code == 200
    html = response.content.decode()
    assert "anne saved this publication" in html
    assert "Changed since you opened it" in html
    # What anne changed, shown to compare: only the title.
    assert "<ins>Anne&#x27;s</ins> title" in html
    assert "Teaser</th>" not in html
    form = response.context["adminform"].form
    assert form["title"].value() == "Bruno's title"
    assert form["teaser"].value() == "Bruno's teaser."
    publication.refresh_from_db()
    assert publication.title == "Anne's title"

    # Saving again, having seen it, replaces anne's version.
    again = admin_form_data(response)
    assert again[FIELD] != second_data[FIELD]
    response = second.post(change_url(publication), again)

    assert response.status_code == 302, form_errors(response)
    publication.refresh_from_db()
    assert publication.title == "Bruno's title"
    assert publication.teaser == "Bruno's teaser."


def test_a_save_without_anyone_else_saving_in_between_goes_through():
    publication = PublicationFactory(draft=True, title="Original title")
    client = signed_in(editor())
    for title in ("One", "Two"):
        data = admin_form_data(client.get(change_url(publication)))
        data.update(title=title)
        response = client.post(change_url(publication), data)
        assert response.status_code == 302, form_errors(response)
    publication.refresh_from_db()
    assert publication.title == "Two"


@pytest.mark.parametrize("value", ["", "yesterday", "2026-01-01T10:00:00"])
def test_a_missing_or_malformed_opening_time_is_not_a_conflict(value):
    publication = PublicationFactory(draft=True, title="Original title")
    client = signed_in(editor())
    data = admin_form_data(client.get(change_url(publication)))
    data.update(title="Changed", **{FIELD: value})

    response = client.post(change_url(publication), data)

    assert response.status_code == 302, form_errors(response)


def test_the_change_page_carries_the_time_it_was_opened_on(client):
    publication = PublicationFactory(draft=True)
    client.force_login(editor())

    html = client.get(change_url(publication)).content.decode()

    expected = publication.updated_at.isoformat()
    assert f'<input type="hidden" name="{FIELD}" value="{expected}"' in html
