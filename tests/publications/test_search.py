"""The search page, its facets and autocomplete.

These run on both databases: SQLite's simpler matching and PostgreSQL's full
text search must both hold them. What only full text search does (accents,
stemming, ranking, "did you mean") is in test_search_postgres.py.
"""

import datetime
import json
import re
from urllib.parse import parse_qsl, quote, urlsplit

import pytest
from django.db import connection
from django.http import QueryDict

import publications.search.facets as search_module
from publications.models import SearchQueryStat, SearchSuggestion
from publications.search import autocomplete, search, search_url
from publications.search.facets import FACETS
from publications.search.query import Term, parse_query
from publications.search.statistics import record_query
from publications.search.suggestions import typing_slips

from ..conftest import pdf_saying
from ..factories import (
    AuthorFactory,
    PublicationFactory,
    PublicationTypeFactory,
    ResearchCenterFactory,
)

pytestmark = pytest.mark.django_db

SEARCH_URL = "/en/search/"
AUTOCOMPLETE_URL = "/en/search/autocomplete/"

HOSTILE_QUERIES = [
    '"unbalanced',
    'two "unbalanced" "quotes',
    "a & b | !c",
    "nuclear & | ! : * ( ) <-> <2> ''",
    "(deterrence | !energy) & 'x':* & y:A",
    "x" * 10_000,
    "energy " * 2_000,
    "nul\x00byte",
    "\x00",
    "'; DROP TABLE publications_publication; --",
    "1' OR '1'='1",
    "\\",
    "%_%",
    "🌍 énergie 🔥",
    "\ud800 lone surrogate",
    "\u0301\u0301 combining marks",
    "<script>alert(1)</script>",
]


def found(client, query="", **params):
    response = client.get(SEARCH_URL, {"q": query, **params})
    assert response.status_code == 200
    return [p.title for p in response.context["publications"]]


# Finding ---------------------------------------------------------------------


def test_search_finds_by_title_author_and_topic(client, commit):
    with commit():
        author = AuthorFactory(given_name="Élodie", family_name="Lefèvre")
        PublicationFactory(
            title="Nuclear deterrence in Europe",
            authors=[author],
            tags=["Arms control"],
        )
        PublicationFactory(title="Water in the Sahel")

    assert found(client, "deterrence") == ["Nuclear deterrence in Europe"]
    assert found(client, "Lefèvre") == ["Nuclear deterrence in Europe"]
    assert found(client, "Élodie Lefèvre") == ["Nuclear deterrence in Europe"]
    assert found(client, "arms control") == ["Nuclear deterrence in Europe"]
    assert found(client, "sahel water") == ["Water in the Sahel"]
    assert found(client, "water deterrence") == []


def test_search_finds_a_phrase_only_in_the_pdf(client, commit):
    with commit():
        PublicationFactory(
            title="Critical minerals",
            teaser="Who will mine what the transition needs.",
            pdf=pdf_saying("Cobalt refining capacity in Katanga"),
        )
        PublicationFactory(
            title="Les minerais critiques",
            language="fr",
            teaser="Qui extraira ce dont la transition a besoin.",
            pdf=pdf_saying("Les raffineries de cobalt du Katanga"),
        )
        PublicationFactory(title="Refining capacity elsewhere")

    assert found(client, '"cobalt refining capacity"') == ["Critical minerals"]
    assert found(client, '"raffineries de cobalt"') == ["Les minerais critiques"]
    assert set(found(client, "katanga")) == {
        "Critical minerals",
        "Les minerais critiques",
    }


def test_search_finds_french_publications_by_french_words(client, commit):
    with commit():
        PublicationFactory(
            title="La sécurité énergétique de l'Europe",
            language="fr",
            teaser="Comment l'Europe garde la lumière allumée.",
            tags=["Énergie"],
        )
        PublicationFactory(title="Water security in Europe")

    assert found(client, "sécurité") == ["La sécurité énergétique de l'Europe"]
    assert found(client, "lumière allumée") == ["La sécurité énergétique de l'Europe"]
    assert found(client, "énergétique") == ["La sécurité énergétique de l'Europe"]
    assert found(client, "Énergie") == ["La sécurité énergétique de l'Europe"]


