"""SQLite's full-text index (search/backends/sqlite.py and sqlite_index.py):
what the embedded default finds, in which order, and how the index follows
every change."""

import datetime
import io

import pytest
from django.core.management import call_command
from django.db import connection

from publications.models import Status
from publications.search import autocomplete, search
from publications.search.backends import sqlite, sqlite_index
from publications.search.query import parse_query
from publications.search.snippets import Segment, headline_segments

from ...factories import AuthorFactory, PublicationFactory
from ...helpers import SEARCH_URL, found, pdf_saying, titles

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "sqlite",
        reason="SQLite's FTS5 index only (PostgreSQL has its own: test_postgresql.py)",
    ),
]

HOSTILE_QUERIES = [
    '"',
    '""',
    '"unbalanced',
    'a "b" "c',
    "NEAR(alpha beta, 2)",
    "alpha NEAR beta",
    "alpha AND beta",
    "alpha OR",
    "OR alpha",
    "NOT alpha",
    "alpha NOT",
    "AND OR NOT NEAR",
    "title:alpha",
    "{title}: alpha",
    "{title teaser} : (alpha)",
    "-title:alpha",
    "^alpha",
    "alpha^",
    "(alpha",
    "alpha)",
    "((()))",
    "*",
    "alpha* *",
    "+ alpha + beta",
    "alpha\x00beta",
    "\x01\x02\x1f\x7f",
    "x" * 10_000,
    "alpha " * 2_000,
    "'; DROP TABLE publications_search_fts; --",
    "\u0301 combining",
    "ﬁnance ½ ™",
]


# Accents -----------------------------------------------------------------------


def test_a_name_without_its_accents_finds_the_author_s_work(client, commit):
    with commit():
        author = AuthorFactory(given_name="Élodie", family_name="Lefèvre")
        PublicationFactory(title="Gas storage after the crisis", authors=[author])
        PublicationFactory(title="Water in the Sahel")

    assert found(client, "lefevre") == ["Gas storage after the crisis"]
    assert found(client, "elodie LEFEVRE") == ["Gas storage after the crisis"]
    assert found(client, "Lefèvre") == ["Gas storage after the crisis"]


def test_accents_are_ignored_in_the_query_and_in_the_text(client, commit):
    with commit():
        PublicationFactory(title="La sécurité maritime", language="fr")
        PublicationFactory(
            title="Plain words", body="<p>Une securite sans accents.</p>"
        )

    assert set(found(client, "securite")) == {"La sécurité maritime", "Plain words"}
    assert set(found(client, "Sécurité")) == {"La sécurité maritime", "Plain words"}
    assert found(client, "maritime securite") == ["La sécurité maritime"]


def test_letters_unaccent_folds_are_folded_too(commit):
    with commit():
        PublicationFactory(title="Le cœur de l'Europe", language="fr")
        PublicationFactory(title="Straße und Łódź")

    assert titles("coeur") == ["Le cœur de l'Europe"]
    assert titles("cœur") == ["Le cœur de l'Europe"]
    assert titles("strasse lodz") == ["Straße und Łódź"]
    assert titles("STRASSE") == ["Straße und Łódź"]


def test_snippets_mark_the_words_found_in_their_own_spelling(client, commit):
    with commit():
        PublicationFactory(
            title="Maritime",
            language="fr",
            teaser="Le cœur de la sécurité maritime, <b>sans</b> détour.",
        )

    html = client.get(SEARCH_URL, {"q": "securite coeur"}).content.decode()

    assert "<mark>sécurité</mark>" in html
    assert "<mark>cœur</mark>" in html
    assert "&lt;b&gt;sans&lt;/b&gt;" in html


def test_a_body_match_shows_the_body_around_it(client, commit):
    with commit():
        PublicationFactory(
            title="Grids",
            teaser="A summary without the word.",
            body="<p>Opening words.</p><p>The interconnector carries power.</p>",
        )

    html = client.get(SEARCH_URL, {"q": "interconnector"}).content.decode()

    assert "The <mark>interconnector</mark> carries power." in html


# Phrases and prefixes ------------------------------------------------------------


def test_a_phrase_finds_its_words_side_by_side_only(commit):
    with commit():
        PublicationFactory(title="Nuclear deterrence after the Cold War")
        PublicationFactory(
            title="Deterrence theory", teaser="Nuclear weapons and their critics."
        )

    assert titles('"nuclear deterrence"') == ["Nuclear deterrence after the Cold War"]
    assert titles('"deterrence nuclear"') == []
    assert set(titles("nuclear deterrence")) == {
        "Nuclear deterrence after the Cold War",
        "Deterrence theory",
    }


