"""Citation exports, read back with the parsers reference managers rely on."""

import datetime
import json
import re

import bibtexparser
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware, SeparateCoAuthors
from django.db import connection
from django.urls import reverse

from publications.citations import csl_json
from publications.exports import bibtex, citation_key
from publications.models import Authorship, Publication, Role
from publications.search.facet_index import current_index

from ..factories import (
    AuthorFactory,
    PublicationFactory,
    PublicationTypeFactory,
    journal_article_type,
)
from ..helpers import REACHED_HOST

pytestmark = pytest.mark.django_db

CONTENT_TYPES = {
    "bib": "application/x-bibtex; charset=utf-8",
    "ris": "application/x-research-info-systems; charset=utf-8",
    "json": "application/vnd.citationstyles.csl+json; charset=utf-8",
}

# Every kind of character an editor may type, in every field that carries text.
HOSTILE_TITLE = 'Gas & {grids}: 100% of $5, a_b #1 ~x^2 back\\slash "quoted" it\'s'
HOSTILE_SUBTITLE = "中国 العربية Москва — «énergie»"
HOSTILE_PEOPLE = [
    ("Élodie", "Lefèvre"),
    ("Seán", "O'Neill"),
    ("伟", "王"),
    ("Иван", "Петров"),
    ("Anna_Maria", "Smith & Sons {Jr} 50%"),
]
HOSTILE_JOURNAL = "Politique étrangère & Défense #3 {special}"


def unlatex(value: str) -> str:
    """Undo exactly the escaping the BibTeX export applies."""
    commands = {
        "textbackslash": "\\",
        "textbraceleft": "{",
        "textbraceright": "}",
        "textasciitilde": "~",
        "textasciicircum": "^",
    }
    return re.sub(
        r"\\(textbackslash|textbraceleft|textbraceright|textasciitilde"
        r"|textasciicircum)\{\}|\\([{}%$&_#])",
        lambda m: commands[m.group(1)] if m.group(1) else m.group(2),
        value,
    )


def type_cited_as(citation_type):
    return PublicationTypeFactory(
        slug=f"type-{citation_type}",
        name=citation_type,
        name_en=citation_type,
        plural_name=citation_type,
        plural_name_en=citation_type,
        citation_type=citation_type,
    )


def hostile_article(**kwargs):
    return PublicationFactory(
        title=HOSTILE_TITLE,
        subtitle=HOSTILE_SUBTITLE,
        slug="hostile",
        type=journal_article_type(),
        publication_date=datetime.date(2024, 3, 5),
        authors=[
            AuthorFactory(given_name=given, family_name=family)
            for given, family in HOSTILE_PEOPLE
        ],
        tags=["Energy & climate", "Sahel"],
        publisher=HOSTILE_JOURNAL,
        volume="12",
        issue="3",
        pages="45–67",
        doi="10.1234/jss_2024.12",
        **kwargs,
    )


def cite_url(publication, fmt):
    return reverse(
        "publications:cite", kwargs={"slug": publication.slug, "format": fmt}
    )


def parse_bibtex(text: str, *middlewares) -> bibtexparser.Library:
    library = bibtexparser.parse_string(text, append_middleware=list(middlewares))
    assert library.failed_blocks == []
    return library


@pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
def test_publication_export_is_an_attachment_with_its_content_type(client, fmt):
    publication = hostile_article()

    response = client.get(cite_url(publication, fmt))

    assert response.status_code == 200
    assert response["Content-Type"] == CONTENT_TYPES[fmt]
    assert response["Content-Disposition"] == f'attachment; filename="hostile.{fmt}"'
    assert cite_url(publication, fmt) == f"/en/publications/hostile/cite.{fmt}"


def test_bibtex_keeps_every_character(client):
    publication = hostile_article()

    text = client.get(cite_url(publication, "bib")).content.decode()

    (entry,) = parse_bibtex(text).entries
    assert entry.entry_type == "article"
    assert entry.key == "lefevre2024gas"
    assert unlatex(entry["title"]) == f"{HOSTILE_TITLE}: {HOSTILE_SUBTITLE}"
    assert unlatex(entry["journal"]) == HOSTILE_JOURNAL
    assert entry["author"] == (
        "Lefèvre, Élodie and O'Neill, Seán and 王, 伟 and Петров, Иван and "
        r"Smith \& Sons \{Jr\} 50\%, Anna\_Maria"
    )
    assert entry["volume"] == "12"
    assert entry["number"] == "3"
    assert entry["pages"] == "45--67"
    assert entry["year"] == "2024"
    assert entry["month"] == "mar"  # the month macro
    assert "\tmonth = mar,\n" in text
    assert entry["doi"] == "10.1234/jss_2024.12"  # verbatim field
    assert entry["url"] == "http://testserver/en/publications/hostile/"
    assert unlatex(entry["keywords"]) == "Energy & climate, Sahel"
    assert entry["langid"] == "english"


