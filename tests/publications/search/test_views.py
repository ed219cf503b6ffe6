"""The search page on both databases: SQLite's simpler matching and
PostgreSQL's full text search must both hold these. What only full text
search does (accents, stemming, ranking, "did you mean") is in
test_postgresql.py."""

import json
import re
from urllib.parse import quote

import pytest
from django.db import connection

from publications.models import SearchQueryStat, SearchSuggestion
from publications.search import search
from publications.search.facets import FACETS
from publications.search.statistics import record_query

from ...factories import AuthorFactory, PublicationFactory, ResearchCenterFactory
from ...helpers import AUTOCOMPLETE_URL, SEARCH_URL, found, pdf_saying

pytestmark = pytest.mark.django_db


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
