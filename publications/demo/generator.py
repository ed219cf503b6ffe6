"""Write N synthetic publications quickly, for search and scale benchmarks.

Rows are written with bulk_create in batches: no save(), no signals, no files.
Each publication gets a type, a center, 1-4 ordered authors, 2-5 topic and
region tags in its language, a teaser, a body and, for most, the text of a
full-analysis PDF (a current PdfVersion row whose file does not exist: the
download answers 404). The texts come from synthetic.py.

The same seed and count on the same database give the same rows; dates are
relative to today (published work over the last 15 years, scheduled work in
the coming weeks).
"""

import datetime
import hashlib
import itertools
import random
import time
from bisect import bisect
from concurrent.futures import ThreadPoolExecutor

from django.db import connection
from django.utils import timezone
from django.utils.text import slugify
from taggit.models import Tag

from authors.models import Author
from publications.models import (
    Authorship,
    PdfVersion,
    Publication,
    Role,
    Status,
)

from . import reference
from .data import EN, FR
from .synthetic import JOURNALS, Tagged, Writer, zipf_cum_weights

YEARS = 15
FRENCH_SHARE = 0.35
# Cumulative shares of visible, draft, in review, scheduled; the rest archived.
STATUS_SHARES = ((0.90, "visible"), (0.94, "draft"), (0.96, "review"), (0.98, "later"))
TYPE_WEIGHTS = {
    "briefings": 30,
    "reports": 25,
    "op-eds": 20,
    "external-articles": 15,
    "books": 10,
}
NO_PDF_SHARE = {"op-eds": 0.7, "external-articles": 0.4}  # others: 5%


def tag_links(publication_id: int, tags: list[Tag]) -> list:
    """The tag rows of one publication, for bulk_create."""
    return [
        Publication.tags.through(content_object_id=publication_id, tag_id=tag.pk)
        for tag in tags
    ]