def test_bibtex_decodes_with_a_latex_decoder():
    item = {
        "id": "x",
        "type": "report",
        "title": "Gas & {grids}: 100% of $5, a_b #1 — «Élodie» 中国",
        "issued": {"date-parts": [[2024, 3, 5]]},
        "author": [{"family": "O'Neill", "given": "Seán"}],
        "publisher": "Test Institute",
    }
    (entry,) = parse_bibtex(bibtex([item]), LatexDecodingMiddleware()).entries

    assert entry.entry_type == "techreport"
    assert entry["title"] == item["title"]
    assert entry["author"] == "O'Neill, Seán"


def test_bibtex_with_unpaired_braces_stays_parseable():
    item = {
        "id": "x",
        "type": "book",
        "title": "Left { only } } and \\{",
        "issued": {"date-parts": [[2024]]},
    }

    text = bibtex([item])

    (entry,) = parse_bibtex(text).entries
    assert unlatex(entry["title"]) == item["title"]
    body = text.split("title = ", 1)[1].split("\n", 1)[0]
    assert body.count("{") == body.count("}")  # BibTeX counts escaped braces too


def test_bibtex_keeps_a_name_containing_and_as_one_person():
    item = {
        "id": "x",
        "type": "report",
        "title": "Arms",
        "issued": {"date-parts": [[2024]]},
        "author": [
            {"family": "Smith and Wesson", "given": "Ann"},
            {"family": "Doe", "given": "Jo"},
        ],
    }

    (entry,) = parse_bibtex(bibtex([item]), SeparateCoAuthors()).entries

    assert entry["author"] == ["{Smith and Wesson}, Ann", "Doe, Jo"]


def test_ris_keeps_every_character(client):
    publication = hostile_article()

    text = client.get(cite_url(publication, "ris")).content.decode()

    assert text.startswith("TY  - JOUR\n")  # no "1." line before the record
    (record,) = rispy.loads(text)
    assert record["type_of_reference"] == "JOUR"
    assert record["title"] == f"{HOSTILE_TITLE}: {HOSTILE_SUBTITLE}"
    assert record["authors"] == [
        f"{family}, {given}" for given, family in HOSTILE_PEOPLE
    ]
    assert record["secondary_title"] == HOSTILE_JOURNAL
    assert record["volume"] == "12"
    assert record["number"] == "3"
    assert record["start_page"] == "45"
    assert record["end_page"] == "67"
    assert record["year"] == "2024"
    assert record["date"] == "2024/03/05"
    assert record["doi"] == "10.1234/jss_2024.12"
    assert record["urls"] == ["http://testserver/en/publications/hostile/"]
    assert record["keywords"] == ["Energy & climate", "Sahel"]
    assert record["language"] == "en"


def test_csl_json_is_the_csl_json_item(client):
    publication = hostile_article()

    response = client.get(cite_url(publication, "json"))

    items = json.loads(response.content)
    loaded = Publication.objects.for_detail().get(pk=publication.pk)
    assert items == [csl_json(loaded, "http://testserver")]
    assert items[0]["title"] == f"{HOSTILE_TITLE}: {HOSTILE_SUBTITLE}"
    assert "中国" in response.content.decode()  # UTF-8, not \u escapes


@pytest.mark.parametrize(
    "citation_type,bibtex_type,ris_type",
    [
        ("report", "techreport", "RPRT"),
        ("article-journal", "article", "JOUR"),
        ("article-newspaper", "article", "NEWS"),
        ("book", "book", "BOOK"),
        ("chapter", "incollection", "CHAP"),
        ("interview", "misc", "GEN"),
    ],
)
def test_entry_types_follow_the_citation_type(
    client, citation_type, bibtex_type, ris_type
):
    publication = PublicationFactory(type=type_cited_as(citation_type))

    bib = client.get(cite_url(publication, "bib")).content.decode()
    ris = client.get(cite_url(publication, "ris")).content.decode()

    assert parse_bibtex(bib).entries[0].entry_type == bibtex_type
    assert rispy.loads(ris)[0]["type_of_reference"] == ris_type


