"""What readers search for, and which searches other readers are shown.

Anything a stranger types is hostile, and a list of frequent searches shows
it to every reader: someone who guessed a draft's title could publish it
there by searching it a few times. So a search is shown only when an editor
approved it in the admin, or, where ``settings.SEARCH_STATS_AUTO_SHOW`` is
on, when at least SEARCH_STATS_MIN_VISITORS distinct visitors searched it on
at least SEARCH_STATS_MIN_DAYS days, it finds published work and it matches
the title of no publication the public cannot see. A refused search is never
shown.

Visitors are told apart by a hash of their address and browser, salted with
a secret drawn each day and kept in the cache until the day ends; only the
counts reach the database. The table stays bounded: terms of at most 100
characters; searches seen once and not for PRUNE_AFTER_DAYS are pruned each
day; at most ``settings.SEARCH_STATS_MAX_TERMS`` rows (when the table is full
and none can be pruned, new terms are not recorded).
"""

import datetime
import hashlib
import logging
import secrets

from django.conf import settings
from django.core.cache import cache
from django.db import DatabaseError, connections, router
from django.db.models import Q
from django.utils import timezone

from ..caching import PAGE_TIMEOUT, content_version
from ..models import Publication
from .links import search_url
from .models import SearchQueryStat, SearchReview, SearchSuggestion
from .query import clean_query, fold, parse_query
from .results import SearchResults

logger = logging.getLogger(__name__)

FREQUENT_SEARCHES_SHOWN = 8
TERM_MAX_LENGTH = 100
PRUNE_AFTER_DAYS = 30


def normalise_term(query: str) -> str:
    """How a query is counted: cleaned, lowercase."""
    return clean_query(query).lower()


def _seconds_left_today() -> int:
    now = timezone.localtime()
    midnight = datetime.datetime.combine(
        now.date() + datetime.timedelta(days=1), datetime.time(), now.tzinfo
    )
    return max(1, int((midnight - now).total_seconds()))


def visitor_of(request) -> str:
    """Today's pseudonym of the reader: unlinkable to yesterday's, since the
    salt is drawn anew each day and never leaves the cache."""
    today = timezone.localdate().isoformat()
    salt_key = f"search-stats:salt:{today}"
    salt = cache.get(salt_key)
    if salt is None:
        cache.add(salt_key, secrets.token_hex(16), timeout=_seconds_left_today())
        salt = cache.get(salt_key, "")
    meta = request.META
    seen = f"{salt}\0{meta.get('REMOTE_ADDR', '')}\0{meta.get('HTTP_USER_AGENT', '')}"
    return hashlib.sha256(seen.encode()).hexdigest()


def _first_search_today(term: str, visitor: str) -> bool:
    today = timezone.localdate().isoformat()
    digest = hashlib.sha256(f"{term}\0{visitor}".encode()).hexdigest()
    return cache.add(
        f"search-stats:seen:{today}:{digest}", True, timeout=_seconds_left_today()
    )


def prune(today: datetime.date | None = None) -> int:
    """Forget searches made once and not since PRUNE_AFTER_DAYS days."""
    today = today or timezone.localdate()
    old = today - datetime.timedelta(days=PRUNE_AFTER_DAYS)
    deleted, _ = SearchQueryStat.objects.filter(
        count__lte=1, last_seen__lt=old
    ).delete()
    return deleted


def _has_room() -> bool:
    limit = settings.SEARCH_STATS_MAX_TERMS
    if SearchQueryStat.objects.count() < limit:
        return True
    prune()
    return SearchQueryStat.objects.count() < limit


def record_query(query: str, visitor: str) -> None:
    """Count one more search for this term by this visitor (see the module's
    docstring). A failure is logged, never raised: the reader's page does not
    depend on it."""
    term = normalise_term(query)
    if not term or len(term) > TERM_MAX_LENGTH or not parse_query(term):
        return
    today = timezone.localdate()
    try:
        if cache.add(f"search-stats:pruned:{today}", True, _seconds_left_today()):
            prune(today)  # once a day
        _record(term, _first_search_today(term, visitor), today)
    except DatabaseError:
        logger.warning("Search statistics not recorded", exc_info=True)


