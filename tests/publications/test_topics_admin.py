"""Topics in the admin: suggested from the existing ones, merged when two
names mean one topic."""

import json

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse
from taggit.models import Tag

from publications.models import Publication, Status, TaggedPublication
from publications.search import search

from ..factories import PublicationFactory, UserFactory, editor, uploader
from ..helpers import admin_form_data, change_url, form_errors

pytestmark = pytest.mark.django_db

TOPICS_URL = reverse("admin:taggit_tag_changelist")
AUTOCOMPLETE_URL = reverse("admin:taggit_tag_autocomplete")


def suggestions(client, term="", **params) -> list[dict]:
    response = client.get(AUTOCOMPLETE_URL, {"term": term, **params})
    assert response.status_code == 200
    return response.json()


# Suggestions --------------------------------------------------------------


def test_suggestions_start_with_names_beginning_with_the_term_then_the_most_used(
    client,
):
    PublicationFactory(tags=["Renewable energy", "Energy"])
    PublicationFactory(tags=["Renewable energy", "Sahel"])
    Tag.objects.create(name="Nuclear energy", slug="nuclear-energy")
    client.force_login(editor())

    found = suggestions(client, "energ")

    assert found == {
        "results": [
            {"id": "Energy", "text": "Energy", "count": 1},
            {"id": "Renewable energy", "text": "Renewable energy", "count": 2},
            {"id": "Nuclear energy", "text": "Nuclear energy", "count": 0},
        ],
        "pagination": {"more": False},
    }


def test_suggestions_come_by_pages(client):
    Tag.objects.bulk_create(
        Tag(name=f"Topic {n:02}", slug=f"topic-{n:02}") for n in range(25)
    )
    client.force_login(editor())

    first, second = suggestions(client, "topic"), suggestions(client, "topic", page=2)

    assert len(first["results"]) == 20
    assert first["pagination"] == {"more": True}
    assert [r["text"] for r in second["results"]] == [
        f"Topic {n:02}" for n in range(20, 25)
    ]
    assert second["pagination"] == {"more": False}


def test_suggestions_are_refused_to_anonymous_and_non_staff_users(client):
    Tag.objects.create(name="Confidential topic", slug="confidential")

    anonymous = client.get(AUTOCOMPLETE_URL, {"term": "conf"})
    client.force_login(UserFactory(is_staff=False))
    reader = client.get(AUTOCOMPLETE_URL, {"term": "conf"})

    for response in (anonymous, reader):
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
        assert b"Confidential" not in response.content


def test_suggestions_are_refused_to_staff_without_access_to_topics(client):
    Tag.objects.create(name="Confidential topic", slug="confidential")
    client.force_login(uploader())

    response = client.get(AUTOCOMPLETE_URL, {"term": "conf"})

    assert response.status_code == 403
    assert b"Confidential" not in response.content


# The publication form --------------------------------------------------------


def test_topics_field_gives_the_script_its_topics_and_still_posts_as_text(client):
    publication = PublicationFactory(draft=True, tags=["Sahel", "Energy policy"])
    client.force_login(editor())

    response = client.get(change_url(publication))

    html = response.content.decode()
    assert 'class="vTextField topics-input"' in html
    assert f'data-topics-url="{AUTOCOMPLETE_URL}"' in html
    assert "js/admin-topics.js" in html
    widget = response.context["adminform"].form["tags"]
    assert json.loads(
        widget.field.widget.get_context("tags", widget.value(), {})["widget"]["attrs"][
            "data-topics"
        ]
    ) == ["Energy policy", "Sahel"]

    data = admin_form_data(response)
    data["tags"] = '"Energy policy", Sahel, "Nuclear power"'
    saved = client.post(change_url(publication), data)

    assert saved.status_code == 302, form_errors(saved)
    assert sorted(publication.tags.names()) == [
        "Energy policy",
        "Nuclear power",
        "Sahel",
    ]


