import pytest

from ..factories import AuthorFactory, PublicationFactory

pytestmark = pytest.mark.django_db


def found(client, query):
    response = client.get("/en/search/", {"q": query})
    assert response.status_code == 200
    return {p.title for p in response.context["publications"]}


def test_search_finds_by_title_author_and_topic(client):
    author = AuthorFactory(family_name="Lefèvre")
    PublicationFactory(
        title="Nuclear deterrence in Europe", authors=[author], tags=["Arms control"]
    )
    PublicationFactory(title="Water in the Sahel")

    assert found(client, "deterrence") == {"Nuclear deterrence in Europe"}
    assert found(client, "Lefèvre") == {"Nuclear deterrence in Europe"}
    assert found(client, "arms control") == {"Nuclear deterrence in Europe"}
    assert found(client, "sahel water") == {"Water in the Sahel"}


def test_search_never_finds_unpublished_work(client):
    PublicationFactory(title="Secret draft", draft=True)
    PublicationFactory(title="Secret scheduled", scheduled=True)

    assert found(client, "secret") == set()


@pytest.mark.parametrize(
    "query",
    [
        '"unbalanced',
        "a & b | !c",
        "x" * 10_000,
        "nul\x00byte",
        "'; DROP TABLE x; --",
        "🌍 énergie",
        "%_%",
    ],
)
def test_hostile_queries_never_fail(client, query):
    PublicationFactory(title="Energy")

    found(client, query)


def test_empty_search_shows_the_form(client):
    response = client.get("/en/search/")

    assert response.status_code == 200
    assert '<label for="search-q">' in response.content.decode()


def test_search_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, clear_content_type_cache
):
    for _ in range(12):
        PublicationFactory(title="Energy", authors=AuthorFactory.create_batch(3))

    with django_assert_max_num_queries(4):
        client.get("/en/search/", {"q": "energy"})
