"""The article page's metadata, read back with the parsers its readers use."""

import json
import re

import extruct
import html5lib
import pytest
from django.urls import reverse
from django.utils import timezone

from publications.citations import csl_json
from publications.metadata import json_ld, page_range

from ..factories import (
    AuthorFactory,
    PublicationFactory,
    PublicationTypeFactory,
    editor,
    journal_article_type,
)
from ..helpers import REACHED_HOST, SEARCH_PANEL_QUERIES

pytestmark = pytest.mark.django_db

SITE_URL = "https://www.institute.example"

# Everything that has broken a metadata format somewhere.
TRICKY_TITLE = (
    "L'Europe & \"l'énergie\" </script><script>alert(1)</script> 北京 — Ωμέγα"
)
TRICKY_GIVEN = "Zoë-Ángel"
TRICKY_FAMILY = 'O\'Connor & "Ben" </script> Иванова'


@pytest.fixture(autouse=True)
def _site_url(settings):
    settings.SITE_URL = SITE_URL


def head_tags(html: str) -> list[tuple[str, str]]:
    """(name or property, content) of every <meta> in the page, in order."""
    document = html5lib.parse(html, namespaceHTMLElements=False)
    return [
        (meta.get("name") or meta.get("property"), meta.get("content"))
        for meta in document.iter("meta")
        if meta.get("content") is not None
    ]


def values(tags, name):
    return [content for key, content in tags if key == name]


def structured_data(html: str) -> dict:
    return extruct.extract(
        html, base_url=SITE_URL, syntaxes=["json-ld", "opengraph"], uniform=True
    )


def test_highwire_tags_describe_a_journal_article_for_google_scholar(client):
    authors = [
        AuthorFactory(given_name="Élodie", family_name="Lefèvre"),
        AuthorFactory(given_name="Jan", family_name="Zeller"),
        AuthorFactory(given_name="Ana", family_name="Abreu"),
    ]
    publication = PublicationFactory(
        with_pdf=True,
        type=journal_article_type(),
        title="Gas, grids and geopolitics",
        subtitle="A European dilemma",
        authors=authors,
        tags=["Energy", "European Union"],
        publisher="Journal of Strategic Studies",
        volume="12",
        issue="3",
        pages="45–67",
        doi="10.1080/01402390.2024.1234567",
    )

    tags = head_tags(client.get(publication.get_absolute_url()).content.decode())

    assert values(tags, "citation_title") == [
        "Gas, grids and geopolitics: A European dilemma"
    ]
    assert values(tags, "citation_author") == [
        "Lefèvre, Élodie",
        "Zeller, Jan",
        "Abreu, Ana",
    ]
    assert values(tags, "citation_publication_date") == [
        publication.publication_date.strftime("%Y/%m/%d")
    ]
    assert values(tags, "citation_online_date") == [
        timezone.localtime(publication.publish_at).strftime("%Y/%m/%d")
    ]
    assert values(tags, "citation_journal_title") == ["Journal of Strategic Studies"]
    assert values(tags, "citation_volume") == ["12"]
    assert values(tags, "citation_issue") == ["3"]
    assert values(tags, "citation_firstpage") == ["45"]
    assert values(tags, "citation_lastpage") == ["67"]
    assert values(tags, "citation_doi") == ["10.1080/01402390.2024.1234567"]
    assert values(tags, "citation_language") == ["en"]
    assert values(tags, "citation_keywords") == ["Energy", "European Union"]
    assert values(tags, "citation_abstract_html_url") == [
        f"{SITE_URL}/en/publications/{publication.slug}/"
    ]
    assert values(tags, "citation_pdf_url") == [
        f"{SITE_URL}/en/publications/{publication.slug}/pdf/"
    ]
    assert values(tags, "DC.creator") == ["Élodie Lefèvre", "Jan Zeller", "Ana Abreu"]
    assert values(tags, "DC.identifier") == [
        "https://doi.org/10.1080/01402390.2024.1234567"
    ]


