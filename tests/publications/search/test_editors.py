"""The admin's search box finds what editors type, through the search index:
the beginnings of words, accents aside, in titles, authors and topics,
drafts included."""

import pytest

from ...factories import AuthorFactory, PublicationFactory, editor
from ...helpers import CHANGELIST_URL

pytestmark = pytest.mark.django_db


@pytest.fixture
def publications(commit):
    with commit():
        return {
            "security": PublicationFactory(title="European security after 2025"),
            "draft": PublicationFactory(title="Sécurité énergétique", draft=True),
            "lefevre": PublicationFactory(
                title="Gas grids",
                authors=[AuthorFactory(given_name="Élodie", family_name="Lefèvre")],
            ),
            "sahel": PublicationFactory(title="Mali", tags=["Sahel"]),
            "other": PublicationFactory(title="Nuclear deterrence"),
        }


def listed(client, query) -> set[str]:
    response = client.get(CHANGELIST_URL, {"q": query})
    assert response.status_code == 200
    return {p.title for p in response.context["cl"].result_list}


@pytest.mark.parametrize(
    "query,expected",
    [
        ("secu", {"European security after 2025", "Sécurité énergétique"}),
        ("lefev", {"Gas grids"}),
        ("LEFÈVRE", {"Gas grids"}),
        ("sahel", {"Mali"}),
        ('"nuclear deterrence"', {"Nuclear deterrence"}),
        ("security 2025", {"European security after 2025"}),
    ],
)
def test_editors_find_publications_by_the_start_of_any_word(
    client, publications, query, expected
):
    client.force_login(editor())

    assert listed(client, query) == expected


@pytest.mark.parametrize(
    "query,lists_all",
    [("", True), ("   ", True), ("*", True), ('"', True), ("%00<script>", False)],
)
def test_nothing_searchable_lists_everything_and_hostile_text_finds_nothing(
    client, publications, query, lists_all
):
    client.force_login(editor())

    found = listed(client, query)

    assert found == ({p.title for p in publications.values()} if lists_all else set())


def test_a_search_runs_a_fixed_number_of_queries(
    client, publications, django_assert_max_num_queries
):
    client.force_login(editor())
    client.get(CHANGELIST_URL, {"q": "secu"})

    with django_assert_max_num_queries(16):
        client.get(CHANGELIST_URL, {"q": "secu"})
