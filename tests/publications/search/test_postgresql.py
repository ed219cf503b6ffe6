"""PostgreSQL full text search: accents, stemming, weights, phrases and
prefixes, highlighted snippets, "did you mean", autocomplete and its
indexes."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publications.models import SearchTerm
from publications.search import autocomplete, search

from ...factories import AuthorFactory, PublicationFactory
from ...helpers import POSTGRES_ONLY, pdf_saying, titles

pytestmark = POSTGRES_ONLY


def test_accents_do_not_matter(commit):
    with commit():
        author = AuthorFactory(given_name="Élodie", family_name="Lefèvre")
        PublicationFactory(
            title="La sécurité maritime dans le golfe de Guinée",
            language="fr",
            authors=[author],
        )
        PublicationFactory(title="Water in the Sahel")

    expected = ["La sécurité maritime dans le golfe de Guinée"]
    assert titles("securite") == expected
    assert titles("SÉCURITÉ") == expected
    assert titles("Lefevre") == expected
    assert titles("elodie lefevre") == expected
    assert titles("guinee") == expected


def test_words_are_stemmed_in_the_publications_language(commit):
    with commit():
        PublicationFactory(title="Sanctions and their discontents")
        PublicationFactory(title="Les énergies renouvelables", language="fr")

    assert titles("sanction") == ["Sanctions and their discontents"]
    assert titles("discontent") == ["Sanctions and their discontents"]
    assert titles("énergie renouvelable") == ["Les énergies renouvelables"]


def test_stop_words_of_each_language_are_dropped(commit):
    with commit():
        PublicationFactory(title="La sécurité de l'Europe", language="fr")
        PublicationFactory(title="The security of Europe")

    assert titles("la sécurité") == ["La sécurité de l'Europe"]
    assert titles("the security of europe") == ["The security of Europe"]


def test_a_quoted_phrase_needs_its_words_together(commit):
    with commit():
        PublicationFactory(title="Nuclear deterrence after the Cold War")
        PublicationFactory(
            title="Deterrence theory", teaser="Nuclear weapons and their critics."
        )

    assert titles('"nuclear deterrence"') == ["Nuclear deterrence after the Cold War"]
    assert set(titles("nuclear deterrence")) == {
        "Nuclear deterrence after the Cold War",
        "Deterrence theory",
    }


def test_longer_phrases_need_every_word_in_its_place(commit):
    with commit():
        PublicationFactory(
            title="Europe after the Cold War era",
            body="<p>The end of an era of deterrence.</p>",
        )
        # Both word pairs, but not together.
        PublicationFactory(
            title="Cold war memories", body="<p>A war era that never ended.</p>"
        )
        PublicationFactory(
            title="Defence", body="<p>La politique de défense de la France.</p>"
        )

    assert titles('"cold war era"') == ["Europe after the Cold War era"]
    assert set(titles('"the cold war"')) == {
        "Europe after the Cold War era",
        "Cold war memories",
    }
    # A stop word inside: the word positions decide.
    assert titles('"politique de défense"') == ["Defence"]
    assert titles('"politique défense"') == []


def test_phrases_are_matched_through_word_pairs(commit):
    with commit():
        PublicationFactory(title="Nuclear deterrence")

    with CaptureQueriesContext(connection) as queries:
        assert titles('"nuclear deterrence"') == ["Nuclear deterrence"]
    search_sql = [
        q["sql"] for q in queries if "publications_searchdocument" in q["sql"]
    ]
    assert search_sql and "search_pair_query" in search_sql[0]
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_pair_query(to_tsquery('english_unaccent', %s))::text",
            ["nuclear <-> deterrence"],
        )
        assert cursor.fetchone()[0] == "' nuclear deterr'"


def test_a_term_looks_each_distinct_lexeme_up_once(commit):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT search_any(to_tsquery('english_unaccent', 'énerg:*'), "
            "to_tsquery('french_unaccent', 'énerg:*'), "
            "to_tsquery('simple_unaccent', 'énerg:*'))::text, "
            "search_any(to_tsquery('english_unaccent', 'security'), "
            "to_tsquery('french_unaccent', 'security'))::text"
        )
        assert cursor.fetchone() == ("'energ':*", "'secur' | 'security'")


def test_prefixes_find_words_as_they_are_typed(commit):
    with commit():
        PublicationFactory(title="Security in the Baltic")
        PublicationFactory(title="Secularism and the state")

    # "securi" is no prefix of the stem "secur": the unstemmed title words are.
    assert titles("securi*") == ["Security in the Baltic"]
    assert titles("secur*") == ["Security in the Baltic"]
    assert set(titles("sec*")) == {"Security in the Baltic", "Secularism and the state"}
    assert titles("bal* secu*") == ["Security in the Baltic"]


def test_a_phrase_only_in_the_pdf_is_found_in_english_and_in_french(commit):
    with commit():
        PublicationFactory(
            title="Critical minerals", pdf=pdf_saying("Cobalt refining in Katanga")
        )
        PublicationFactory(
            title="Minerais critiques",
            language="fr",
            pdf=pdf_saying("Les raffineries de cobalt du Katanga"),
        )

    assert titles('"cobalt refining"') == ["Critical minerals"]
    assert titles('"raffineries de cobalt"') == ["Minerais critiques"]
    assert titles('"raffinerie du cobalt"') == ["Minerais critiques"]
    assert titles('"cobalt raffineries"') == []


def test_results_are_ranked_title_first_then_summary_then_full_text(commit):
    with commit():
        PublicationFactory(
            title="Body mention",
            body="<p>A long discussion of hydrogen corridors.</p>",
            publication_date="2024-02-01",
        )
        PublicationFactory(
            title="PDF mention",
            pdf=pdf_saying("Hydrogen corridors"),
            publication_date="2024-03-01",
        )
        PublicationFactory(
            title="Summary mention",
            teaser="What hydrogen changes.",
            publication_date="2020-01-01",
        )
        PublicationFactory(title="Hydrogen corridors", publication_date="2019-01-01")
        PublicationFactory(
            title="Topic mention", tags=["Hydrogen"], publication_date="2018-01-01"
        )

    ranked = titles("hydrogen")

    assert ranked[0] == "Hydrogen corridors"
    assert set(ranked[1:3]) == {"Summary mention", "Topic mention"}
    # Then matches in the body, then in the PDF alone, though it is newer.
    assert ranked[3:] == ["Body mention", "PDF mention"]
    assert titles("hydrogen", sort="date") == [
        "PDF mention",
        "Body mention",
        "Summary mention",
        "Hydrogen corridors",
        "Topic mention",
    ]


def test_pages_follow_the_relevance_order_across_its_groups(commit):
    with commit():
        for year in (2020, 2021, 2022):
            PublicationFactory(
                title=f"Hydrogen {year}", publication_date=f"{year}-01-01"
            )
            PublicationFactory(
                title=f"Summary {year}",
                teaser="Hydrogen.",
                publication_date=f"{year}-01-01",
            )
            PublicationFactory(
                title=f"Body {year}",
                body="<p>Hydrogen.</p>",
                publication_date=f"{year}-01-01",
            )
            PublicationFactory(
                title=f"PDF {year}",
                pdf=pdf_saying("Hydrogen"),
                publication_date=f"{year}-01-01",
            )
    expected = [
        f"{kind} {year}"
        for kind in ("Hydrogen", "Summary", "Body", "PDF")
        for year in (2022, 2021, 2020)
    ]

    results = search("hydrogen")
    pages = [[p.title for p in results.page(start, start + 2)] for start in (0, 2, 4)]
    assert pages == [expected[0:2], expected[2:4], expected[4:6]]
    assert [p.title for p in search("hydrogen").page(0, 12)] == expected
    assert [p.title for p in search("hydrogen").page(7, 12)] == expected[7:]
    with CaptureQueriesContext(connection) as queries:
        first = search("hydrogen")
        assert [p.title for p in first.page(0, 3)] == expected[:3]
    # The matches with the title matches, then the page's rows and their
    # authorships: no other group was needed.
    assert len(queries) == 3
    with CaptureQueriesContext(connection) as queries:
        by_date = search("hydrogen", sort="date")
        assert by_date.total == 12
        by_date.ids()
    assert len(queries) == 1  # no relevance group asked for


def test_snippets_highlight_matches_and_escape_everything_else(client, commit):
    with commit():
        PublicationFactory(
            title="Gas",
            teaser="Pipelines & <em>markets</em>",
            body=(
                "<h2>Intro</h2><p>The <strong>gas</strong> market &amp; its "
                "&lt;script&gt;alert(1)&lt;/script&gt; prices.</p>"
            ),
        )

    response = client.get("/en/search/", {"q": "gas market"})
    html = response.content.decode()
    snippet = re.search(r'class="search-result__snippet"[^>]*>(.*?)</p>', html)[1]

    assert "<mark>gas</mark>" in snippet
    assert "<mark>market</mark>" in snippet
    assert "<script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in snippet
    assert "Pipelines &amp; <mark>markets</mark>" in snippet


def test_did_you_mean_proposes_known_words_for_misspellings(client, commit):
    with commit():
        author = AuthorFactory(given_name="Élodie", family_name="Lefèvre")
        PublicationFactory(title="Nuclear deterrence", authors=[author])

    assert search("nucleer deterence", {}).suggestion == "nuclear deterrence"
    # Two letters swapped: few trigrams left in common, one slip away.
    assert search("nuclaer", {}).suggestion == "nuclear"
    assert search("nuclaer deterrecne", {}).suggestion == "nuclear deterrence"
    assert search('"nucleer deterence"', {}).suggestion == '"nuclear deterrence"'
    assert search("lefebvre", {}).suggestion == "lefèvre"
    assert search("nuclear", {}).suggestion is None
    response = client.get("/en/search/", {"q": "nucleer", "tag": "x"})
    assert response.context["suggestion"] == "nuclear"
    assert 'href="/en/search/?q=nuclear"' in response.content.decode()


def test_did_you_mean_never_proposes_words_of_unpublished_work(commit):
    with commit():
        PublicationFactory(title="Operation Zorglub", draft=True)
        PublicationFactory(title="Operation Zorglab", scheduled=True)
        PublicationFactory(title="Operation Barkhane")

    assert SearchTerm.objects.filter(word="zorglub").exists()
    assert search("zorglob", {}).suggestion is None
    assert search("barkane", {}).suggestion == "barkhane"


def test_facets_never_count_unpublished_work(commit):
    with commit():
        PublicationFactory(title="Energy visible", tags=["Gas"])
        PublicationFactory(title="Energy draft", draft=True, tags=["Secret"])
        PublicationFactory(title="Energy scheduled", scheduled=True, tags=["Secret"])

    facets = search("energy", {}).facets

    assert [(v.label, v.count) for v in facets["tag"]] == [("Gas", 1)]
    assert sum(v.count for v in facets["lang"]) == 1


def test_autocomplete_ignores_accents(commit):
    with commit():
        author = AuthorFactory(given_name="Élodie", family_name="Lefèvre")
        PublicationFactory(
            title="Sécurité énergétique", language="fr", authors=[author]
        )

    assert [i["label"] for i in autocomplete("lefe")] == ["Élodie Lefèvre"]
    assert [i["label"] for i in autocomplete("elod")] == ["Élodie Lefèvre"]
    assert [i["label"] for i in autocomplete("securite energ")] == [
        "Sécurité énergétique"
    ]


@pytest.mark.parametrize(
    ("column", "index"),
    [
        ("vector", "search_document_gin"),
        ("head_vector", "search_document_head_gin"),
        ("title_vector", "search_document_title_gin"),
        ("body_vector", "search_document_body_gin"),
    ],
)
def test_matching_can_use_the_gin_indexes(commit, column, index):
    with commit():
        PublicationFactory(title="Energy")

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT publication_id FROM publications_searchdocument "  # noqa: S608
            f"WHERE {column} @@ to_tsquery('english_unaccent'::regconfig, 'energy')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert index in plan


def test_title_autocomplete_can_use_its_index(commit):
    with commit():
        PublicationFactory(title="Energy")

    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute(
            "EXPLAIN SELECT id FROM publications_publication WHERE "
            "to_tsvector('simple_unaccent'::regconfig, title) "
            "@@ to_tsquery('simple_unaccent'::regconfig, 'ener:*')"
        )
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "pub_title_words_gin" in plan


def test_author_autocomplete_uses_its_trigram_index(commit):
    with commit():
        PublicationFactory(authors=[AuthorFactory(family_name="Lefèvre")])

    with CaptureQueriesContext(connection) as queries:
        autocomplete("lefe")
    author_sql = next(q["sql"] for q in queries if "authors_author" in q["sql"])
    with connection.cursor() as cursor:
        # One author: make the planner show whether the index can serve.
        cursor.execute("SET LOCAL enable_seqscan = off")
        cursor.execute("SET LOCAL enable_indexscan = off")
        cursor.execute("EXPLAIN " + author_sql)
        plan = "\n".join(row[0] for row in cursor.fetchall())

    assert "author_name_fold_trgm" in plan


def test_author_autocomplete_from_two_letters(commit):
    with commit():
        author = AuthorFactory(given_name="Øystein", family_name="Öztürk")
        PublicationFactory(authors=[author])

    assert [i["label"] for i in autocomplete("oz")] == ["Øystein Öztürk"]
    assert [i["label"] for i in autocomplete("oyst")] == ["Øystein Öztürk"]
