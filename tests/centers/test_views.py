import pytest

from ..factories import AuthorFactory, PublicationFactory, ResearchCenterFactory
from ..helpers import SEARCH_PANEL_QUERIES

pytestmark = pytest.mark.django_db


def test_center_page_lists_its_visible_publications_and_researchers(client):
    center = ResearchCenterFactory(name="Africa Center", name_en="Africa Center")
    researcher = AuthorFactory(family_name="Diallo")
    researcher.centers.add(center)
    PublicationFactory(title="Main center study", center=center)
    secondary = PublicationFactory(title="Shared study")
    secondary.additional_centers.add(center)
    PublicationFactory(title="Draft study", center=center, draft=True)
    PublicationFactory(title="Scheduled study", center=center, scheduled=True)

    response = client.get(center.get_absolute_url())

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count("<h1") == 1
    assert "Africa Center" in html and "Diallo" in html
    assert "Main center study" in html and "Shared study" in html
    assert "Draft study" not in html and "Scheduled study" not in html


def test_unknown_center_is_404(client):
    assert client.get("/en/centers/atlantis/").status_code == 404


def test_center_list_shows_active_centers(client):
    ResearchCenterFactory(name="Open Center", name_en="Open Center")
    ResearchCenterFactory(
        name="Closed Center", name_en="Closed Center", is_active=False
    )

    html = client.get("/en/centers/").content.decode()

    assert "Open Center" in html and "Closed Center" not in html


def test_center_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, clear_content_type_cache
):
    center = ResearchCenterFactory()
    for _ in range(10):
        PublicationFactory(
            center=center, authors=AuthorFactory.create_batch(2), with_image=True
        )
        AuthorFactory().centers.add(center)

    with django_assert_max_num_queries(6 + SEARCH_PANEL_QUERIES):
        assert client.get(center.get_absolute_url()).status_code == 200