# Merging ---------------------------------------------------------------------


@pytest.fixture
def duplicates(commit):
    """Three names of one topic over six published publications, two of
    them tagged with several of the names, and an unrelated topic."""
    with commit():
        kept = Tag.objects.create(name="Energy policy", slug="energy-policy")
        plural = Tag.objects.create(name="Energy policies", slug="energy-policies")
        french = Tag.objects.create(name="Politique énergétique", slug="politique")
        other = Tag.objects.create(name="Sahel", slug="sahel")
        tagged = [
            [kept],
            [plural],
            [french],
            [kept, plural],
            [plural, french, other],
            [other],
        ]
        publications = []
        for number, tags in enumerate(tagged):
            publication = PublicationFactory(
                title=f"Energy study {number}", status=Status.PUBLISHED
            )
            publication.tags.add(*tags)
            publications.append(publication)
    return kept, [kept, plural, french], other, publications


def test_editor_merges_three_duplicate_topics_into_the_one_chosen(
    client, commit, duplicates, django_assert_max_num_queries, clear_content_type_cache
):
    kept, names, other, publications = duplicates
    client.force_login(editor())
    selected = {
        "action": "merge_selected_topics",
        ACTION_CHECKBOX_NAME: [str(t.pk) for t in names],
    }

    confirm = client.post(TOPICS_URL, selected)

    assert confirm.status_code == 200
    assert "Choose the topic to keep" in confirm.content.decode()
    assert list(confirm.context["topics"]) == sorted(names, key=lambda t: t.name)

    # The request's session, user and permissions, the changelist's counts,
    # then the merge: the publications of the other topics, those that have
    # the kept one already, one insert, the deletion (topics, their rows
    # read once for the signals, then deleted) whatever their number.
    with commit(), django_assert_max_num_queries(20):
        response = client.post(
            TOPICS_URL, {**selected, "keep": str(kept.pk), "post": "yes"}
        )

    assert response.status_code == 302
    assert set(Tag.objects.values_list("name", flat=True)) == {"Energy policy", "Sahel"}
    for publication, expected in zip(
        publications,
        [
            ["Energy policy"],
            ["Energy policy"],
            ["Energy policy"],
            ["Energy policy"],
            ["Energy policy", "Sahel"],
            ["Sahel"],
        ],
        strict=True,
    ):
        assert sorted(publication.tags.names()) == expected
    assert TaggedPublication.objects.filter(tag=kept).count() == 5
    messages = [str(m) for m in response.wsgi_request._messages]
    assert messages == [
        "2 topics were merged into “Energy policy”. 4 publications were retagged."
    ]


def test_after_a_merge_search_finds_and_counts_the_kept_topic_only(
    client, commit, duplicates
):
    kept, names, other, publications = duplicates
    client.force_login(editor())
    assert search("énergétique", {}).total == 2

    with commit():
        client.post(
            TOPICS_URL,
            {
                "action": "merge_selected_topics",
                ACTION_CHECKBOX_NAME: [str(t.pk) for t in names],
                "keep": str(kept.pk),
                "post": "yes",
            },
        )

    results = search("", {"tag": "energy-policy"})
    assert results.total == 5
    tags = {v.value: v.count for v in results.facets["tag"]}
    # A facet counts with the other facets applied, not its own.
    assert tags == {"energy-policy": 5, "sahel": 2}
    assert search("énergétique", {}).total == 0
    assert search("", {"tag": "politique"}).total == Publication.objects.count()


def test_merge_asks_for_two_topics_at_least(client, duplicates):
    kept = duplicates[0]
    client.force_login(editor())

    response = client.post(
        TOPICS_URL,
        {"action": "merge_selected_topics", ACTION_CHECKBOX_NAME: [str(kept.pk)]},
        follow=True,
    )

    assert [str(m) for m in response.context["messages"]] == [
        "Select at least two topics to merge."
    ]
    assert Tag.objects.count() == 4