def test_report_names_the_institute_as_publisher_and_has_no_journal_tags(
    client, settings
):
    publication = PublicationFactory()

    tags = head_tags(client.get(publication.get_absolute_url()).content.decode())

    assert values(tags, "citation_publisher") == [settings.CITATION_PUBLISHER]
    assert values(tags, "DC.publisher") == [settings.CITATION_PUBLISHER]
    assert not values(tags, "citation_journal_title")
    assert not values(tags, "citation_firstpage")
    assert not values(tags, "citation_doi")


def test_json_ld_describes_the_article_its_people_and_its_pdf(client, settings):
    staff = AuthorFactory(
        given_name="Élodie", family_name="Lefèvre", job_title="Senior Fellow"
    )
    guest = AuthorFactory(
        given_name="Kenji",
        family_name="Sato",
        job_title="Professor",
        affiliation="University of Kyoto",
        orcid="0000-0002-1825-0097",
    )
    publication = PublicationFactory(
        with_pdf=True,
        with_image=True,
        type=journal_article_type(),
        title="Gas, grids and geopolitics",
        authors=[staff, guest],
        tags=["Energy", "Sahel"],
        publisher="Journal of Strategic Studies",
        volume="12",
        issue="3",
        pages="45-67",
        doi="10.1234/abcd",
    )

    html = client.get(publication.get_absolute_url()).content.decode()
    [data] = structured_data(html)["json-ld"]

    url = f"{SITE_URL}/en/publications/{publication.slug}/"
    assert data["@type"] == "ScholarlyArticle"
    assert data["url"] == url
    assert data["headline"] == "Gas, grids and geopolitics"
    assert data["description"] == publication.teaser
    assert data["datePublished"] == publication.publication_date.isoformat()
    assert data["dateModified"] == publication.updated_at.isoformat()
    assert data["inLanguage"] == "en"
    assert data["keywords"] == ["Energy", "Sahel"]
    assert [person["name"] for person in data["author"]] == [
        "Élodie Lefèvre",
        "Kenji Sato",
    ]
    first, second = data["author"]
    assert first["url"] == f"{SITE_URL}/en/authors/{staff.slug}/"
    assert first["jobTitle"] == "Senior Fellow"
    assert first["affiliation"] == {
        "@type": "Organization",
        "name": settings.CITATION_PUBLISHER,
        "url": SITE_URL,
    }
    assert second["affiliation"]["name"] == "University of Kyoto"
    assert second["sameAs"] == "https://orcid.org/0000-0002-1825-0097"
    assert data["publisher"]["name"] == settings.CITATION_PUBLISHER
    assert data["publisher"]["url"] == SITE_URL
    issue = data["isPartOf"]
    assert issue["issueNumber"] == "3"
    assert issue["isPartOf"]["volumeNumber"] == "12"
    assert issue["isPartOf"]["isPartOf"] == {
        "@type": "Periodical",
        "name": "Journal of Strategic Studies",
    }
    assert (data["pageStart"], data["pageEnd"]) == ("45", "67")
    assert data["identifier"]["value"] == "10.1234/abcd"
    assert data["image"]["url"] == f"{SITE_URL}{publication.main_image.url}"
    assert data["encoding"] == {
        "@type": "MediaObject",
        "contentUrl": f"{url}pdf/",
        "encodingFormat": "application/pdf",
        "contentSize": f"{publication.pdf_size} B",
    }


@pytest.mark.parametrize(
    "citation_type,schema_type",
    [
        ("report", "Report"),
        ("book", "Book"),
        ("article-newspaper", "OpinionNewsArticle"),
        ("article-journal", "ScholarlyArticle"),
        ("interview", "Article"),
    ],
)
def test_schema_type_follows_the_citation_type(client, citation_type, schema_type):
    kind = PublicationTypeFactory(
        slug=f"kind-{citation_type}", citation_type=citation_type
    )
    publication = PublicationFactory(type=kind)

    html = client.get(publication.get_absolute_url()).content.decode()

    assert structured_data(html)["json-ld"][0]["@type"] == schema_type


