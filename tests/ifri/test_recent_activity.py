"""The admin's “Recent activity” page: the latest changes by every editor."""

import pytest
from django.contrib.admin.models import CHANGE, LogEntry
from django.urls import reverse

from ..factories import PublicationFactory, UserFactory, editor, uploader
from ..helpers import admin_form_data, change_url

pytestmark = pytest.mark.django_db

URL = reverse("admin_recent_activity")


def test_editors_see_what_every_editor_changed_last_first(
    client, django_assert_max_num_queries
):
    anne, bruno = editor(username="anne"), editor(username="bruno")
    first, second = (
        PublicationFactory(draft=True, title="First"),
        PublicationFactory(draft=True, title="Second"),
    )
    for user, publication in ((anne, first), (bruno, second)):
        client.force_login(user)
        data = admin_form_data(client.get(change_url(publication)))
        data.update(teaser="A new teaser.")
        assert client.post(change_url(publication), data).status_code == 302

    with django_assert_max_num_queries(12):
        response = client.get(URL)

    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("bruno") < html.index("anne")  # newest first
    assert f'href="{change_url(first)}"' in html
    assert "Changed Teaser" in html
    assert (
        reverse("admin_recent_activity")
        in client.get(reverse("admin:index")).content.decode()
    )


def test_the_page_shows_only_what_the_user_may_view(client):
    superuser = UserFactory(is_superuser=True, is_staff=True)
    LogEntry.objects.log_actions(
        superuser.pk,
        [superuser],
        CHANGE,
        change_message="Changed password.",
        single_object=True,
    )
    publication = PublicationFactory(title="Visible to uploaders")
    LogEntry.objects.log_actions(
        superuser.pk,
        [publication],
        CHANGE,
        change_message="Edited.",
        single_object=True,
    )
    client.force_login(uploader())

    html = client.get(URL).content.decode()

    assert "Visible to uploaders" in html
    assert "Changed password." not in html


def test_readers_are_sent_to_sign_in(client):
    response = client.get(URL)

    assert response.status_code == 302
    assert reverse("admin:login") in response["Location"]


@pytest.mark.parametrize("page", ["999", "abc", "-1"])
def test_any_page_number_gives_a_page(client, page):
    client.force_login(editor())

    assert client.get(URL, {"page": page}).status_code == 200
