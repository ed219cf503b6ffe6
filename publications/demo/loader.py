"""Write the demo catalogue: centers, authors, types, publications and links.

A fixed random seed makes two runs produce the same catalogue; only the
stored file names and the dates of drafts and scheduled items, which follow
today's date, differ. The caller runs load() in a transaction and calls
remove_files() if it fails: rows roll back, stored files do not.
"""

import datetime
import os
import random
from concurrent.futures import ThreadPoolExecutor

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import models
from django.utils import translation
from django.utils.formats import date_format
from django.utils.text import slugify

from authors.models import Author
from centers.models import ResearchCenter
from ifri.images import delete_renditions, make_renditions
from publications.documents import check_pdf
from publications.models import (
    Authorship,
    Publication,
    PublicationType,
    RelatedLink,
    SearchSuggestion,
)

from . import writing
from .data import (
    BOOK,
    CAPTION,
    CENTERS,
    COVER_CREDIT,
    EXTERNAL,
    FR,
    ILLUSTRATION_CREDIT,
    JOURNALS,
    KINDS,
    PALETTE,
    PEOPLE,
    PHOTO_CREDIT,
    REPORT,
    SEARCH_SUGGESTIONS,
    SHAPES,
)
from .images import draw_artwork, draw_cover, draw_portrait
from .pdfs import draw_pdf
from .plan import Credits, Plan, choose_related, plan_publications
from .writing import typeset

SEED = 2026


def side_by_side(work, items) -> None:
    """``work(item)`` for every item, in as many threads as CPUs; the first
    exception is raised once all have run."""
    with ThreadPoolExecutor(max_workers=os.cpu_count() or 1) as pool:
        list(pool.map(work, items))


