import pytest

from ..factories import AuthorFactory, PublicationFactory
from ..helpers import SEARCH_PANEL_QUERIES

pytestmark = pytest.mark.django_db


def test_author_page_lists_only_their_visible_publications(client):
    author = AuthorFactory(
        given_name="Élodie", family_name="Lefèvre", bio="First.\n\nSecond."
    )
    PublicationFactory(title="Her report", authors=[author])
    PublicationFactory(title="Her draft", authors=[author], draft=True)
    PublicationFactory(title="Her scheduled work", authors=[author], scheduled=True)
    PublicationFactory(title="Someone else's")

    response = client.get(author.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Élodie Lefèvre" in html
    assert "<p>Second.</p>" in html
    assert "Her report" in html
    for hidden in ("Her draft", "Her scheduled work", "Someone else&#x27;s"):
        assert hidden not in html


def test_unknown_author_is_404(client):
    assert client.get("/en/authors/nobody/").status_code == 404


def test_author_list_shows_active_authors(client):
    AuthorFactory(family_name="Present")
    AuthorFactory(family_name="Gone", is_active=False)

    html = client.get("/en/authors/").content.decode()

    assert "Present" in html and "Gone" not in html


def test_author_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, clear_content_type_cache
):
    author = AuthorFactory()
    for _ in range(10):
        PublicationFactory(
            authors=[author, *AuthorFactory.create_batch(2)], with_image=True
        )

    with django_assert_max_num_queries(6 + SEARCH_PANEL_QUERIES):
        assert client.get(author.get_absolute_url()).status_code == 200