def _record(term: str, new_visitor: bool, today: datetime.date) -> None:
    db = connections[router.db_for_write(SearchQueryStat)]
    qn = db.ops.quote_name
    table = qn(SearchQueryStat._meta.db_table)
    count, visitors, days, last_seen = (
        qn(name) for name in ("count", "visitors", "days", "last_seen")
    )
    added = int(new_visitor)
    update = f"""
        UPDATE {table}
        SET {count} = {count} + 1, {visitors} = {visitors} + %s,
            {days} = {days} + CASE WHEN {last_seen} = %s THEN 0 ELSE 1 END,
            {last_seen} = %s
        WHERE {qn("term")} = %s
    """  # noqa: S608 (names from the model, values as parameters)
    with db.cursor() as cursor:
        cursor.execute(update, [added, today, today, term])
        if cursor.rowcount or not _has_room():
            return
        # A new term; another request may be adding it at the same moment.
        cursor.execute(
            f"""
            INSERT INTO {table} ({qn("term")}, {count}, {visitors}, {days},
                                 {last_seen}, {qn("review")})
            VALUES (%s, 1, %s, 1, %s, %s)
            ON CONFLICT ({qn("term")}) DO UPDATE
            SET {count} = {table}.{count} + 1,
                {visitors} = {table}.{visitors} + excluded.{visitors}
            """,  # noqa: S608 (names from the model, values as parameters)
            [term, added, today, SearchReview.PENDING],
        )


def _hidden_titles() -> list[str]:
    """Titles (folded) of every publication the public cannot see."""
    hidden = Publication.objects.exclude(
        pk__in=Publication.objects.published().values("pk")
    )
    return [
        fold(f"{title} {subtitle}")
        for title, subtitle in hidden.values_list("title", "subtitle")
    ]


def _may_show(term: str, hidden_titles: list[str]) -> bool:
    words = [fold(word) for t in parse_query(term) for word in t.words]
    if any(all(word in title for word in words) for title in hidden_titles):
        return False
    return SearchResults(term).total > 0


def frequent_searches(limit: int = FREQUENT_SEARCHES_SHOWN) -> list[str]:
    """The searches readers are shown, most searched first."""
    candidates = SearchQueryStat.objects.exclude(review=SearchReview.REFUSED)
    approved = Q(review=SearchReview.APPROVED)
    if not settings.SEARCH_STATS_AUTO_SHOW:
        return list(candidates.filter(approved).values_list("term", flat=True)[:limit])
    popular = Q(
        visitors__gte=settings.SEARCH_STATS_MIN_VISITORS,
        days__gte=settings.SEARCH_STATS_MIN_DAYS,
    )
    hidden_titles = None
    shown = []
    # Some of the most searched may not be shown: look a little further.
    for term, review in candidates.filter(approved | popular).values_list(
        "term", "review"
    )[: limit * 3]:
        if review != SearchReview.APPROVED:
            if hidden_titles is None:
                hidden_titles = _hidden_titles()
            if not _may_show(term, hidden_titles):
                continue
        shown.append(term)
        if len(shown) == limit:
            break
    return shown


def suggested_searches(language: str) -> list[str]:
    """The editors' suggestions for pages in this language."""
    return list(
        SearchSuggestion.objects.filter(is_active=True)
        .filter(Q(language="") | Q(language=language))
        .values_list("term", flat=True)
    )


def search_hints(language: str) -> dict[str, list[dict]]:
    """The links the search panel lists: the editors' suggestions and the
    frequent searches. Worked out once per content change and language, and
    kept at most PAGE_TIMEOUT seconds (readers' counts change no version)."""
    key = f"search-stats:hints:{content_version()}:{language}"
    hints = cache.get(key)
    if hints is None:
        hints = {
            name: [{"label": term, "url": search_url({"q": term})} for term in terms]
            for name, terms in (
                ("suggested", suggested_searches(language)),
                ("frequent", frequent_searches()),
            )
        }
        cache.set(key, hints, PAGE_TIMEOUT)
    return hints
