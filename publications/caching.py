"""The site's content version: what every cache of rendered content is keyed by.

Saving or deleting a publication, an author, a center, a type, a tag, an
authorship or a related link calls ``invalidate()``, which bumps the version
once the transaction commits, so nothing cached under the old version (whole
pages, ifri/page_cache.py; the search's facet index and frequent searches) is
read again. Never before the commit: a reader between the bump and the commit
would render the old rows and store them under the new version.

The version lives in the cache shared by all app server processes, so the bump
reaches them all: the file cache in the embedded mode, Redis in production.
The bump is the cache's atomic ``incr``, so two commits can never make the same
new version.

Scheduled publications change what readers see without any save: whatever is
cached lives at most until the next one goes live
(``seconds_until_next_go_live()``).
"""

import threading
import time

from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils import timezone

VERSION_KEY = "content-version"
PAGE_TIMEOUT = 600  # seconds


def content_version() -> int:
    """The shared content version or, while this process cannot trust the
    cache (see ``_settled()``), a version nothing was ever stored under."""
    if not _settled():
        return -time.time_ns()
    version = cache.get(VERSION_KEY)
    if version is None:
        # A new or emptied cache. The clock starts the count, so that no
        # version pages were stored under before (in any process's memory)
        # comes back; from here on only incr() changes it.
        cache.add(VERSION_KEY, time.time_ns(), timeout=None)
        version = cache.get(VERSION_KEY)
    if version is None:  # the cache cannot be reached (ifri/cache.py)
        _owe_bump()
        return -time.time_ns()
    return version


def _bump() -> bool:
    """Whether the cache took the bump."""
    try:
        bumped = cache.incr(VERSION_KEY) is not None
    except ValueError:
        # No version to bump: the next request starts a new one.
        return True
    if not bumped:  # the cache cannot be reached (ifri/cache.py)
        _owe_bump()
    return bumped


# A process that saw the cache fail may have missed a bump: its own (an
# editor's save), or one it could not read. Should the cache come back with
# the pages it held, they would be served again, older than the database. So
# the process trusts nothing cached until it has bumped the version once more,
# at its first request after the cache answers again; the other processes
# then drop their pages too.
_failures = 0  # cache failures this process saw
_covered = 0  # how many of them a bump made since covers
_settling = threading.Lock()


def _owe_bump() -> None:
    global _failures
    with _settling:
        _failures += 1


def _settled() -> bool:
    """Whether every cache failure this process saw is covered by a bump."""
    global _covered
    if _covered == _failures:
        return True
    with _settling:
        seen = _failures
    if not _bump():
        return False
    with _settling:
        _covered = max(_covered, seen)
        return _covered == _failures


def invalidate(*, using=None, **signal_kwargs) -> None:
    """Make every cached page, in every process, give way to a new rendering,
    once the current transaction commits (at once outside a transaction).

    Every path that changes what readers see calls this: the signals below,
    admin actions, ``update()`` calls, the search index refresh, generators.
    Connected as a signal receiver, it takes the signal's arguments.
    """
    transaction.on_commit(_bump, using=using, robust=True)


def seconds_until_next_go_live() -> int:
    """How long rendered content may be kept: until the next scheduled
    publication goes live, at most ``PAGE_TIMEOUT``."""
    from .models import Publication

    now = timezone.now()
    upcoming = Publication.objects.next_go_live(now)
    if upcoming is None:
        return PAGE_TIMEOUT
    return max(1, min(PAGE_TIMEOUT, int((upcoming - now).total_seconds())))


def connect_signals() -> None:
    from django.apps import apps

    for label in (
        "publications.Publication",
        "publications.PublicationType",
        "publications.Authorship",
        "publications.RelatedLink",
        # Frequent searches (edited in the admin; readers' counts are written
        # without signals) and suggestions, listed on search pages.
        "publications.SearchQueryStat",
        "publications.SearchSuggestion",
        "authors.Author",
        "centers.ResearchCenter",
        "taggit.Tag",
        "publications.TaggedPublication",
    ):
        model = apps.get_model(label)
        post_save.connect(invalidate, sender=model, weak=False)
        post_delete.connect(invalidate, sender=model, weak=False)
    publication = apps.get_model("publications.Publication")
    for through in (
        publication.additional_centers.through,
        publication.translations.through,
        publication.tags.through,
        apps.get_model("authors.Author").centers.through,
    ):
        m2m_changed.connect(invalidate, sender=through, weak=False)