def test_open_graph_and_twitter_card_share_the_article(client):
    authors = [AuthorFactory(), AuthorFactory()]
    publication = PublicationFactory(
        title="Gas and grids", authors=authors, with_image=True
    )

    html = client.get(publication.get_absolute_url()).content.decode()
    [graph] = structured_data(html)["opengraph"]
    tags = head_tags(html)

    assert graph["@type"] == "article"  # extruct's uniform name for og:type
    assert graph["og:title"] == "Gas and grids"
    assert graph["og:description"] == publication.teaser
    assert graph["og:url"] == f"{SITE_URL}/en/publications/{publication.slug}/"
    assert graph["og:image"] == f"{SITE_URL}{publication.main_image.url}"
    assert graph["og:image:alt"] == "Wind turbines at sea"
    assert graph["og:locale"] == "en_GB"
    assert graph["article:published_time"] == publication.publication_date.isoformat()
    assert values(tags, "article:author") == [
        f"{SITE_URL}{author.get_absolute_url()}" for author in authors
    ]
    assert values(tags, "twitter:card") == ["summary_large_image"]


def test_without_pdf_or_image_no_metadata_points_to_them(client):
    publication = PublicationFactory(pdf="", main_image="")

    html = client.get(publication.get_absolute_url()).content.decode()
    tags = head_tags(html)
    [data] = structured_data(html)["json-ld"]

    assert not values(tags, "citation_pdf_url")
    assert not values(tags, "og:image")
    assert values(tags, "twitter:card") == ["summary"]
    assert "encoding" not in data
    assert "image" not in data


def test_tricky_names_and_titles_survive_every_format(client):
    author = AuthorFactory(given_name=TRICKY_GIVEN, family_name=TRICKY_FAMILY)
    publication = PublicationFactory(
        title=TRICKY_TITLE,
        teaser="Qu'en dit-on ? « Tout » & rien </script>",
        authors=[author],
        tags=["Énergie & climat", "中东"],
    )

    response = client.get(publication.get_absolute_url())
    html = response.content.decode()
    tags = head_tags(html)
    [data] = structured_data(html)["json-ld"]
    [graph] = structured_data(html)["opengraph"]

    html5lib.HTMLParser(strict=True).parse(html)
    # The "</script>" in the title closed no script element early.
    [script] = re.findall(r'<script type="application/ld\+json">(.*?)</script>', html)
    assert json.loads(script)["headline"] == TRICKY_TITLE
    assert "<script>alert(1)" not in html
    assert values(tags, "citation_title") == [TRICKY_TITLE]
    assert values(tags, "DC.title") == [TRICKY_TITLE]
    assert graph["og:title"] == TRICKY_TITLE
    assert values(tags, "citation_author") == [f"{TRICKY_FAMILY}, {TRICKY_GIVEN}"]
    assert values(tags, "DC.creator") == [f"{TRICKY_GIVEN} {TRICKY_FAMILY}"]
    assert values(tags, "citation_keywords") == ["Énergie & climat", "中东"]
    assert values(tags, "description") == [publication.teaser]
    # JSON-LD round-trips exactly what the builder made.
    item = csl_json(publication, SITE_URL)
    expected = json.loads(json.dumps(json_ld(item, publication, SITE_URL)))
    assert data == expected
    assert data["headline"] == TRICKY_TITLE
    assert data["author"][0]["familyName"] == TRICKY_FAMILY


def test_canonical_and_hreflang_name_the_page_in_its_own_language(client):
    english = PublicationFactory(slug="gas-grids", language="en")
    french = PublicationFactory(slug="gaz-reseaux", language="fr")
    english.translations.add(french)

    # The English study read with the French interface.
    html = client.get("/fr/publications/gas-grids/").content.decode()
    document = html5lib.parse(html, namespaceHTMLElements=False)
    links = [
        (link.get("rel"), link.get("hreflang"), link.get("href"))
        for link in document.iter("link")
    ]

    assert ("canonical", None, f"{SITE_URL}/en/publications/gas-grids/") in links
    assert ("alternate", "en", f"{SITE_URL}/en/publications/gas-grids/") in links
    assert ("alternate", "fr", f"{SITE_URL}/fr/publications/gaz-reseaux/") in links
    assert "testserver" not in html.split("</head>")[0]
    [graph] = structured_data(html)["opengraph"]
    assert graph["og:locale"] == "en_GB"
    assert graph["og:locale:alternate"] == "fr_FR"


