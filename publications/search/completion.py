"""Proposals as a reader types: visible publications (by title), active
authors, active centers and topics of visible publications whose words
start with the words typed."""

from __future__ import annotations

from django.db.models import CharField, Exists, F, OuterRef, Value
from django.db.models.functions import Concat
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from taggit.models import Tag

from authors.models import Author
from centers.models import ResearchCenter

from ..models import Publication, TaggedPublication
from .backends import reading_backend
from .query import parse_query, words_of

AUTOCOMPLETE_MIN_CHARS = 2
AUTOCOMPLETE_MAX_WORDS = 4


def _complete_publications(words, limit, backend):
    visible = backend.titles_starting(Publication.objects.published(), words)
    rows = visible.order_by("-publication_date", "-publish_at").values_list(
        "title", "slug", "language"
    )[:limit]
    return [
        {
            "type": "publication",
            "label": title,
            "url": reverse("publications:detail", kwargs={"slug": slug}),
            "lang": language,
        }
        for title, slug, language in rows
    ]


def _complete_authors(words, limit, backend):
    match, condition = backend.name_starts("given_name", "family_name", words)
    authors = (
        Author.objects.active()
        .alias(match=match)
        .filter(condition)
        .order_by("family_name", "given_name")
        .values_list("given_name", "family_name", "slug")[:limit]
    )
    return [
        {
            "type": "author",
            "label": f"{given} {family}".strip(),
            "url": reverse("authors:detail", kwargs={"slug": slug}),
        }
        for given, family, slug in authors
    ]


def _complete_centers(words, limit, backend):
    # Either language's name.
    names = Concat("name_en", Value(" "), "name_fr", output_field=CharField())
    match, condition = backend.word_starts(names, words)
    centers = (
        ResearchCenter.objects.active()
        .alias(match=match)
        .filter(condition)
        .order_by("order", "name_en")[:limit]
    )
    return [
        {
            "type": "center",
            "label": center.name,
            "url": reverse("centers:detail", kwargs={"slug": center.slug}),
        }
        for center in centers
    ]


def _complete_tags(words, limit, backend):
    used = TaggedPublication.objects.filter(
        tag=OuterRef("pk"),
        content_object__in=Publication.objects.published().values("pk"),
    )
    match, condition = backend.word_starts(F("name"), words)
    tags = (
        Tag.objects.alias(match=match)
        .filter(condition, Exists(used))
        .order_by("name")
        .values_list("name", "slug")[:limit]
    )
    url = reverse("publications:list")
    return [
        {"type": "tag", "label": name, "url": f"{url}?{urlencode({'tag': slug})}"}
        for name, slug in tags
    ]


AUTOCOMPLETE_SOURCES = {
    "publication": _complete_publications,
    "author": _complete_authors,
    "center": _complete_centers,
    "tag": _complete_tags,
}


def autocomplete(term: str, limit: int = 8) -> list[dict]:
    """Each item is {"type": "publication|author|center|tag", "label", "url",
    "type_label"} (publications also give their "lang"). One query per kind;
    the kinds share the ``limit`` in turns, and come grouped in that order.
    """
    words = list(dict.fromkeys(words_of(parse_query(term))))[:AUTOCOMPLETE_MAX_WORDS]
    if not words or sum(map(len, words)) < AUTOCOMPLETE_MIN_CHARS or limit < 1:
        return []
    backend = reading_backend()
    found = {
        kind: source(words, limit, backend)
        for kind, source in AUTOCOMPLETE_SOURCES.items()
    }
    # Turns: one of each kind while there is room, so that a few authors or
    # centers are not hidden by many titles.
    taken = dict.fromkeys(found, 0)
    total = 0
    while total < limit and any(taken[k] < len(found[k]) for k in found):
        for kind in found:
            if total < limit and taken[kind] < len(found[kind]):
                taken[kind] += 1
                total += 1
    labels = autocomplete_labels()
    return [
        {**item, "type_label": labels[kind]}
        for kind in found
        for item in found[kind][: taken[kind]]
    ]


def autocomplete_labels() -> dict[str, str]:
    """What each kind of autocomplete item is called, in the current language."""
    return {
        "publication": _("Publication"),
        "author": _("Researcher"),
        "center": _("Research center"),
        "tag": _("Topic"),
    }