@pytest.mark.parametrize(
    "url",
    [
        "/en/publications/gas-grids/cite.{fmt}",
        "/en/publications/export.{fmt}",
        "/en/publications/search/export.{fmt}?q=grids",
    ],
)
def test_exports_link_to_the_site_s_address(client, commit, site_base, url):
    with commit():
        PublicationFactory(slug="gas-grids", title="Gas grids")
    page = f"{site_base}/en/publications/gas-grids/"

    def export(fmt):
        response = client.get(url.format(fmt=fmt), HTTP_HOST=REACHED_HOST)
        assert response.status_code == 200
        return response.content.decode()

    assert parse_bibtex(export("bib")).entries[0]["url"] == page
    assert rispy.loads(export("ris"))[0]["urls"] == [page]
    assert json.loads(export("json"))[0]["URL"] == page


def test_report_is_published_by_the_institute(client, settings):
    settings.CITATION_PUBLISHER = "Institut français des relations internationales"
    publication = PublicationFactory(type=type_cited_as("report"))

    bib = client.get(cite_url(publication, "bib")).content.decode()
    ris = client.get(cite_url(publication, "ris")).content.decode()

    entry = parse_bibtex(bib).entries[0]
    assert entry["institution"] == "Institut français des relations internationales"
    assert entry["address"] == "Paris"
    assert entry["type"] == "report"
    assert rispy.loads(ris)[0]["publisher"] == (
        "Institut français des relations internationales"
    )


def test_editors_and_translators_are_exported_in_their_roles(client):
    publication = PublicationFactory(
        type=type_cited_as("book"),
        authors=[AuthorFactory(given_name="Élodie", family_name="Lefèvre")],
    )
    for order, (role, family) in enumerate(
        [(Role.EDITOR, "Curie"), (Role.TRANSLATOR, "Müller")], start=1
    ):
        Authorship.objects.create(
            publication=publication,
            author=AuthorFactory(given_name="Ann", family_name=family),
            role=role,
            order=order,
        )

    entry = parse_bibtex(
        client.get(cite_url(publication, "bib")).content.decode()
    ).entries[0]
    record = rispy.loads(client.get(cite_url(publication, "ris")).content.decode())[0]

    assert entry["author"] == "Lefèvre, Élodie"
    assert entry["editor"] == "Curie, Ann"
    assert entry["translator"] == "Müller, Ann"
    assert record["authors"] == ["Lefèvre, Élodie"]
    assert record["secondary_authors"] == ["Curie, Ann"]
    assert record["subsidiary_authors"] == ["Müller, Ann"]


def test_citation_keys_are_ascii_and_fall_back_for_other_scripts():
    def item(family, title):
        return {
            "id": "zhongguo-nengyuan",
            "title": title,
            "issued": {"date-parts": [[2024, 3, 5]]},
            "author": [{"family": family, "given": "X"}],
        }

    assert citation_key(item("Lefèvre", "L'Europe de l'énergie")) == (
        "lefevre2024europe"
    )
    assert citation_key(item("O'Neill", "The Sahel")) == "oneill2024sahel"
    assert citation_key(item("王", "Énergie en Chine")) == "2024energie"
    assert citation_key(item("王", "中国能源")) == "2024zhongguo"


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled"])
@pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
def test_unpublished_work_is_404_on_every_export(client, state, fmt):
    publication = PublicationFactory(slug="secret", **{state: True})

    assert client.get(cite_url(publication, fmt)).status_code == 404


@pytest.mark.parametrize("fmt", ["bib", "ris", "json"])
def test_unpublished_work_never_appears_in_multi_exports(client, commit, fmt):
    with commit():  # search indexes them then, on PostgreSQL
        PublicationFactory(title="Visible energy")
        PublicationFactory(title="Draft energy", draft=True)
        PublicationFactory(title="Scheduled energy", scheduled=True)

    for url in (
        reverse("publications:export", kwargs={"format": fmt}),
        reverse("publications:search-export", kwargs={"format": fmt}) + "?q=energy",
    ):
        text = client.get(url).content.decode()
        assert "Visible energy" in text
        assert "Draft" not in text and "Scheduled" not in text


@pytest.mark.parametrize(
    "url",
    [
        "/en/publications/visible/cite.xml",
        "/en/publications/visible/cite.BIB",
        "/en/publications/visible/cite.",
        "/en/publications/export.pdf",
        "/en/publications/search/export.txt?q=energy",
    ],
)
def test_unknown_export_format_is_404(client, url):
    PublicationFactory(slug="visible")

    assert client.get(url).status_code == 404


