"""Frequent searches: counted without personal data, shown to readers only
when an editor approved them or many visitors made them, never a notice board
for what strangers type."""

import datetime

import pytest
from django.test import Client
from django.urls import reverse

from publications.models import SearchQueryStat, SearchReview, SearchSuggestion
from publications.search import statistics as search_stats
from publications.search.statistics import (
    PRUNE_AFTER_DAYS,
    frequent_searches,
    prune,
    record_query,
)

from ...factories import PublicationFactory, editor

pytestmark = pytest.mark.django_db

SEARCH_URL = reverse("search")
TODAY = datetime.date(2026, 3, 10)


@pytest.fixture
def on_day(monkeypatch):
    """Search statistics as on the given day."""

    def set_day(day):
        monkeypatch.setattr(search_stats.timezone, "localdate", lambda: day)

    set_day(TODAY)
    return set_day


def searched(term, visitors, days, on_day):
    """``term`` searched by ``visitors`` different readers each of ``days`` days."""
    for offset in range(days):
        on_day(TODAY + datetime.timedelta(days=offset))
        for visitor in range(visitors):
            record_query(term, f"visitor {visitor}")


def stat(term) -> SearchQueryStat:
    return SearchQueryStat.objects.get(term=term)


# Counting -------------------------------------------------------------------------


def test_searches_are_counted_without_personal_data(client):
    for query in ("Energy  Security", "energy security", "ENERGY SECURITY"):
        client.get(SEARCH_URL, {"q": query})
    client.get(SEARCH_URL, {"q": "energy security", "page": "2"})  # not again
    client.get(SEARCH_URL, {"q": "energy security", "lang": "fr"})  # a facet
    client.get(SEARCH_URL, {"q": "🌍"})  # nothing searchable
    client.get(SEARCH_URL)

    counted = SearchQueryStat.objects.get()
    assert (counted.term, counted.count, counted.visitors) == ("energy security", 3, 1)
    assert {f.name for f in SearchQueryStat._meta.concrete_fields} == {
        "id",
        "term",
        "count",
        "visitors",
        "days",
        "last_seen",
        "review",
    }


def test_distinct_visitors_are_told_apart_by_address_and_browser(client):
    others = [
        Client(REMOTE_ADDR="192.0.2.7"),
        Client(HTTP_USER_AGENT="Another browser"),
    ]
    for reader in [client, client, *others]:
        reader.get(SEARCH_URL, {"q": "sahel"})

    assert (stat("sahel").count, stat("sahel").visitors) == (4, 3)


def test_the_same_visitor_counts_again_on_another_day(on_day):
    searched("sahel", visitors=2, days=3, on_day=on_day)

    counted = stat("sahel")
    assert (counted.visitors, counted.days, counted.last_seen) == (
        6,
        3,
        TODAY + datetime.timedelta(days=2),
    )


def test_visitors_pseudonyms_change_every_day(rf, on_day):
    request = rf.get(SEARCH_URL, REMOTE_ADDR="192.0.2.7")
    first = search_stats.visitor_of(request)
    assert search_stats.visitor_of(request) == first

    on_day(TODAY + datetime.timedelta(days=1))

    assert search_stats.visitor_of(request) != first


def test_terms_longer_than_100_characters_are_not_recorded():
    at_most = ("energy " * 15)[:100].strip()  # 100 characters with a space
    record_query(at_most + "s", "a visitor")
    record_query(at_most, "a visitor")

    assert list(SearchQueryStat.objects.values_list("term", flat=True)) == [at_most]


# Shown to readers -------------------------------------------------------------------


def test_by_default_readers_see_only_the_searches_editors_approved(on_day):
    PublicationFactory(title="The Sahel after the coups")
    searched("sahel", visitors=30, days=5, on_day=on_day)
    searched("energy", visitors=1, days=1, on_day=on_day)
    assert frequent_searches() == []

    SearchQueryStat.objects.filter(term="energy").update(review=SearchReview.APPROVED)

    assert frequent_searches() == ["energy"]


@pytest.fixture
def auto_show(settings):
    settings.SEARCH_STATS_AUTO_SHOW = True
    settings.SEARCH_STATS_MIN_VISITORS = 10
    settings.SEARCH_STATS_MIN_DAYS = 3


@pytest.mark.parametrize(
    ("visitors", "days", "shown"),
    [(4, 3, True), (3, 3, False), (10, 2, False)],
    ids=["12 visitors on 3 days", "9 visitors", "2 days"],
)
def test_with_auto_show_many_visitors_on_several_days_make_a_search_shown(
    auto_show, on_day, commit, visitors, days, shown
):
    with commit():  # indexed for search at the commit, on PostgreSQL
        PublicationFactory(title="The Sahel after the coups")
    searched("sahel", visitors=visitors, days=days, on_day=on_day)

    assert frequent_searches() == (["sahel"] if shown else [])


def test_with_auto_show_a_search_that_finds_nothing_published_is_not_shown(
    auto_show, on_day, commit
):
    with commit():
        PublicationFactory(title="Nothing to see")
    searched("rude words", visitors=20, days=5, on_day=on_day)

    assert frequent_searches() == []


