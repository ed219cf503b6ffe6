"""Whole-page caching of the public pages, invalidated by any content change.

Every cache key carries a content version. Saving or deleting a publication,
an author, a center, a type, a tag, an authorship or a related link bumps the
version, so no page can outlive a change it shows. A page is also never kept
past the next scheduled publication's go-live time, since that changes lists
and related blocks without any save.

The cache must be shared by all app server processes for the bump to reach
them all: the file cache in the embedded mode, Redis in production.
"""

import functools
import hashlib
import time

from django.core.cache import cache
from django.db.models import Min
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import get_language

VERSION_KEY = "content-version"
PAGE_TIMEOUT = 600  # seconds


def content_version() -> int:
    version = cache.get(VERSION_KEY)
    if version is None:
        version = time.time_ns()
        cache.add(VERSION_KEY, version, timeout=None)
        version = cache.get(VERSION_KEY, version)
    return version


def bump_content_version(**kwargs) -> None:
    cache.set(VERSION_KEY, time.time_ns(), timeout=None)


def _seconds_until_next_go_live() -> int:
    from .models import Publication, Status

    now = timezone.now()
    upcoming = Publication.objects.filter(
        status=Status.PUBLISHED, publish_at__gt=now
    ).aggregate(next=Min("publish_at"))["next"]
    if upcoming is None:
        return PAGE_TIMEOUT
    return max(1, min(PAGE_TIMEOUT, int((upcoming - now).total_seconds())))


def cache_public_page(view):
    """Serve anonymous GETs without a query string from the shared cache."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if (
            request.method not in ("GET", "HEAD")
            or request.GET
            or request.user.is_authenticated
        ):
            return view(request, *args, **kwargs)
        digest = hashlib.sha256(request.path.encode()).hexdigest()
        key = f"page:{content_version()}:{get_language()}:{digest}"
        cached = cache.get(key)
        if cached is not None:
            content, content_type = cached
            return HttpResponse(content, content_type=content_type)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and callable(response.render):
            response.render()
        if response.status_code == 200 and not response.has_header("Cache-Control"):
            cache.set(
                key,
                (response.content, response["Content-Type"]),
                timeout=_seconds_until_next_go_live(),
            )
        return response

    return wrapper


def connect_signals() -> None:
    from django.apps import apps

    for label in (
        "publications.Publication",
        "publications.PublicationType",
        "publications.Authorship",
        "publications.RelatedLink",
        "authors.Author",
        "centers.ResearchCenter",
        "taggit.Tag",
        "taggit.TaggedItem",
    ):
        model = apps.get_model(label)
        post_save.connect(bump_content_version, sender=model, weak=False)
        post_delete.connect(bump_content_version, sender=model, weak=False)
    publication = apps.get_model("publications.Publication")
    for through in (
        publication.additional_centers.through,
        publication.translations.through,
        publication.tags.through,
        apps.get_model("authors.Author").centers.through,
    ):
        m2m_changed.connect(bump_content_version, sender=through, weak=False)