def test_list_export_uses_the_list_filters(client):
    briefings = type_cited_as("article-newspaper")
    PublicationFactory(title="A briefing", type=briefings)
    PublicationFactory(title="A report")

    response = client.get(
        reverse("publications:export", kwargs={"format": "json"}),
        {"type": briefings.slug, "page": "3"},
    )

    assert [item["title"] for item in json.loads(response.content)] == ["A briefing"]
    assert response["Content-Disposition"] == (
        'attachment; filename="publications.json"'
    )


def test_list_export_ignores_invalid_filters_like_the_list(client):
    PublicationFactory(title="A report")

    response = client.get("/en/publications/export.json", {"year": "soon"})

    assert [item["title"] for item in json.loads(response.content)] == ["A report"]


def test_search_export_holds_the_search_results(client, commit):
    with commit():  # search indexes them then, on PostgreSQL
        author = AuthorFactory(family_name="Lefèvre")
        PublicationFactory(title="Nuclear deterrence", authors=[author])
        PublicationFactory(title="Water in the Sahel")

    found = client.get("/en/publications/search/export.json", {"q": "lefèvre"})
    nothing = client.get("/en/publications/search/export.json")

    assert [item["title"] for item in json.loads(found.content)] == [
        "Nuclear deterrence"
    ]
    assert json.loads(nothing.content) == []


def test_multi_exports_have_unique_keys_and_respect_the_limit(client, settings):
    settings.CITATION_EXPORT_LIMIT = 3
    author = AuthorFactory(given_name="Élodie", family_name="Lefèvre")
    for day in range(1, 6):
        PublicationFactory(
            title="Energy security",
            authors=[author],
            publication_date=datetime.date(2024, 3, day),
        )

    bib = client.get("/en/publications/export.bib").content.decode()
    ris = client.get("/en/publications/export.ris").content.decode()

    keys = [entry.key for entry in parse_bibtex(bib).entries]
    assert keys == ["lefevre2024energy", "lefevre2024energy-2", "lefevre2024energy-3"]
    assert len(rispy.loads(ris)) == 3
    assert "1." not in ris.splitlines()


def test_exports_run_a_fixed_number_of_queries(
    client, commit, django_assert_num_queries, clear_content_type_cache
):
    with commit():  # search indexes them then, on PostgreSQL
        for _ in range(10):
            PublicationFactory(
                title="Energy",
                authors=AuthorFactory.create_batch(3),
                tags=["Energy", "Europe", "Sahel"],
            )
    publication = Publication.objects.first()
    # On PostgreSQL a search also sets a planner option in its own
    # transaction: here a savepoint, the option and the release.
    search_extra = 3 if connection.vendor == "postgresql" else 0
    entries = {
        "bib": lambda text: len(parse_bibtex(text).entries),
        "ris": lambda text: len(rispy.loads(text)),
        "json": lambda text: len(json.loads(text)),
    }

    current_index()  # built by the first search after a change (test_search)

    for fmt in ("bib", "ris", "json"):
        # Publications with type and center, their authorships with authors,
        # their tags.
        with django_assert_num_queries(3):
            assert client.get(cite_url(publication, fmt)).status_code == 200
        with django_assert_num_queries(3):
            client.get(f"/en/publications/export.{fmt}")
        # The matches, then the publications as above.
        with django_assert_num_queries(1 + 3 + search_extra):
            client.get(f"/en/publications/search/export.{fmt}", {"q": "energy"})
        with django_assert_num_queries(4):  # and the type the filter names
            response = client.get(f"/en/publications/export.{fmt}", {"type": "reports"})
        assert entries[fmt](response.content.decode()) == 10


def test_list_and_search_pages_link_to_exports_of_their_results(client, commit):
    with commit():  # search indexes it then, on PostgreSQL
        PublicationFactory(title="Energy & gas")

    listing = client.get("/en/publications/", {"lang": "en", "page": "2"})
    search = client.get("/en/search/", {"q": "energy & gas", "page": "1"})

    assert 'href="/en/publications/export.bib?lang=en"' in listing.content.decode()
    assert 'href="/en/publications/export.ris?lang=en"' in listing.content.decode()
    assert (
        'href="/en/publications/search/export.json?q=energy+%26+gas"'
        in search.content.decode()
    )


def test_article_page_links_to_its_exports(client):
    publication = PublicationFactory(slug="gas-grids")

    html = client.get(publication.get_absolute_url()).content.decode()

    for fmt in ("bib", "ris", "json"):
        assert f'href="/en/publications/gas-grids/cite.{fmt}"' in html
