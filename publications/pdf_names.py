"""The bulk upload's matching of a PDF to its publication by the file's
name: "Gas-Grids.pdf", "gas-grids-fr.pdf" and "Gas grids_EN.PDF" are all
for the publication "gas-grids"."""

import re

from django.db.models import Q
from django.utils.text import slugify

LANGUAGE_SUFFIX = re.compile(r"(?P<slug>.+?)[-_](?:en|fr)")


def slug_candidates(file_name: str) -> list[str]:
    """Slugs a file may be named after, most likely first.

    "Gas-Grids.pdf", "gas-grids-fr.pdf" and "Gas grids_EN.PDF" all name the
    publication "gas-grids". The name is only ever used to look up a slug.
    """
    stem = file_name.strip()
    if stem.lower().endswith(".pdf"):
        stem = stem[: -len(".pdf")]
    candidates = []
    for text in (stem.lower(), slugify(stem)):
        match = LANGUAGE_SUFFIX.fullmatch(text)
        for candidate in (text, match and match["slug"]):
            if candidate and candidate not in candidates:
                candidates.append(candidate)
    return candidates


def publication_for_file_name(queryset, file_name: str):
    """The publication in ``queryset`` a file is named after, or None."""
    candidates = slug_candidates(file_name)[:4]
    if not candidates:
        return None
    query = Q()
    for candidate in candidates:
        query |= Q(slug__iexact=candidate)
    found = {p.slug.lower(): p for p in queryset.filter(query)}
    return next((found[c] for c in candidates if c in found), None)
