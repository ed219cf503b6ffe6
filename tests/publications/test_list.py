import datetime

import pytest
from django.urls import reverse

from ..factories import (
    AuthorFactory,
    PublicationFactory,
    PublicationTypeFactory,
    ResearchCenterFactory,
)
from ..helpers import SEARCH_PANEL_QUERIES

pytestmark = pytest.mark.django_db

LIST_URL = "/en/publications/"


def titles(response):
    return {p.title for p in response.context["publications"]}


def test_list_shows_only_visible_publications(client):
    PublicationFactory(title="Visible one")
    PublicationFactory(title="A draft", draft=True)
    PublicationFactory(title="In review", in_review=True)
    PublicationFactory(title="Scheduled", scheduled=True)

    response = client.get(LIST_URL)

    assert response.status_code == 200
    assert titles(response) == {"Visible one"}
    html = response.content.decode()
    assert "A draft" not in html and "Scheduled" not in html


def test_list_filters_by_type_center_author_tag_year_and_language(client):
    briefings = PublicationTypeFactory(
        name="Briefing",
        name_en="Briefing",
        plural_name="Briefings",
        plural_name_en="Briefings",
        slug="briefings",
    )
    africa = ResearchCenterFactory(slug="africa")
    author = AuthorFactory(slug="jane-doe")
    PublicationFactory(title="Plain")
    PublicationFactory(title="Typed", type=briefings)
    PublicationFactory(title="Centered", center=africa)
    secondary = PublicationFactory(title="Co-centered")
    secondary.additional_centers.add(africa)
    PublicationFactory(title="Authored", authors=[author])
    PublicationFactory(title="Tagged", tags=["Sahel"])
    PublicationFactory(title="Old", publication_date=datetime.date(2019, 5, 1))
    PublicationFactory(title="French", language="fr")

    assert titles(client.get(LIST_URL, {"type": "briefings"})) == {"Typed"}
    assert titles(client.get(LIST_URL, {"center": "africa"})) == {
        "Centered",
        "Co-centered",
    }
    assert titles(client.get(LIST_URL, {"author": "jane-doe"})) == {"Authored"}
    assert titles(client.get(LIST_URL, {"tag": "sahel"})) == {"Tagged"}
    assert titles(client.get(LIST_URL, {"year": "2019"})) == {"Old"}
    assert titles(client.get(LIST_URL, {"lang": "fr"})) == {"French"}
    assert titles(client.get(LIST_URL, {"type": "briefings", "lang": "fr"})) == set()


def test_list_paginates(client):
    PublicationFactory.create_batch(15)

    first = client.get(LIST_URL)
    second = client.get(LIST_URL, {"page": "2"})

    assert len(first.context["publications"]) == 12
    assert len(second.context["publications"]) == 3
    assert 'rel="next"' in first.content.decode()


@pytest.mark.parametrize(
    "query",
    [
        {"page": "abc"},
        {"page": "-1"},
        {"page": "9" * 3000},
        {"page": "1e9"},
        {"year": "abc"},
        {"year": "9" * 3000},
        {"year": "-5"},
        {"type": "unknown"},
        {"center": "x" * 3000},
        {"author": "nobody"},
        {"tag": "<script>"},
        {"lang": "de"},
        {"type": ["a", "b"]},
    ],
)
def test_malformed_query_strings_never_fail(client, query):
    PublicationFactory(title="Still listed")

    response = client.get(LIST_URL, query)

    assert response.status_code == 200
    assert "Still listed" in titles(response)


def test_unknown_filter_value_is_reported_to_the_reader(client):
    PublicationFactory()

    response = client.get(LIST_URL, {"center": "atlantis"})

    assert "Some filters were ignored" in response.content.decode()


def test_list_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, clear_content_type_cache
):
    for _ in range(12):
        PublicationFactory(authors=AuthorFactory.create_batch(3), with_image=True)

    with django_assert_max_num_queries(6 + SEARCH_PANEL_QUERIES):
        response = client.get(LIST_URL, {"type": "reports"})

    assert len(response.context["publications"]) == 12


def test_pagination_links_keep_the_filters(client):
    PublicationFactory.create_batch(13, language="fr")

    html = client.get(LIST_URL, {"lang": "fr"}).content.decode()

    assert "?lang=fr&amp;page=2" in html


def test_home_shows_featured_latest_and_center_sections(client):
    featured = PublicationFactory(title="Featured study", is_featured=True)
    PublicationFactory(title="Latest study", center=featured.center)
    PublicationFactory(title="Hidden draft", draft=True, center=featured.center)

    response = client.get(reverse("home"))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Featured study" in html and "Latest study" in html
    assert featured.center.name in html
    assert "Hidden draft" not in html


def test_home_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, clear_content_type_cache
):
    for _ in range(3):
        center = ResearchCenterFactory()
        for _ in range(4):
            PublicationFactory(
                center=center, authors=AuthorFactory.create_batch(2), with_image=True
            )

    with django_assert_max_num_queries(8 + SEARCH_PANEL_QUERIES):
        assert client.get(reverse("home")).status_code == 200


def test_root_redirects_by_accept_language(client):
    response = client.get("/", HTTP_ACCEPT_LANGUAGE="fr-FR,fr;q=0.9")

    assert response.status_code == 302
    assert response["Location"] == "/fr/"


def test_french_pages_use_french_labels(client):
    PublicationFactory()

    html = client.get("/fr/publications/").content.decode()

    assert '<html lang="fr">' in html
    assert "Centres de recherche" in html
    assert "Filtrer" in html
    assert 'href="/en/publications/"' in html


def test_french_article_page_speaks_french(client):
    publication = PublicationFactory(with_pdf=True)

    html = client.get(f"/fr/publications/{publication.slug}/").content.decode()

    assert "Télécharger l'analyse complète" in html
    assert "Comment citer cette étude" in html
