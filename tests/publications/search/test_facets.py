"""Facets: counted over the visible matches with the other facets applied,
listed and linked the same way on both databases."""

from urllib.parse import parse_qsl, urlsplit

import pytest
from django.http import QueryDict

import publications.search.facets as search_module
from publications.search import search

from ...factories import PublicationFactory
from ...helpers import SEARCH_URL, found

pytestmark = pytest.mark.django_db


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


def test_unknown_filter_values_are_ignored_with_a_notice(client, faceted):
    response = client.get(SEARCH_URL, {"q": "energy", "type": "nope", "year": "x"})

    assert len(response.context["publications"]) == 4
    assert "Some filters were ignored" in response.content.decode()