def test_a_prefix_finds_the_words_it_starts(client, commit):
    with commit():
        PublicationFactory(title="Nuclear deterrence")
        PublicationFactory(title="Water in the Sahel")

    assert found(client, "nucl*") == ["Nuclear deterrence"]
    assert found(client, "deter* sahel") == []


def test_search_never_finds_unpublished_work(client, commit):
    with commit():
        PublicationFactory(title="Secret draft", draft=True)
        PublicationFactory(title="Secret in review", in_review=True)
        PublicationFactory(title="Secret scheduled", scheduled=True)
        PublicationFactory(title="Public secret")

    assert found(client, "secret") == ["Public secret"]
    assert found(client, "draft") == []
    assert found(client, "scheduled") == []


def test_results_are_newest_first_when_sorted_by_date(client, commit):
    with commit():
        for year in (2019, 2023, 2021):
            PublicationFactory(
                title=f"Energy {year}", publication_date=datetime.date(year, 1, 1)
            )

    assert found(client, "energy", sort="date") == [
        "Energy 2023",
        "Energy 2021",
        "Energy 2019",
    ]


def test_an_empty_search_shows_the_form_and_no_results(client):
    PublicationFactory(title="Energy")

    response = client.get(SEARCH_URL)

    assert response.status_code == 200
    html = response.content.decode()
    assert '<label for="search-q">' in html
    assert "js/search.js" in html
    assert list(response.context["publications"]) == []


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_never_fail(client, commit, query):
    with commit():
        PublicationFactory(title="Energy", tags=["Nuclear"])

    # Percent-encoded by hand: a lone surrogate becomes invalid UTF-8.
    q = quote(query, safe="", errors="surrogatepass")
    search_page = client.get(f"{SEARCH_URL}?q={q}&type=reports")
    completion = client.get(f"{AUTOCOMPLETE_URL}?q={q}")
    export = client.get(f"/en/publications/search/export.json?q={q}")

    # A control character, or bytes that are not UTF-8, is refused before any
    # view (ifri/middleware.py); search() itself copes with them all the same.
    status = 400 if re.search("[\x00-\x1f\ud800-\udfff]", query) else 200
    assert search_page.status_code == status
    assert completion.status_code == status
    assert export.status_code == status
    assert "<script>alert" not in search_page.content.decode()
    results = search(query, {})
    listed = results.page(0, 12)
    assert results.total == len(listed)
    assert {p.title for p in listed} <= {"Energy"}
    assert set(results.facets) == set(FACETS)


def test_queries_are_cut_into_words_phrases_and_prefixes():
    assert parse_query('Nuclear "energy security" nucl* l\'énergie') == [
        Term(("Nuclear",)),
        Term(("energy", "security"), quoted=True),
        Term(("nucl",), prefix=True),
        Term(("l", "énergie")),
    ]
    assert parse_query("& | ! : * ( ) <-> \x00 🌍") == []
    assert parse_query('"unbalanced quote') == [
        Term(("unbalanced", "quote"), quoted=True)
    ]
    assert len(parse_query("word " * 500)) == 1
    assert len(parse_query(" ".join(f"w{i}" for i in range(50)))) == 8
    # One letter is no prefix: it would start a good part of the dictionary.
    assert parse_query("a*") == [Term(("a",))]
    # A word too long to be one is dropped rather than sent to the database.
    assert parse_query("x" * 100) == []


@pytest.mark.parametrize(
    ("typed", "known", "slips"),
    [
        ("nuclear", "nuclear", 0),
        ("nuclaer", "nuclear", 1),  # two letters swapped
        ("securty", "security", 1),  # one missed
        ("deterrrence", "deterrence", 1),  # one added
        ("nucleer", "nuclear", 1),  # one wrong
        ("nuclaer deterrecne", "nuclear deterrence", 2),
        ("sanctions", "nuclear", 3),  # past the limit: limit + 1
        ("a", "abcdef", 3),
    ],
)
def test_typing_slips_count_edits_up_to_a_limit(typed, known, slips):
    assert typing_slips(typed, known, 2) == slips


