"""Autocomplete of titles, authors, centers and topics, on both databases."""

import pytest

from publications.search import autocomplete

from ...factories import AuthorFactory, PublicationFactory, ResearchCenterFactory
from ...helpers import AUTOCOMPLETE_URL

pytestmark = pytest.mark.django_db


def test_autocomplete_proposes_titles_authors_centers_and_topics(client, commit):
    with commit():
        ResearchCenterFactory(
            name="Energy Center", name_en="Energy Center", slug="energy-center"
        )
        author = AuthorFactory(given_name="Enzo", family_name="Energico", slug="enzo")
        PublicationFactory(
            title="Energy routes",
            slug="energy-routes",
            authors=[author],
            tags=["Energy"],
        )

    response = client.get(AUTOCOMPLETE_URL, {"q": "ener"})

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "max-age" in response["Cache-Control"]
    items = response.json()["results"]
    assert [(i["type"], i["label"], i["url"]) for i in items] == [
        ("publication", "Energy routes", "/en/publications/energy-routes/"),
        ("author", "Enzo Energico", "/en/authors/enzo/"),
        ("center", "Energy Center", "/en/centers/energy-center/"),
        ("tag", "Energy", "/en/publications/?tag=energy"),
    ]
    assert {i["type_label"] for i in items} == {
        "Publication",
        "Researcher",
        "Research center",
        "Topic",
    }


def test_autocomplete_matches_words_as_typed(commit):
    with commit():
        PublicationFactory(title="The nuclear question in Asia")
        PublicationFactory(title="Unclear futures")
        AuthorFactory(given_name="Élodie", family_name="Lefèvre-Martin")

    assert [i["label"] for i in autocomplete("Élo")] == ["Élodie Lefèvre-Martin"]
    assert [i["label"] for i in autocomplete("lefèvre")] == ["Élodie Lefèvre-Martin"]
    assert [i["label"] for i in autocomplete("mart")] == ["Élodie Lefèvre-Martin"]

    assert [i["label"] for i in autocomplete("nucl")] == [
        "The nuclear question in Asia"
    ]
    assert [i["label"] for i in autocomplete("nuclear asi")] == [
        "The nuclear question in Asia"
    ]
    assert autocomplete("n") == []
    assert autocomplete("") == []


def test_autocomplete_never_proposes_unpublished_work(commit):
    with commit():
        PublicationFactory(title="Zorglub plan", draft=True, tags=["Zorglub affair"])
        PublicationFactory(title="Zorglub schedule", scheduled=True)
        AuthorFactory(given_name="Zorglub", family_name="Inactive", is_active=False)

    assert autocomplete("zorglub") == []


def test_autocomplete_shares_the_limit_between_kinds(commit):
    with commit():
        for number in range(10):
            PublicationFactory(title=f"Energy paper {number}")
        AuthorFactory(given_name="Enrico", family_name="Energy")

    items = autocomplete("energy", limit=8)

    assert len(items) == 8
    assert [i["type"] for i in items].count("author") == 1
    assert [i["type"] for i in items][0] == "publication"


def test_autocomplete_runs_a_fixed_number_of_queries(
    client, commit, django_assert_max_num_queries
):
    with commit():
        for number in range(10):
            PublicationFactory(
                title=f"Energy {number}",
                authors=[AuthorFactory(family_name=f"Energeia{number}")],
                tags=[f"Energy {number}"],
            )

    with django_assert_max_num_queries(4):
        response = client.get(AUTOCOMPLETE_URL, {"q": "energ"})
    assert len(response.json()["results"]) == 8