def test_every_address_in_the_head_is_on_the_site_s_address(client, site_base):
    author = AuthorFactory(slug="jane-doe")
    english = PublicationFactory(
        slug="gas-grids",
        language="en",
        authors=[author],
        with_pdf=True,
        with_image=True,
    )
    english.translations.add(PublicationFactory(slug="gaz-reseaux", language="fr"))

    html = client.get(
        "/en/publications/gas-grids/", HTTP_HOST=REACHED_HOST
    ).content.decode()
    document = html5lib.parse(html, namespaceHTMLElements=False)
    links = {
        (link.get("rel"), link.get("hreflang")): link.get("href")
        for link in document.iter("link")
    }
    tags = head_tags(html)
    [data] = extruct.extract(html, base_url=site_base, syntaxes=["json-ld"])["json-ld"]

    page = f"{site_base}/en/publications/gas-grids/"
    assert links[("canonical", None)] == page
    assert links[("alternate", "en")] == page
    assert links[("alternate", "fr")] == f"{site_base}/fr/publications/gaz-reseaux/"
    assert values(tags, "og:url") == [page]
    assert values(tags, "og:image") == [f"{site_base}{english.main_image.url}"]
    assert values(tags, "article:author") == [f"{site_base}/en/authors/jane-doe/"]
    assert values(tags, "citation_abstract_html_url") == [page]
    assert values(tags, "citation_pdf_url") == [f"{page}pdf/"]
    assert data["@id"] == data["url"] == data["mainEntityOfPage"] == page
    assert data["publisher"]["url"] == site_base
    assert data["author"][0]["url"] == f"{site_base}/en/authors/jane-doe/"
    assert data["author"][0]["affiliation"]["url"] == site_base
    assert data["image"]["url"] == f"{site_base}{english.main_image.url}"
    assert data["encoding"]["contentUrl"] == f"{page}pdf/"
    head = html.split("</head>")[0]
    for other in {"testserver", "example.org", "www.institute.example"}:
        if other not in site_base:
            assert other not in head


def test_a_page_cached_at_one_address_is_not_served_at_another(client, settings):
    settings.SITE_URL = ""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "example.org"]
    PublicationFactory(slug="gas-grids")

    first = client.get("/en/publications/gas-grids/").content.decode()
    other = client.get(
        "/en/publications/gas-grids/", HTTP_HOST=REACHED_HOST
    ).content.decode()

    assert 'href="http://testserver/en/publications/gas-grids/"' in first
    canonical = '<link rel="canonical" href="http://example.org:8080/en/publications/'
    assert canonical in other
    assert "testserver" not in other


def test_hidden_translation_is_not_an_alternate(client):
    english = PublicationFactory(slug="gas-grids", language="en")
    english.translations.add(PublicationFactory(slug="brouillon", draft=True))

    response = client.get(english.get_absolute_url())
    html = response.content.decode()

    assert response.status_code == 200
    assert 'rel="alternate" hreflang="en"' in html
    assert "brouillon" not in html
    assert '<link rel="alternate" hreflang="fr"' not in html


def test_staff_preview_of_a_draft_is_not_indexed(client):
    publication = PublicationFactory(draft=True)
    client.force_login(editor())

    html = client.get(publication.get_absolute_url()).content.decode()

    assert values(head_tags(html), "robots") == ["noindex"]


@pytest.mark.parametrize(
    "pages,expected",
    [
        ("45-67", ("45", "67")),
        ("45–67", ("45", "67")),
        ("45 — 67", ("45", "67")),
        ("e1023", ("e1023", "")),
        ("", ("", "")),
    ],
)
def test_page_range_splits_on_any_dash(pages, expected):
    assert page_range({"page": pages}) == expected


def test_article_page_with_full_metadata_stays_within_its_query_budget(
    client, django_assert_max_num_queries, clear_content_type_cache
):
    publication = PublicationFactory(
        with_pdf=True,
        with_image=True,
        type=journal_article_type(),
        publisher="Journal of Strategic Studies",
        authors=AuthorFactory.create_batch(8),
        tags=[f"Tag {n}" for n in range(8)],
    )
    for _n in range(3):
        publication.translations.add(PublicationFactory(language="fr"))

    with django_assert_max_num_queries(8 + SEARCH_PANEL_QUERIES):
        response = client.get(reverse("publications:detail", args=[publication.slug]))

    assert response.status_code == 200
