import pytest
from django.urls import reverse

from publications.models import RelatedLink

from ..factories import (
    AuthorFactory,
    PublicationFactory,
    RelatedLinkFactory,
    editor,
)
from ..helpers import SEARCH_PANEL_QUERIES

pytestmark = pytest.mark.django_db


def test_reader_sees_every_element_of_the_article_page(client):
    first, second = (
        AuthorFactory(given_name="Élodie", family_name="Lefèvre"),
        AuthorFactory(),
    )
    related = PublicationFactory(title="The Sahel after the coups", with_image=True)
    publication = PublicationFactory(
        with_pdf=True,
        with_image=True,
        title="Gas, grids and geopolitics",
        authors=[first, second],
        tags=["Energy", "European Union"],
        publisher="Journal of Strategic Studies",
        volume="12",
        issue="3",
        pages="45-67",
        external_url="https://journal.example.org/article",
    )
    RelatedLink.objects.create(publication=publication, target=related, order=0)
    RelatedLink.objects.create(
        publication=publication,
        url="https://dossiers.example.org/energy",
        title="The energy dossier",
        label="Partner dossier",
        order=1,
    )

    response = client.get(publication.get_absolute_url())

    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<h1") == 1
    assert "Gas, grids and geopolitics" in html
    assert publication.type.plural_name in html
    assert f'datetime="{publication.publication_date:%Y-%m-%d}"' in html
    assert publication.teaser in html
    assert publication.main_image.url in html
    assert "Offshore wind farm." in html
    assert "<h2>Introduction</h2>" in html
    assert reverse("publications:pdf", kwargs={"slug": publication.slug}) in html
    assert "3 pages" in html
    assert "Élodie Lefèvre" in html
    assert first.job_title in html
    assert publication.center.name in html
    assert "The Sahel after the coups" in html
    assert "https://dossiers.example.org/energy" in html
    assert "Partner dossier" in html
    assert "Journal of Strategic Studies" in html
    assert "How can this study be cited?" in html
    citations = {c.key: c.text for c in response.context["citations"]}
    assert "Lefèvre, Élodie" in citations["chicago-author-date"]
    assert "Lefèvre, É." in citations["apa"]
    for credit in (
        publication.main_image_credit,
        first.photo_credit,
        publication.center.image_credit,
        related.main_image_credit,
    ):
        assert credit in response.context["image_credits"]
        assert credit in html


def test_authors_appear_in_their_order(client):
    authors = [AuthorFactory(family_name=name) for name in ("Zed", "Adams", "Moreau")]
    publication = PublicationFactory(authors=authors)

    html = client.get(publication.get_absolute_url()).content.decode()

    positions = [html.index(name) for name in ("Zed", "Adams", "Moreau")]
    assert positions == sorted(positions)


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled"])
def test_unpublished_article_and_pdf_are_404_for_anonymous_reader(client, state):
    publication = PublicationFactory(with_pdf=True, **{state: True})

    assert client.get(publication.get_absolute_url()).status_code == 404
    assert client.get(publication.get_pdf_url()).status_code == 404


def test_editor_previews_a_draft_without_it_being_cached(client):
    publication = PublicationFactory(draft=True, with_pdf=True)
    client.force_login(editor())

    response = client.get(publication.get_absolute_url())

    assert response.status_code == 200
    assert "Preview" in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    assert client.get(publication.get_pdf_url()).status_code == 200


def test_unknown_slug_is_404(client):
    response = client.get(reverse("publications:detail", kwargs={"slug": "nope"}))

    assert response.status_code == 404
    assert "Page not found" in response.content.decode()


def test_pdf_is_served_inline_with_a_readable_name(client):
    publication = PublicationFactory(slug="gas-grids", language="fr", with_pdf=True)

    response = client.get(publication.get_pdf_url())

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("inline")
    assert 'filename="gas-grids-fr.pdf"' in response["Content-Disposition"]
    assert int(response["Content-Length"]) == publication.pdf_size
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_pdf_download_parameter_asks_for_an_attachment(client):
    publication = PublicationFactory(with_pdf=True)

    response = client.get(publication.get_pdf_url() + "?download=1")

    assert response["Content-Disposition"].startswith("attachment")


def test_hidden_related_publications_are_left_out(client):
    publication = PublicationFactory()
    RelatedLinkFactory(
        publication=publication,
        target=PublicationFactory(draft=True, title="Secret draft"),
    )
    RelatedLinkFactory(
        publication=publication,
        target=PublicationFactory(scheduled=True, title="Not yet"),
    )

    html = client.get(publication.get_absolute_url()).content.decode()

    assert "Secret draft" not in html
    assert "Not yet" not in html


@pytest.mark.parametrize("authors,related", [(1, 0), (8, 8)])
def test_article_page_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, clear_content_type_cache, authors, related
):
    publication = PublicationFactory(
        with_pdf=True,
        with_image=True,
        authors=AuthorFactory.create_batch(authors),
        tags=[f"Tag {n}" for n in range(8)],
    )
    for order in range(related):
        RelatedLinkFactory(
            publication=publication,
            target=PublicationFactory(
                authors=AuthorFactory.create_batch(3), with_image=True
            ),
            order=order,
        )

    with django_assert_max_num_queries(8 + SEARCH_PANEL_QUERIES):
        response = client.get(publication.get_absolute_url())

    assert response.status_code == 200