def test_snippets_mark_the_words_and_escape_the_rest(client, commit):
    with commit():
        PublicationFactory(
            title="Energy",
            teaser="Gas & <b>energy</b> markets, <script>alert(1)</script>.",
        )

    html = client.get(SEARCH_URL, {"q": "markets"}).content.decode()

    assert "<mark>markets</mark>" in html
    assert "<script>alert(1)</script>" not in html


# Facets ----------------------------------------------------------------------


@pytest.fixture
def faceted(commit):
    """Six energy publications spread over types, centers, authors, topics,
    years and languages, and one on water."""
    briefings = PublicationTypeFactory(
        name="Briefing",
        name_en="Briefing",
        plural_name="Briefings",
        plural_name_en="Briefings",
        slug="briefings",
    )
    africa = ResearchCenterFactory(
        name="Africa Center", name_en="Africa Center", slug="africa"
    )
    europe = ResearchCenterFactory(
        name="Europe Center", name_en="Europe Center", slug="europe"
    )
    jane = AuthorFactory(given_name="Jane", family_name="Doe", slug="jane-doe")
    with commit():
        PublicationFactory(
            title="Energy one",
            center=africa,
            authors=[jane],
            tags=["Sahel"],
            publication_date=datetime.date(2023, 5, 1),
        )
        PublicationFactory(
            title="Energy two",
            type=briefings,
            center=africa,
            tags=["Sahel", "Gas"],
            publication_date=datetime.date(2023, 6, 1),
        )
        co_centered = PublicationFactory(
            title="Energy three",
            center=europe,
            authors=[jane],
            publication_date=datetime.date(2022, 1, 1),
        )
        co_centered.additional_centers.add(africa)
        PublicationFactory(
            title="Énergie quatre",
            language="fr",
            center=europe,
            tags=["Gas"],
            teaser="Energy, in French.",
            publication_date=datetime.date(2021, 1, 1),
        )
        PublicationFactory(
            title="Energy draft", draft=True, center=africa, tags=["Sahel"]
        )
        PublicationFactory(
            title="Energy scheduled",
            scheduled=True,
            type=briefings,
            authors=[jane],
            tags=["Secret topic"],
        )
        PublicationFactory(title="Water", center=africa, tags=["Sahel"])


def counts(results, name):
    return {v.value: v.count for v in results.facets[name]}


def test_facets_count_the_visible_matches(faceted):
    results = search("energy", {})

    assert counts(results, "type") == {"reports": 3, "briefings": 1}
    assert counts(results, "center") == {"africa": 3, "europe": 2}
    assert counts(results, "author") == {"jane-doe": 2}
    assert counts(results, "tag") == {"sahel": 2, "gas": 2}
    assert counts(results, "year") == {"2023": 2, "2022": 1, "2021": 1}
    assert counts(results, "lang") == {"en": 3, "fr": 1}
    assert not any(v.selected for values in results.facets.values() for v in values)


def test_each_facet_counts_with_the_other_facets_applied(faceted):
    results = search("energy", QueryDict("center=africa&tag=sahel"))

    assert {p.title for p in results.page(0, 12)} == {"Energy two", "Energy one"}
    # Centers with the topic applied, topics with the center applied.
    assert counts(results, "center") == {"africa": 2}
    assert counts(results, "tag") == {"sahel": 2, "gas": 1}
    assert counts(results, "type") == {"reports": 1, "briefings": 1}
    assert [v.value for v in results.facets["center"] if v.selected] == ["africa"]
    assert [v.value for v in results.facets["tag"] if v.selected] == ["sahel"]


def test_facets_without_a_query_browse_every_visible_publication(client, faceted):
    titles = found(client, "", lang="fr")

    assert titles == ["Énergie quatre"]