def test_a_phrase_does_not_run_from_one_part_into_the_next(commit):
    with commit():
        PublicationFactory(
            title="Arctic", teaser="Ends with ice.", body="<p>Shelf collapse.</p>"
        )

    assert titles('"ice shelf"') == []
    assert titles("ice shelf") == ["Arctic"]


def test_prefixes_find_the_words_they_start(commit):
    with commit():
        PublicationFactory(title="Nuclear deterrence")
        PublicationFactory(title="Unclear futures")

    assert titles("nucl*") == ["Nuclear deterrence"]
    assert titles("nucl") == []  # a whole word, as on PostgreSQL
    assert titles("NUCL* deter*") == ["Nuclear deterrence"]


def test_autocomplete_reads_the_words_as_they_are_typed(commit):
    with commit():
        PublicationFactory(title="Nuclear deterrence", subtitle="A security primer")
        PublicationFactory(title="La sécurité alimentaire", language="fr")
        PublicationFactory(title="Unclear futures")

    assert [i["label"] for i in autocomplete("nucl")] == ["Nuclear deterrence"]
    assert [i["label"] for i in autocomplete("nuclear deter")] == ["Nuclear deterrence"]
    # Accents aside; titles only, as on PostgreSQL.
    assert [i["label"] for i in autocomplete("securi")] == ["La sécurité alimentaire"]


# Ranking -------------------------------------------------------------------------


def test_results_are_ranked_title_then_summary_then_body_then_pdf(client, commit):
    with commit():
        PublicationFactory(
            title="Body mention",
            body="<p>A long discussion of hydrogen corridors.</p>",
            publication_date=datetime.date(2024, 2, 1),
        )
        PublicationFactory(
            title="PDF mention",
            pdf=pdf_saying("Hydrogen corridors"),
            publication_date=datetime.date(2024, 3, 1),
        )
        PublicationFactory(
            title="Summary mention",
            teaser="What hydrogen changes.",
            publication_date=datetime.date(2020, 1, 1),
        )
        PublicationFactory(
            title="Hydrogen corridors", publication_date=datetime.date(2019, 1, 1)
        )
        PublicationFactory(
            title="Topic mention",
            tags=["Hydrogen"],
            publication_date=datetime.date(2018, 1, 1),
        )

    assert found(client, "hydrogen") == [
        "Hydrogen corridors",
        "Summary mention",  # newest first within a group
        "Topic mention",
        "Body mention",
        "PDF mention",
    ]
    assert found(client, "hydrogen", sort="date") == [
        "PDF mention",
        "Body mention",
        "Summary mention",
        "Hydrogen corridors",
        "Topic mention",
    ]


def test_the_title_group_needs_the_whole_query_in_the_title(commit):
    with commit():
        PublicationFactory(
            title="Hydrogen", body="<p>Corridors.</p>", publication_date="2024-01-01"
        )
        PublicationFactory(title="Hydrogen corridors", publication_date="2019-01-01")

    assert titles("hydrogen corridors") == ["Hydrogen corridors", "Hydrogen"]


# Visibility and keeping in step --------------------------------------------------


def test_unpublished_work_is_never_found(commit):
    with commit():
        PublicationFactory(title="Zorglub draft", draft=True)
        PublicationFactory(title="Zorglub in review", in_review=True)
        PublicationFactory(title="Zorglub scheduled", scheduled=True)
        PublicationFactory(title="Zorglub public")

    assert titles("zorglub") == ["Zorglub public"]


def test_the_index_follows_edits_unpublishing_and_deletion(commit):
    with commit():
        publication = PublicationFactory(title="Cobalt in Katanga")
        other = PublicationFactory(title="Cobalt elsewhere")

    with commit():
        publication.title = "Lithium in Chile"
        publication.save()
    assert titles("katanga") == []
    assert titles("lithium") == ["Lithium in Chile"]

    with commit():
        publication.status = Status.DRAFT
        publication.save()
    assert titles("lithium") == []

    with commit():
        other.delete()
    assert titles("cobalt") == []
    with connection.cursor() as cursor:
        cursor.execute("SELECT id FROM publications_search_text")
        assert [row[0] for row in cursor.fetchall()] == [publication.pk]