class DemoLoader:
    def __init__(self, now: datetime.datetime):
        self.rng = random.Random(SEED)  # noqa: S311 (demo data, not secrets)
        self.now = now
        self.site = settings.SITE_NAME
        self.written = []  # (storage, name) of every file stored so far
        self.images = []  # (storage, name) of the images among them
        self.slugs = {}
        self.centers = []
        self.authors = []
        self.author_centers = {}  # author pk -> indexes in self.centers
        self.kinds = {}
        self.external_count = 0
        self.credits = None  # a Credits, once the authors exist

    # Files ----------------------------------------------------------------

    def store(self, instance, **files):
        """Save a model instance with new files (field name -> ContentFile),
        remembering every file its save stored.

        The model's save checks, cleans and stores new files, and deletes
        them itself if the row then fails to save.
        """
        for name, content in files.items():
            setattr(instance, name, content)
        instance.full_clean()
        instance.save()
        for f in instance._meta.concrete_fields:
            if isinstance(f, models.FileField) and (
                stored := getattr(instance, f.attname)
            ):
                self.written.append((stored.storage, stored.name))
                if isinstance(f, models.ImageField):
                    self.images.append((stored.storage, stored.name))
        return instance

    def remove_files(self):
        for storage, name in self.written:
            try:
                storage.delete(name)
            except OSError:
                pass
        for storage, name in self.images:
            try:
                delete_renditions(storage, name)
            except OSError:
                pass
        self.written.clear()
        self.images.clear()

    def make_renditions(self):
        """Make every image's renditions side by side (Pillow resizes and
        encodes outside the GIL). The saves asked for them once the
        transaction commits, one after the other; they then find them made."""
        side_by_side(lambda image: make_renditions(*image), self.images)

    # Helpers --------------------------------------------------------------

    def unique_slug(self, model, text, max_length=200):
        taken = self.slugs.get(model)
        if taken is None:
            taken = self.slugs[model] = set(
                model.objects.values_list("slug", flat=True)
            )
        base = slugify(text)[:max_length].strip("-") or "item"
        slug, n = base, 2
        while slug in taken:
            suffix = f"-{n}"
            slug, n = base[: max_length - len(suffix)] + suffix, n + 1
        taken.add(slug)
        return slug

    def colors(self, first=None, second=None):
        a = PALETTE[first if first is not None else self.rng.randrange(len(PALETTE))]
        b = (
            PALETTE[second]
            if second is not None
            else self.rng.choice([p for p in PALETTE if p != a])
        )
        return a, b

    # Steps ----------------------------------------------------------------

    def load(self) -> list[Plan]:
        self.create_types()
        self.create_centers()
        self.create_authors()
        self.credits = Credits(self.rng, self.authors, self.author_centers)
        plans = plan_publications(self.rng, self.now)
        drawn = [self.draw_publication(plan) for plan in plans]
        self.check_pdfs([files["pdf"] for _publication, files in drawn])
        for plan, (publication, files) in zip(plans, drawn, strict=True):
            self.create_publication(plan, publication, files)
        self.link_translations(plans)
        self.link_related(plans)
        self.create_search_suggestions()
        self.make_renditions()
        return plans

    def create_search_suggestions(self):
        if SearchSuggestion.objects.exists():  # the editors' own are kept
            return
        SearchSuggestion.objects.bulk_create(
            SearchSuggestion(term=term, language=language, order=order)
            for order, (term, language) in enumerate(SEARCH_SUGGESTIONS, start=1)
        )

    def create_types(self):
        for order, kind in enumerate(KINDS, start=1):
            obj, _ = PublicationType.objects.get_or_create(
                slug=kind.slug,
                defaults={
                    "name_en": kind.name[0],
                    "name_fr": kind.name[1],
                    "plural_name_en": kind.plural[0],
                    "plural_name_fr": kind.plural[1],
                    "order": order * 10,
                    "citation_type": kind.citation_type,
                },
            )
            self.kinds[kind.slug] = obj

    def create_centers(self):
        for order, data in enumerate(CENTERS, start=1):
            a, b = self.colors(*data.colours)
            alt = writing.artwork_alt(data.shape, a, b)
            center = ResearchCenter(
                slug=self.unique_slug(ResearchCenter, data.slug),
                name_en=data.name[0],
                name_fr=data.name[1],
                teaser_en=data.teaser[0],
                teaser_fr=typeset(data.teaser[1], FR),
                description_en=data.description[0],
                description_fr=typeset(data.description[1], FR),
                image_alt_en=alt[0],
                image_alt_fr=alt[1],
                image_credit=ILLUSTRATION_CREDIT[0],
                order=order * 10,
            )
            artwork = draw_artwork(self.rng, (1200, 675), a.rgb, b.rgb, data.shape)
            self.centers.append(
                self.store(center, image=ContentFile(artwork, name=f"{data.slug}.jpg"))
            )

    def create_authors(self):
        for person in PEOPLE:
            name = f"{person.given} {person.family}"
            a, b = self.colors()
            de = "d'" if person.given[0].lower() in "aeiouyàâéèêëîïôù" else "de "
            author = Author(
                given_name=person.given,
                family_name=person.family,
                slug=self.unique_slug(Author, name),
                job_title_en=person.job_title[0],
                job_title_fr=person.job_title[1],
                bio_en=person.bio[0],
                bio_fr=typeset(person.bio[1], FR),
                photo_alt_en=f"Stylised silhouette in place of a portrait of {name}",
                photo_alt_fr=f"Silhouette stylisée tenant lieu de portrait {de}{name}",
                photo_credit=PHOTO_CREDIT,
                orcid=person.orcid,
                affiliation=person.affiliation,
            )
            portrait = draw_portrait(self.rng, a.rgb, b.rgb)
            self.store(author, photo=ContentFile(portrait, name="portrait.jpg"))
            author.centers.set([self.centers[i] for i in person.centers])
            self.author_centers[author.pk] = person.centers
            self.authors.append(author)

    def check_pdfs(self, pdfs: list[ContentFile]):
        """Check the PDFs side by side, each in its child process, before
        the publications are saved: their saves then take the reports kept
        by check_pdf instead of checking each file again in turn."""
        side_by_side(check_pdf, pdfs)

    def draw_publication(self, plan: Plan) -> tuple[Publication, dict]:
        """The publication of ``plan`` and its files, not saved yet."""
        rng, i, kind = self.rng, plan.i, plan.kind
        title, subtitle = writing.title_for(plan)
        n_recommendations = rng.choice((3, 4))
        teaser = writing.teaser_for(rng, plan, n_recommendations)
        body = writing.body_for(rng, plan, n_recommendations)
        credits = plan.extra["credits"] = self.credits.pick(plan, self.external_count)
        a, b = self.colors()
        shape = rng.choice(list(SHAPES))
        publication = Publication(
            title=title,
            subtitle=subtitle,
            slug=self.unique_slug(Publication, title.replace("'", " ") if i else title),
            type=self.kinds[kind.slug],
            language=plan.lang,
            teaser=teaser,
            body=writing.body_html(body, plan.lang),
            main_image_alt=writing.artwork_alt(shape, a, b)[i],
            main_image_caption=CAPTION[i],
            main_image_credit=ILLUSTRATION_CREDIT[i],
            center=self.centers[plan.subject.center],
            is_featured=plan.featured,
            status=plan.status,
            publication_date=plan.date,
            publish_at=plan.publish_at,
        )
        artwork = draw_artwork(rng, (1200, 675), a.rgb, b.rgb, shape)
        files = {"main_image": ContentFile(artwork, name="main.jpg")}
        if kind.slug in (REPORT, BOOK) and rng.random() < 0.6:
            cover = draw_cover(rng, a.rgb, b.rgb)
            files["cover_image"] = ContentFile(cover, name="cover.jpg")
            publication.cover_image_alt = writing.cover_alt(title, plan.lang)
            publication.cover_image_credit = COVER_CREDIT[i]
        note = self.set_journal(publication, plan) if kind.slug == EXTERNAL else ""

        with translation.override(plan.lang):
            date_text = date_format(plan.date, "j F Y")
        pdf = draw_pdf(
            title=title,
            subtitle=subtitle,
            credits=writing.credit_lines(credits, plan.lang),
            date=date_text,
            kind=kind.name[i],
            note=note,
            sections=writing.pdf_sections(rng, plan, body, rng.randint(2, 6)),
            color=a.rgb,
            page_label=writing.page_label(plan.lang),
            site=self.site,
        )
        files["pdf"] = ContentFile(pdf, name=f"{publication.slug}.pdf")
        return publication, files

    def create_publication(self, plan: Plan, publication: Publication, files: dict):
        self.store(publication, **files)
        credits = plan.extra["credits"]
        Authorship.objects.bulk_create(
            Authorship(publication=publication, author=author, role=role, order=order)
            for order, (author, role) in enumerate(credits)
        )
        publication.tags.add(*plan.subject.tags)
        if plan.subject.extra_center is not None:
            publication.additional_centers.add(self.centers[plan.subject.extra_center])
        plan.publication = publication

    def set_journal(self, publication, plan: Plan) -> str:
        """Fill in where an external article first appeared; return a PDF note."""
        rng = self.rng
        self.external_count += 1
        journal, code = rng.choice(JOURNALS[plan.i][plan.subject.center])
        volume = str(plan.date.year - 2000 + rng.randint(0, 12))
        issue = str(rng.randint(1, 4))
        first_page = rng.randint(5, 180)
        publication.publisher = journal
        publication.volume = volume
        publication.issue = issue
        publication.pages = f"{first_page}-{first_page + rng.randint(12, 30)}"
        publication.external_url = (
            f"https://journals.example.org/{code}/{volume}/{issue}/{publication.slug}"
        )
        if self.external_count % 4:  # most journal articles have a DOI
            year = plan.date.year
            publication.doi = f"10.5555/{code}.{year}.{rng.randint(100, 999)}"
        return writing.journal_note(
            plan, journal=journal, volume=volume, issue=issue, pages=publication.pages
        )

    def link_translations(self, plans: list[Plan]):
        for plan in plans:
            if plan.translation_of:
                plan.publication.translations.add(plan.translation_of.publication)

    def link_related(self, plans: list[Plan]):
        links = []
        for plan, targets, dossier in choose_related(self.rng, plans, self.now):
            links += [
                RelatedLink(
                    publication=plan.publication, target=target.publication, order=order
                )
                for order, target in enumerate(targets)
            ]
            if dossier:
                label, title = writing.partner_dossier(plan)
                links.append(
                    RelatedLink(
                        publication=plan.publication,
                        url=f"https://dossiers.example.org/{plan.subject.key}",
                        title=title,
                        label=label,
                        order=len(targets),
                    )
                )
        RelatedLink.objects.bulk_create(links)