class Generator:
    def __init__(self, count: int, seed: int, batch: int, log):
        self.count = count
        self.batch = batch
        self.log = log
        self.rng = random.Random(seed)  # noqa: S311 (synthetic data, not secrets)
        self.now = timezone.now()
        self.today = timezone.localdate(self.now)
        self.tz = timezone.get_current_timezone()
        self.writer = Writer(self.rng, count)
        self.created = {"authors": 0, "tags": 0, "centers": 0, "types": 0}

    # Reference data ------------------------------------------------------

    def prepare(self):
        created = self.created
        self.types = reference.ensure_types(created)
        self.type_weights = list(
            itertools.accumulate(TYPE_WEIGHTS.get(t.slug, 10) for t in self.types)
        )
        self.centers = reference.ensure_centers(created)
        self.authors, self.author_center = reference.create_authors(
            self.writer, self.centers, max(5, self.count // 20), self.batch, created
        )
        self.author_weights = zipf_cum_weights(len(self.authors), exponent=0.7)
        self.tags = reference.ensure_tags(created)

    # Publications ----------------------------------------------------------

    def pick_authors(self, k: int) -> list[Author]:
        weights, chosen = self.author_weights, {}
        while len(chosen) < k:
            author = self.authors[bisect(weights, self.rng.random() * weights[-1])]
            chosen[author.pk] = author
        return list(chosen.values())

    def dates(self, status: str) -> tuple[str, datetime.date, datetime.datetime]:
        rng = self.rng
        if status == "later":
            day = self.today + datetime.timedelta(days=rng.randint(1, 60))
        else:
            day = self.today - datetime.timedelta(days=rng.randint(0, YEARS * 365))
        moment = datetime.datetime.combine(
            day, datetime.time(rng.randint(7, 18), rng.choice((0, 15, 30, 45)))
        ).replace(tzinfo=self.tz)
        if status == "visible" and moment > self.now:  # today, later than now
            moment = self.now - datetime.timedelta(minutes=1)
        db_status = {
            "visible": Status.PUBLISHED,
            "later": Status.PUBLISHED,
            "draft": Status.DRAFT,
            "review": Status.REVIEW,
        }.get(status, Status.ARCHIVED)
        return db_status, day, moment

    def plan_one(self, taken_slugs: set) -> dict:
        rng, writer = self.rng, self.writer
        lang = FR if rng.random() < FRENCH_SHARE else EN
        roll = rng.random()
        status = next((name for share, name in STATUS_SHARES if roll < share), "gone")
        db_status, day, moment = self.dates(status)
        kind = self.types[
            bisect(self.type_weights, rng.random() * self.type_weights[-1])
        ]
        topic, region = writer.pick_topic(), writer.pick_region()
        title = writer.title(lang, topic, region, day.year)
        teaser, body, pdf_text = writer.texts(lang, topic, region, title)
        authors = self.pick_authors(rng.choice((1, 1, 1, 2, 2, 3, 4)))
        center = self.author_center[authors[0].pk]
        if rng.random() < 0.2:
            center = rng.choice(self.centers)
        extra_center = rng.choice(self.centers) if rng.random() < 0.08 else None
        tags: dict[Tagged, None] = dict.fromkeys((topic, region))
        wanted = rng.randint(2, 5)
        while len(tags) < wanted:
            pick = writer.pick_topic if rng.random() < 0.6 else writer.pick_region
            tags[pick()] = None
        has_pdf = rng.random() >= NO_PDF_SHARE.get(kind.slug, 0.05)
        external = kind.slug == "external-articles"
        slug = reference.unique(slugify(title), taken_slugs)
        publication = Publication(
            title=title,
            subtitle=writer.subtitle(lang) if rng.random() < 0.2 else "",
            slug=slug,
            type=kind,
            language=lang,
            teaser=teaser,
            body=body,
            center=center,
            is_featured=rng.random() < 0.005,
            status=db_status,
            publication_date=day,
            publish_at=moment,
            publisher=rng.choice(JOURNALS) if external else "",
            volume=str(rng.randint(1, 40)) if external else "",
            issue=str(rng.randint(1, 4)) if external else "",
            pages=writer.page_range() if external else "",
        )
        if has_pdf:
            # FileField names hold 100 characters: a short, still unique name.
            digest = hashlib.sha256(slug.encode()).hexdigest()[:10]
            publication.pdf = f"pdf/synthetic/{slug[:60]}-{digest}.pdf"
            publication.pdf_size = len(pdf_text) * 12
            publication.pdf_pages = len(pdf_text) // 2_500 + 1
        return {
            "publication": publication,
            "authors": authors,
            "translator": rng.choice(self.authors)
            if lang == FR and rng.random() < 0.05
            else None,
            "extra_center": extra_center,
            "tags": [self.tags[t.en if lang == EN else t.fr] for t in tags],
            "pdf_text": pdf_text if has_pdf else None,
        }

    def write_batch(self, plans: list[dict]) -> list[int]:
        publications = Publication.objects.bulk_create(
            [plan["publication"] for plan in plans], batch_size=self.batch
        )
        authorships, tagged, centers, versions = [], [], [], []
        for plan, publication in zip(plans, publications, strict=True):
            pk = publication.pk
            for order, author in enumerate(plan["authors"]):
                authorships.append(
                    Authorship(publication_id=pk, author_id=author.pk, order=order)
                )
            if (translator := plan["translator"]) and translator not in plan["authors"]:
                authorships.append(
                    Authorship(
                        publication_id=pk,
                        author_id=translator.pk,
                        order=len(plan["authors"]),
                        role=Role.TRANSLATOR,
                    )
                )
            tagged.extend(tag_links(pk, plan["tags"]))
            extra = plan["extra_center"]
            if extra is not None and extra.pk != publication.center_id:
                centers.append(
                    Publication.additional_centers.through(
                        publication_id=pk, researchcenter_id=extra.pk
                    )
                )
            if (text := plan["pdf_text"]) is not None:
                versions.append(
                    PdfVersion(
                        publication_id=pk,
                        file=publication.pdf.name,
                        size=publication.pdf_size,
                        pages=publication.pdf_pages,
                        sha256=hashlib.sha256(text.encode()).hexdigest(),
                        language="fr-FR" if publication.language == FR else "en-GB",
                        text=text,
                        uploaded_at=publication.publish_at,
                        is_current=True,
                    )
                )
        Authorship.objects.bulk_create(authorships, batch_size=self.batch)
        Publication.tags.through.objects.bulk_create(tagged, batch_size=self.batch)
        Publication.additional_centers.through.objects.bulk_create(
            centers, batch_size=self.batch
        )
        PdfVersion.objects.bulk_create(versions, batch_size=self.batch)
        return [p.pk for p in publications]

    def run(self) -> list[int]:
        """Plan each batch in a helper thread while the previous one is written:
        the database works on one core while Python prepares on the other.
        Only the helper draws random numbers, so the seed still decides all."""
        start = time.perf_counter()
        self.prepare()
        taken = set(Publication.objects.values_list("slug", flat=True))
        sizes = [
            min(self.batch, self.count - first)
            for first in range(0, self.count, self.batch)
        ]

        def plan(size):
            return [self.plan_one(taken) for _ in range(size)]

        ids = []
        with ThreadPoolExecutor(max_workers=1) as planner:
            upcoming = planner.submit(plan, sizes[0])
            for next_size in [*sizes[1:], None]:
                plans = upcoming.result()
                if next_size:
                    upcoming = planner.submit(plan, next_size)
                ids += self.write_batch(plans)
                self.log(
                    f"{len(ids):,}/{self.count:,} publications "
                    f"({time.perf_counter() - start:.1f} s)"
                )
        return ids


# The tables the command writes to, analysed at the end so that the planner
# knows their new size at once rather than at autovacuum's next pass.
FILLED_MODELS = (
    Publication,
    Publication.additional_centers.through,
    Publication.tags.through,
    Tag,
    Authorship,
    PdfVersion,
    Author,
    Author.centers.through,
)


def analyze(models) -> None:
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
