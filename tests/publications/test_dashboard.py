"""The admin's index is an editor's dashboard: my drafts, what waits for
review, what is scheduled, what went out, what lacks its PDF and what would
fail the checks before publishing."""

import datetime
import re

import pytest
from django.urls import reverse
from django.utils import timezone

from ..factories import PublicationFactory, UserFactory, editor, publisher, ready
from ..helpers import change_url

pytestmark = pytest.mark.django_db

INDEX = reverse("admin:index")


def section(html: str, key: str) -> str:
    found = re.search(
        rf'<section class="module dashboard-section" id="dashboard-{key}".*?</section>',
        html,
        re.S,
    )
    assert found, key
    return found.group(0)


def test_an_editor_sees_what_needs_them_today(client):
    user = editor()
    now = timezone.now()
    mine = PublicationFactory(draft=True, title="My draft", updated_by=user)
    PublicationFactory(draft=True, title="Someone else's draft")
    ready(in_review=True, title="Awaiting review")
    PublicationFactory(in_review=True, title="Reviewed without author")
    ready(title="Soon", publish_at=now + datetime.timedelta(days=3))
    ready(title="Later", publish_at=now + datetime.timedelta(days=20))
    PublicationFactory(title="Out without PDF")
    client.force_login(user)

    html = client.get(INDEX).content.decode()

    drafts = section(html, "drafts")
    assert f'href="{change_url(mine)}"' in drafts
    assert "Someone else" not in drafts
    assert "Awaiting review" in section(html, "review")
    assert "In review</h2>" in section(html, "review")  # not theirs to review
    scheduled = section(html, "scheduled")
    assert "Soon" in scheduled and "Later" not in scheduled
    assert "Out without PDF" in section(html, "no-pdf")
    failing = section(html, "failing")
    assert "Reviewed without author" in failing
    assert "Awaiting review" not in failing
    assert "Recent activity of every editor" in html


def test_a_publisher_is_told_what_waits_for_their_review(client):
    ready(in_review=True, title="Awaiting review")
    client.force_login(publisher())

    html = client.get(INDEX).content.decode()

    assert "Waiting for my review</h2>" in html
    assert "Awaiting review" in section(html, "review")


def test_staff_without_content_permissions_see_no_dashboard(client):
    client.force_login(UserFactory(is_staff=True))

    html = client.get(INDEX).content.decode()

    assert 'id="dashboard"' not in html


def test_the_dashboard_costs_the_same_queries_for_3_or_30_publications(
    client, django_assert_max_num_queries
):
    user = editor()
    client.force_login(user)
    for _ in range(3):
        PublicationFactory(in_review=True, updated_by=user)
    client.get(INDEX)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as few:
        client.get(INDEX)
    for _ in range(27):
        PublicationFactory(in_review=True, updated_by=user)
    with CaptureQueriesContext(connection) as many:
        client.get(INDEX)

    assert len(many) == len(few)
    assert len(few) <= 25


def test_the_change_form_previews_the_page_in_both_languages(client):
    publication = PublicationFactory(draft=True, slug="gas-grids")
    client.force_login(editor())

    html = client.get(change_url(publication)).content.decode()

    for language in ("en", "fr"):
        url = f"/{language}/publications/gas-grids/"
        assert f'href="{url}"' in html
        preview = client.get(url)
        assert preview.status_code == 200
        assert "no-store" in preview["Cache-Control"]
    assert "Preview in English" in html and "Preview in French" in html