def test_a_selected_value_stays_listed_when_nothing_matches_it(faceted):
    results = search("water", {"type": "briefings"})

    assert results.page(0, 12) == []
    assert [(v.value, v.count, v.selected) for v in results.facets["type"]] == [
        ("reports", 1, False),
        ("briefings", 0, True),
    ]


def test_long_facets_list_the_most_frequent_values_and_the_selected_one(
    commit, monkeypatch
):
    monkeypatch.setattr(search_module, "FACET_LIMIT", 2)
    with commit():
        for tags in (
            ["Alpha", "Gamma", "Beta"],
            ["Alpha", "Gamma", "Beta"],
            ["Alpha", "Delta"],
            ["Epsilon"],
        ):
            PublicationFactory(title="Energy", tags=tags)

    # Two values: the most frequent, then, of those counted twice, the
    # first by slug.
    assert counts(search("energy", {}), "tag") == {"alpha": 3, "beta": 2}
    # A selected value is listed first, with its count (a facet counts with
    # the other facets applied, not its own), then the most frequent.
    selected = search("energy", {"tag": "delta"}).facets["tag"]
    assert [(v.value, v.count, v.selected) for v in selected] == [
        ("delta", 1, True),
        ("alpha", 3, False),
    ]


def test_facet_links_add_and_remove_filters_in_a_canonical_order(client, faceted):
    response = client.get(SEARCH_URL, {"tag": "sahel", "q": "energy", "page": "1"})
    facets = {f["name"]: f for f in response.context["facets"]}

    africa = next(
        v for v in facets["center"]["values"] if v["label"] == "Africa Center"
    )
    sahel = next(v for v in facets["tag"]["values"] if v["label"] == "Sahel")

    assert africa["url"] == "/en/search/?q=energy&center=africa&tag=sahel"
    assert sahel["selected"] and sahel["url"] == "/en/search/?q=energy"
    html = response.content.decode()
    assert 'href="/en/search/?q=energy&amp;center=africa&amp;tag=sahel"' in html
    # Following a link gives the same page as the same filters in any order.
    assert found(client, **dict(parse_qsl(urlsplit(africa["url"]).query))) == found(
        client, "energy", tag="sahel", center="africa"
    )


def test_search_urls_write_parameters_in_one_order():
    url = search_url({"page": 2, "lang": "fr", "q": "gas & oil", "type": "reports"})

    assert url == "/en/search/?q=gas+%26+oil&type=reports&lang=fr&page=2"
    assert search_url({"q": "", "tag": None}) == "/en/search/"


def test_unknown_filter_values_are_ignored_with_a_notice(client, faceted):
    response = client.get(SEARCH_URL, {"q": "energy", "type": "nope", "year": "x"})

    assert len(response.context["publications"]) == 4
    assert "Some filters were ignored" in response.content.decode()


def test_search_results_paginate_and_out_of_range_pages_show_the_last(client, commit):
    with commit():
        PublicationFactory.create_batch(14, title="Energy")

    first = client.get(SEARCH_URL, {"q": "energy"})
    too_far = client.get(SEARCH_URL, {"q": "energy", "page": "99"})
    nonsense = client.get(SEARCH_URL, {"q": "energy", "page": "x"})

    assert len(first.context["publications"]) == 12
    assert 'href="?q=energy&amp;page=2"' in first.content.decode()
    assert too_far.context["page_obj"].number == 2
    assert len(too_far.context["publications"]) == 2
    assert nonsense.context["page_obj"].number == 1


def test_search_export_holds_the_filtered_results(client, faceted):
    response = client.get(
        "/en/publications/search/export.json", {"q": "energy", "center": "europe"}
    )

    titles = {item["title"] for item in json.loads(response.content)}
    assert titles == {"Energy three", "Énergie quatre"}


# Autocomplete ----------------------------------------------------------------


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


# Frequent searches and suggestions --------------------------------------------


