"""Editors publishing in the admin meet the checks before publishing: the
change form refuses blockers and asks to confirm warnings, the bulk action
publishes what passes and names what does not, and the change page lists
the checks of what is saved."""

import re

import html5lib
import pytest
from django.contrib.messages import get_messages
from django.test import Client

from publications.choices import Status
from publications.models import Publication, RelatedLink
from publications.publishing_admin import (
    CONFIRM_FIELD,
    CONFIRM_WARNINGS,
    PUBLISHED_WITH_WARNINGS,
    PUBLISHING_BLOCKED,
)
from publications.readiness import MESSAGES

from ..factories import (
    AuthorFactory,
    PublicationFactory,
    RelatedLinkFactory,
    publisher,
    ready,
    tomorrow,
)
from ..helpers import (
    CHANGELIST_URL,
    add_inline_rows,
    admin_form_data,
    change_url,
    form_errors,
    snapshot,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    client.force_login(publisher())
    return client


def publish_form(client, publication, **changes) -> dict:
    """The change form as the publisher posts it with “Save and publish”."""
    data = admin_form_data(client.get(change_url(publication)))
    data.update(_workflow="publish", **changes)
    return data


def non_field_errors(response) -> list[str]:
    return form_errors(response).get("__all__", [])


# The change form ----------------------------------------------------------------


def test_editor_publishing_without_an_author_is_refused_and_nothing_is_saved(staff):
    publication = ready(draft=True, authors=[])
    before = snapshot(publication)

    response = staff.post(
        change_url(publication), publish_form(staff, publication, title="New title")
    )

    assert response.status_code == 200
    assert non_field_errors(response) == [
        str(PUBLISHING_BLOCKED),
        str(MESSAGES["no_author"]),
    ]
    assert snapshot(publication) == before


def test_editor_adding_the_author_in_the_same_save_may_publish(staff):
    publication = ready(draft=True, authors=[])
    data = publish_form(staff, publication)
    add_inline_rows(
        data,
        "authorships",
        [{"author": AuthorFactory().pk, "role": "author", "order": 0}],
    )

    response = staff.post(change_url(publication), data)

    assert response.status_code == 302, form_errors(response)
    publication.refresh_from_db()
    assert publication.status == Status.PUBLISHED


def test_editor_removing_the_only_author_of_a_published_publication_is_refused(staff):
    publication = ready()
    data = admin_form_data(staff.get(change_url(publication)))
    data["authorships-0-DELETE"] = "on"

    response = staff.post(change_url(publication), data)

    assert response.status_code == 200
    assert str(MESSAGES["no_author"]) in non_field_errors(response)
    assert publication.authorships.count() == 1


def test_related_link_added_to_a_draft_is_refused_with_its_title(staff):
    publication = ready(draft=True)
    draft = PublicationFactory(title="Work in progress", draft=True)
    data = publish_form(staff, publication)
    add_inline_rows(data, "related_links", [{"target": draft.pk, "order": 0}])

    response = staff.post(change_url(publication), data)

    assert response.status_code == 200
    [_, blocker] = non_field_errors(response)
    assert "“Work in progress”" in blocker
    assert not RelatedLink.objects.exists()


def test_scheduling_runs_the_same_checks(staff):
    publication = ready(draft=True, authors=[])
    moment = tomorrow()
    data = publish_form(
        staff,
        publication,
        publish_at_0=moment.date().isoformat(),
        publish_at_1="09:00:00",
    )

    response = staff.post(change_url(publication), data)

    assert str(MESSAGES["no_author"]) in non_field_errors(response)


def test_saving_a_draft_is_not_checked(staff):
    publication = ready(draft=True, authors=[], tags=[])
    data = admin_form_data(staff.get(change_url(publication)))
    data["title"] = "Still a draft"

    response = staff.post(change_url(publication), data)

    assert response.status_code == 302, form_errors(response)


def test_warnings_are_shown_with_a_box_to_tick_and_nothing_is_saved(staff):
    publication = ready(draft=True, tags=[])

    response = staff.post(change_url(publication), publish_form(staff, publication))

    assert response.status_code == 200
    assert non_field_errors(response) == [
        str(CONFIRM_WARNINGS),
        str(MESSAGES["no_topics"]),
    ]
    html = response.content.decode()
    assert f'name="{CONFIRM_FIELD}"' in html
    assert "Publish despite these warnings" in html
    publication.refresh_from_db()
    assert publication.status == Status.DRAFT


def test_ticking_the_box_publishes_despite_the_warnings(staff):
    publication = ready(draft=True, tags=[], with_accessible_pdf=False)
    data = publish_form(staff, publication, **{CONFIRM_FIELD: "on"})

    response = staff.post(change_url(publication), data)

    assert response.status_code == 302, form_errors(response)
    publication.refresh_from_db()
    assert publication.status == Status.PUBLISHED
    assert Client().get(publication.get_absolute_url()).status_code == 200


def test_a_publication_without_warnings_is_published_at_once(staff):
    publication = ready(draft=True)

    response = staff.post(change_url(publication), publish_form(staff, publication))

    assert response.status_code == 302, form_errors(response)
    publication.refresh_from_db()
    assert publication.status == Status.PUBLISHED


def test_warnings_confirmed_when_publishing_are_not_asked_again(staff):
    publication = ready(tags=[])  # published with this warning already
    data = admin_form_data(staff.get(change_url(publication)))
    data["title"] = "A corrected title"

    response = staff.post(change_url(publication), data)

    assert response.status_code == 302, form_errors(response)


def test_a_new_warning_on_a_published_publication_is_asked_for(staff):
    publication = ready()
    data = admin_form_data(staff.get(change_url(publication)))
    data["pdf-clear"] = "on"

    response = staff.post(change_url(publication), data)

    assert non_field_errors(response) == [
        str(CONFIRM_WARNINGS),
        str(MESSAGES["no_pdf"]),
    ]
    publication.refresh_from_db()
    assert publication.pdf


# The checklist beside the form ---------------------------------------------------


def test_change_page_lists_the_checks_of_the_saved_publication(
    staff, django_assert_max_num_queries, clear_content_type_cache
):
    publication = ready(
        draft=True,
        authors=[],
        tags=[],
        teaser="x" * 320,
        with_accessible_pdf=False,
    )
    for _ in range(3):
        RelatedLinkFactory(publication=publication, target=PublicationFactory())
    publication.translations.add(PublicationFactory(language="fr"))

    with django_assert_max_num_queries(30):
        response = staff.get(change_url(publication))

    html = response.content.decode()
    [section] = re.findall(
        r'<section class="publishing-checks.*?</section>', html, re.S
    )
    html5lib.HTMLParser(strict=True).parseFragment(section)
    assert "To fix before publishing" in section
    assert str(MESSAGES["no_author"]) in section
    assert "To check (publishing asks for confirmation)" in section
    for code in ("no_pdf", "no_topics", "teaser_too_long"):
        assert f'data-code="{code}"' in section
    assert "/static/css/admin-publishing.css" in html
    assert "style=" not in section


def test_change_page_says_so_when_every_check_passes(staff):
    response = staff.get(change_url(ready()))

    assert "Ready: every check passes." in response.content.decode()


# The bulk action ---------------------------------------------------------------


def publish_selected(client, publications):
    return client.post(
        CHANGELIST_URL,
        {"action": "publish", "_selected_action": [p.pk for p in publications]},
        follow=True,
    )


def test_bulk_publish_of_ten_with_two_blocked_publishes_eight_and_names_two(staff):
    fine = [ready(draft=True, title=f"Fine {n}") for n in range(8)]
    orphan = ready(draft=True, title="Nobody wrote this", authors=[])
    linked = ready(draft=True, title="Points to a draft")
    RelatedLinkFactory(publication=linked, target=PublicationFactory(draft=True))

    response = publish_selected(staff, [*fine, orphan, linked])

    statuses = dict(Publication.objects.values_list("title", "status"))
    assert [statuses[p.title] for p in fine] == [Status.PUBLISHED] * 8
    assert statuses["Nobody wrote this"] == statuses["Points to a draft"] == "draft"
    messages = {m.level_tag: str(m) for m in get_messages(response.wsgi_request)}
    assert messages["success"] == "8 publications were published."
    error = messages["error"]
    assert error.startswith("2 publications were left as they were:")
    assert f"<li>“Nobody wrote this”: {MESSAGES['no_author']}</li>" in error
    assert "“Points to a draft”: The related link to" in error
    assert "Fine 1" not in error


def test_bulk_publish_lists_the_warnings_of_what_it_published(staff):
    publication = ready(draft=True, title="No topics", tags=[])

    response = publish_selected(staff, [publication])

    publication.refresh_from_db()
    assert publication.status == Status.PUBLISHED
    messages = {m.level_tag: str(m) for m in get_messages(response.wsgi_request)}
    assert messages["warning"].startswith(str(PUBLISHED_WITH_WARNINGS))
    assert f"“No topics”: {MESSAGES['no_topics']}" in messages["warning"]


def test_bulk_publish_of_two_drafts_linked_to_each_other_publishes_both(staff):
    first, second = ready(draft=True), ready(draft=True)
    RelatedLinkFactory(publication=first, target=second)
    RelatedLinkFactory(publication=second, target=first)

    publish_selected(staff, [first, second])

    assert set(Publication.objects.values_list("status", flat=True)) == {
        Status.PUBLISHED
    }


def test_bulk_publish_keeps_a_link_to_a_draft_left_out_blocked(staff):
    first, second = ready(draft=True), ready(draft=True, authors=[])
    RelatedLinkFactory(publication=first, target=second)

    publish_selected(staff, [first, second])

    assert list(Publication.objects.values_list("status", flat=True)) == [
        Status.DRAFT,
        Status.DRAFT,
    ]


def test_bulk_publish_costs_the_same_queries_for_each_publication(
    staff, clear_content_type_cache
):
    """Each publication takes its step on its own, all or nothing (its row,
    its workflow step, its log entry and revision): the cost grows by the
    same number of queries for each publication selected."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def queries_to_publish(count):
        publications = [ready(draft=True) for _ in range(count)]
        for publication in publications:
            RelatedLinkFactory(publication=publication)
        with CaptureQueriesContext(connection) as queries:
            publish_selected(staff, publications)
        return len(queries)

    six, twelve = queries_to_publish(6), queries_to_publish(12)

    assert Publication.objects.filter(status=Status.PUBLISHED).count() == 36
    per_publication = (twelve - six) / 6
    assert per_publication <= 40
    # What does not depend on the count: the action, then the change list
    # it returns to.
    assert six - 6 * per_publication <= 60