def test_the_index_follows_authors_tags_and_pdfs(commit):
    author = AuthorFactory(given_name="Ana", family_name="Oliveira")
    with commit():
        publication = PublicationFactory(
            title="Ports", authors=[author], tags=["Shipping"]
        )

    with commit():
        author.family_name = "Østergaard"
        author.save()
    assert titles("oliveira") == []
    assert titles("ostergaard") == ["Ports"]

    with commit():
        publication.tags.set(["Dredging"])
    assert titles("shipping") == []
    assert titles("dredging") == ["Ports"]

    with commit():
        tag = publication.tags.get()
        tag.name = "Dredgers"
        tag.save()
    assert titles("dredgers") == ["Ports"]

    with commit():
        publication.pdf = pdf_saying("Container terminals")
        publication.save()
    assert titles('"container terminals"') == ["Ports"]

    with commit():
        publication.authorships.all().delete()
    assert titles("ostergaard") == []


def test_a_full_refresh_rebuilds_the_index(commit):
    with commit():
        PublicationFactory(title="Cobalt in Katanga")
        PublicationFactory(title="Lithium in Chile")
    with connection.cursor() as cursor:
        for statement in sqlite_index.FORGET_ALL_SQL:
            cursor.execute(statement)
    assert titles("cobalt") == []

    assert sqlite_index.refresh() == 2
    assert titles("cobalt") == ["Cobalt in Katanga"]
    assert sqlite_index.refresh([]) == 0


# Hostile input -------------------------------------------------------------------


@pytest.mark.parametrize("query", HOSTILE_QUERIES)
def test_hostile_queries_find_something_or_nothing_without_error(query, commit):
    with commit():
        PublicationFactory(title="Alpha beta", tags=["Title"])

    results = search(query, {})
    listed = results.page(0, 12)
    assert results.total == len(listed)
    assert {p.title for p in listed} <= {"Alpha beta"}
    assert isinstance(autocomplete(query), list)
    # Every expression written is valid FTS5, in every column group.
    terms = parse_query(query)
    for columns in (None, *sqlite.RELEVANCE_COLUMNS):
        expression = sqlite.match_expression(terms, columns, as_you_type=True)
        if expression is not None:
            with connection.cursor() as cursor:
                cursor.execute(sqlite_index.MATCH_SQL, [expression])


def test_operators_are_searched_as_words(commit):
    with commit():
        PublicationFactory(title="Near and far")
        PublicationFactory(title="Alpha beta")

    assert titles("near") == ["Near and far"]
    assert titles("NEAR AND") == ["Near and far"]
    assert titles("title:alpha") == []  # the words "title" and "alpha"


def test_match_expressions_quote_every_word():
    terms = parse_query('NEAR "Cœur de" nucl* title:x ^y')

    assert sqlite.match_expression(terms) == (
        '"NEAR" AND "Coeur de" AND "nucl"* AND "title x" AND "y"'
    )
    assert sqlite.match_expression(
        parse_query("Sécurité ali"), ["title"], as_you_type=True
    ) == ('{title} : ("Sécurité"* AND "ali"*)')
    assert sqlite.match_expression([]) is None


def test_snippets_split_into_text_and_matches():
    marked = "The \ue000interconnector\ue001 carries \ue000power\ue001."

    assert headline_segments(marked) == [
        Segment("The "),
        Segment("interconnector", True),
        Segment(" carries "),
        Segment("power", True),
        Segment("."),
    ]


# Queries -------------------------------------------------------------------------


def test_a_ranked_search_page_runs_a_fixed_number_of_queries(
    client, commit, django_assert_num_queries, clear_content_type_cache
):
    with commit():
        for number in range(14):
            PublicationFactory(
                title=f"Hydrogen {number}" if number % 2 else f"Paper {number}",
                teaser="Hydrogen." if number % 3 else "Other.",
                body="<p>Hydrogen corridors.</p>",
                authors=AuthorFactory.create_batch(2),
                tags=[f"Topic {number}"],
            )
    client.get(SEARCH_URL, {"q": "corridors"})  # builds the facet index

    # The matches with their relevance group, the page's rows with their
    # snippets, their authorships, the next go-live; the search's record (3
    # for a new term).
    with django_assert_num_queries(4 + 3):
        response = client.get(SEARCH_URL, {"q": "hydrogen"})
    assert len(response.context["publications"]) == 12


def test_the_refresh_command_rebuilds_the_index(commit):
    with commit():
        PublicationFactory(title="Cobalt in Katanga")
    output = io.StringIO()

    call_command("refresh_search_vectors", stdout=output)

    assert output.getvalue().startswith("Refreshed 1 publications")
    assert titles("katanga") == ["Cobalt in Katanga"]


def test_the_test_database_has_the_index_from_its_migration():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT sql FROM sqlite_master WHERE name = %s", [sqlite_index.TABLE]
        )
        (sql,) = cursor.fetchone()
    assert "fts5" in sql
    assert "remove_diacritics 2" in sql