@pytest.mark.parametrize("hidden", ["draft", "scheduled"])
def test_guessed_titles_of_unreleased_work_are_never_shown(
    auto_show, on_day, commit, hidden
):
    with commit():
        PublicationFactory(title="Secret talks on the Sahel", **{hidden: True})
        PublicationFactory(title="Talks in the Sahel")  # the terms find public work
    searched("secret talks sahel", visitors=20, days=5, on_day=on_day)
    searched("talks sahel", visitors=20, days=5, on_day=on_day)

    assert frequent_searches() == []


def test_refused_searches_are_never_shown(auto_show, on_day, commit):
    with commit():
        PublicationFactory(title="The Sahel after the coups")
    searched("sahel", visitors=20, days=5, on_day=on_day)
    assert frequent_searches() == ["sahel"]

    SearchQueryStat.objects.update(review=SearchReview.REFUSED)

    assert frequent_searches() == []


def test_editors_approve_and_refuse_searches_in_the_admin(client, commit):
    record_query("sahel", "a visitor")
    record_query("rude words", "a visitor")
    client.force_login(editor())
    changelist = reverse("admin:publications_searchquerystat_changelist")

    listing = client.get(changelist)
    with commit():
        approved = client.post(
            changelist, {"action": "approve", "_selected_action": [stat("sahel").pk]}
        )
        refused = client.post(
            changelist,
            {"action": "refuse", "_selected_action": [stat("rude words").pk]},
        )

    assert listing.status_code == 200 and "rude words" in listing.content.decode()
    assert approved.status_code == refused.status_code == 302
    assert stat("sahel").review == SearchReview.APPROVED
    assert stat("rude words").review == SearchReview.REFUSED
    assert frequent_searches() == ["sahel"]
    # Counts come from readers only.
    assert (
        client.get(reverse("admin:publications_searchquerystat_add")).status_code == 403
    )


# Bounded ----------------------------------------------------------------------------


def test_searches_seen_once_are_pruned_after_30_days(on_day):
    old = TODAY - datetime.timedelta(days=PRUNE_AFTER_DAYS + 1)
    on_day(old)
    record_query("once long ago", "a visitor")
    record_query("twice long ago", "a visitor")
    record_query("twice long ago", "another visitor")
    on_day(TODAY - datetime.timedelta(days=2))
    record_query("once lately", "a visitor")

    assert prune(TODAY) == 1

    assert set(SearchQueryStat.objects.values_list("term", flat=True)) == {
        "twice long ago",
        "once lately",
    }


def test_the_first_search_of_a_day_prunes_the_table(on_day):
    on_day(TODAY - datetime.timedelta(days=PRUNE_AFTER_DAYS + 1))
    record_query("once long ago", "a visitor")

    on_day(TODAY)
    record_query("sahel", "a visitor")

    assert list(SearchQueryStat.objects.values_list("term", flat=True)) == ["sahel"]


def test_a_flood_of_distinct_terms_cannot_grow_the_table_past_its_cap(settings, on_day):
    settings.SEARCH_STATS_MAX_TERMS = 5
    for number in range(20):
        record_query(f"flood {number}", "a visitor")
    record_query("flood 0", "another visitor")  # known terms are still counted

    assert SearchQueryStat.objects.count() == 5
    assert stat("flood 0").count == 2


def test_a_full_table_makes_room_by_pruning_old_single_searches(settings, on_day):
    settings.SEARCH_STATS_MAX_TERMS = 2
    on_day(TODAY - datetime.timedelta(days=PRUNE_AFTER_DAYS + 1))
    record_query("old", "a visitor")
    on_day(TODAY)
    SearchQueryStat.objects.create(term="kept", count=5, last_seen=TODAY)

    record_query("new", "a visitor")

    assert set(SearchQueryStat.objects.values_list("term", flat=True)) == {
        "kept",
        "new",
    }


# Where readers see them -------------------------------------------------------------


@pytest.fixture
def hints(db):
    SearchSuggestion.objects.create(term="Energy transition")
    SearchQueryStat.objects.create(
        term="sahel", count=5, visitors=5, days=2, review=SearchReview.APPROVED
    )


@pytest.mark.parametrize(
    ("url", "language"), [("/en/", "en"), ("/en/publications/", "en"), ("/fr/", "fr")]
)
def test_every_page_has_the_search_panel_with_suggestions_and_frequent_searches(
    client, hints, url, language
):
    PublicationFactory()
    html = client.get(url).content.decode()

    panel = html[html.index('id="search-panel"') : html.index("</header>")]
    assert f'href="/{language}/search/?q=Energy+transition"' in panel
    assert f'href="/{language}/search/?q=sahel"' in panel
    assert 'data-search-toggle aria-controls="search-panel"' in html


def test_the_search_page_shows_them_without_javascript(client, hints):
    html = client.get(SEARCH_URL).content.decode()

    assert 'id="search-panel"' not in html  # its own form is the panel
    assert 'href="/en/search/?q=sahel"' in html
    assert 'href="/en/search/?q=Energy+transition"' in html
