"""What synthetic publications refer to: types, centers, authors and tags.

Types and centers already in the database are used as they are; the demo's
own (types.toml, centers.toml) are created only in an empty database.
Authors are always new. Each function counts what it created in `created`.
"""

from django.utils.text import slugify
from taggit.models import Tag

from authors.models import Author
from centers.models import ResearchCenter
from publications.models import PublicationType

from .data import CENTERS, KINDS
from .synthetic import (
    FAMILY_NAMES,
    GIVEN_NAMES,
    JOB_TITLES,
    JOURNALS,
    REGIONS,
    TOPICS,
    Writer,
)


def unique(slug: str, taken: set, sep: str = "-") -> str:
    """`slug`, or with a number after it when taken; now taken too."""
    slug = slug[:180] or "item"
    candidate, n = slug, 1
    while candidate in taken:
        n += 1
        candidate = f"{slug}{sep}{n}"
    taken.add(candidate)
    return candidate


def ensure_types(created: dict) -> list[PublicationType]:
    types = list(PublicationType.objects.order_by("order", "pk"))
    if types:
        return types
    types = [
        PublicationType(
            slug=kind.slug,
            name=kind.name[0],
            name_en=kind.name[0],
            name_fr=kind.name[1],
            plural_name=kind.plural[0],
            plural_name_en=kind.plural[0],
            plural_name_fr=kind.plural[1],
            citation_type=kind.citation_type,
            order=order * 10,
        )
        for order, kind in enumerate(KINDS, start=1)
    ]
    created["types"] = len(types)
    return PublicationType.objects.bulk_create(types)


def ensure_centers(created: dict) -> list[ResearchCenter]:
    centers = list(ResearchCenter.objects.active().order_by("order", "pk"))
    if centers:
        return centers
    taken = set(ResearchCenter.objects.values_list("slug", flat=True))
    centers = [
        ResearchCenter(
            slug=unique(center.slug, taken),
            name=center.name[0],
            name_en=center.name[0],
            name_fr=center.name[1],
            teaser_en=center.teaser[0],
            teaser_fr=center.teaser[1],
            order=order * 10,
        )
        for order, center in enumerate(CENTERS, start=1)
    ]
    created["centers"] = len(centers)
    return ResearchCenter.objects.bulk_create(centers)


def create_authors(
    writer: Writer, centers: list[ResearchCenter], count: int, batch: int, created
) -> tuple[list[Author], dict[int, ResearchCenter]]:
    """`count` new authors, and the center of each (by author pk)."""
    rng = writer.rng
    taken = set(Author.objects.values_list("slug", flat=True))
    authors, their_centers = [], []
    for _ in range(count):
        first, last = rng.choice(GIVEN_NAMES), rng.choice(FAMILY_NAMES)
        job = rng.choice(JOB_TITLES)
        center = rng.choice(centers)
        external = rng.random() < 0.1
        bio = writer.bio(first, last)
        authors.append(
            Author(
                given_name=first,
                family_name=last,
                slug=unique(slugify(f"{first} {last}"), taken),
                job_title=job[0],
                job_title_en=job[0],
                job_title_fr=job[1],
                bio=bio[0],
                bio_en=bio[0],
                bio_fr=bio[1],
                affiliation=rng.choice(JOURNALS) if external else "",
            )
        )
        their_centers.append(center)
    authors = Author.objects.bulk_create(authors, batch_size=batch)
    Author.centers.through.objects.bulk_create(
        [
            Author.centers.through(author_id=a.pk, researchcenter_id=c.pk)
            for a, c in zip(authors, their_centers, strict=True)
        ],
        batch_size=batch,
    )
    created["authors"] = len(authors)
    return authors, {a.pk: c for a, c in zip(authors, their_centers, strict=True)}


def ensure_tags(created: dict) -> dict[str, Tag]:
    """Every topic and region name, in both languages, as a taggit Tag."""
    names = {name for item in TOPICS + REGIONS for name in (item.en, item.fr)}
    existing = {t.name.lower(): t for t in Tag.objects.all()}
    taken = {t.slug for t in existing.values()}
    new = []
    for name in sorted(names):
        if name.lower() not in existing:
            tag = Tag(name=name)
            tag.slug = unique(tag.slugify(name), taken, sep="_")
            existing[name.lower()] = tag
            new.append(tag)
    Tag.objects.bulk_create(new)
    created["tags"] = len(new)
    return {name: existing[name.lower()] for name in names}