def test_a_repeated_search_is_served_from_the_cache_and_still_counted(
    client, commit, django_assert_max_num_queries
):
    with commit():
        PublicationFactory(title="Energy security")
    first = client.get(SEARCH_URL, {"q": "energy"})

    with django_assert_max_num_queries(1):  # the count
        again = client.get(SEARCH_URL, {"q": "energy"})

    assert again.context is None
    assert again.content == first.content
    assert SearchQueryStat.objects.get().count == 2


def test_a_search_url_written_otherwise_is_rendered_each_time(client, commit):
    with commit():
        PublicationFactory(title="Energy security")
    for _ in range(2):
        response = client.get(SEARCH_URL, {"q": "energy", "utm_source": "mail"})
        assert response.context is not None
    for _ in range(2):
        response = client.get(SEARCH_URL, {"lang": "en", "q": "energy"})
        assert response.context is not None


def test_a_cached_search_follows_new_publications(client, commit):
    with commit():
        PublicationFactory(title="Energy security")
    client.get(SEARCH_URL, {"q": "energy"})
    with commit():
        PublicationFactory(title="Energy markets")

    assert sorted(found(client, "energy")) == ["Energy markets", "Energy security"]


# Query counts ----------------------------------------------------------------


def test_search_page_runs_a_fixed_number_of_queries(
    client, commit, django_assert_num_queries, clear_content_type_cache
):
    centers = ResearchCenterFactory.create_batch(3)
    with commit():
        for number in range(14):
            publication = PublicationFactory(
                title=f"Energy {number}",
                center=centers[number % 3],
                authors=AuthorFactory.create_batch(3),
                tags=[f"Topic {number}", "Energy", "Gas"],
                language="fr" if number % 2 else "en",
            )
            publication.additional_centers.add(centers[(number + 1) % 3])
    author = publication.authors.first()
    SearchSuggestion.objects.create(term="Sahel")
    record_query("nothing", "a visitor")

    # On PostgreSQL the search runs in a transaction that sets a planner
    # option: here, in the test's transaction, a savepoint, the option and the
    # savepoint's release.
    postgresql = connection.vendor == "postgresql"
    extra = 3 if postgresql else 0
    # The first search after a change builds the facet index: the visible
    # publications, their other centers, authorships and topics, the names
    # of authors, topics, types and centers, the next go-live.
    build = 9
    # The matches (on PostgreSQL, with the title matches); the page's rows,
    # their authorships; the next go-live, for how long the page may be
    # cached; the search's record (3 for a new term: an update that finds
    # no row, the table's size, the insert).
    record = 3
    with django_assert_num_queries(build + 4 + record + extra):
        response = client.get(SEARCH_URL, {"q": "energy"})
    assert len(response.context["publications"]) == 12
    # A page that reaches past the title matches (none here: "gas" is a
    # topic) also asks PostgreSQL for the summary, author and topic matches.
    with django_assert_num_queries(4 + record + extra + postgresql):
        response = client.get(SEARCH_URL, {"q": "gas"})
    assert len(response.context["publications"]) == 12
    # With filters, the objects each names (type, center, author, topic);
    # the search's record is already counted.
    with django_assert_num_queries(4 + 4 + extra):
        response = client.get(
            SEARCH_URL,
            {
                "q": "energy",
                "type": "reports",
                "center": publication.center.slug,
                "author": author.slug,
                "tag": "energy",
                "year": str(publication.publication_date.year),
                "lang": "fr",
            },
        )
    assert [p.title for p in response.context["publications"]] == ["Energy 13"]
    # Nothing found: the counts, frequent searches and suggestions, the next
    # go-live, the search's record; no page. On PostgreSQL, "did you mean" too.
    with django_assert_num_queries(4 + record + extra + postgresql):
        client.get(SEARCH_URL, {"q": "zzzzzz"})


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


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="SQLite's simpler search only"
)
def test_sqlite_search_has_no_did_you_mean(commit):
    with commit():
        PublicationFactory(title="Nuclear deterrence")

    assert search("nucleer", {}).suggestion is None
