"""The checks before publishing: what a publication must have (blockers) and
what it should have (warnings) before readers see it.

One definition, used by the admin's change form, its bulk "publish" action
and the checklist beside the form (publications/publishing_admin.py).
``check_publication()`` reads a stored publication; ``assess()`` is the rules
themselves, a pure function of a publication's fields and its ``Contents``
(its credits, links, topics, translations and PDF), which the change form
builds from what the editor is about to save instead.

Loading the contents takes a fixed number of queries for any number of
publications (``load_contents``), so checking a whole selection costs no more
than checking one.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from .choices import CitationType, Role
from .models import Authorship, PdfVersion, Publication, RelatedLink, TaggedPublication

# Lists, cards and search engines show about this much of a teaser.
TEASER_MAX_LENGTH = 300
# Roles that sign a work: a citation names them first.
SIGNING_ROLES = {Role.AUTHOR, Role.EDITOR}
# Kinds of work cited by the journal or book they are part of: without it the
# citation names no source (citations.csl_json()).
NEEDS_CONTAINER = {CitationType.JOURNAL_ARTICLE, CitationType.CHAPTER}
# Kinds of work that, with no newspaper entered, are cited as the institute's
# own (citations._for_citeproc), unless volume, issue or pages say otherwise.
OWN_SERIES_POSSIBLE = {CitationType.NEWSPAPER_ARTICLE, CitationType.INTERVIEW}

MESSAGES = {
    # Blockers
    "no_author": _("No author: credit at least one author or editor in “Authors”."),
    "main_image_alt": _(
        "The main image has no alternative text describing it for readers "
        "who cannot see it."
    ),
    "main_image_credit": _("The main image has no credit (photographer or rights)."),
    "cover_image_alt": _(
        "The cover image has no alternative text describing it for readers "
        "who cannot see it."
    ),
    "cover_image_credit": _("The cover image has no credit (photographer or rights)."),
    "citation_no_container": _(
        "The citation would be incomplete: a %(kind)s is cited with the "
        "journal or book it appeared in. Fill in “Published in”."
    ),
    "citation_details_without_container": _(
        "The citation would be incomplete: volume, issue or pages are given "
        "but not the newspaper or journal they belong to. Fill in “Published in”."
    ),
    "related_not_public": _(
        "The related link to “%(title)s” points to a publication readers cannot "
        "see (not published, or not live yet). Publish it first or remove the link."
    ),
    "slug_taken": _(
        "Another publication already uses the address “%(slug)s”: choose another slug."
    ),
    # Warnings
    "no_pdf": _("No full-analysis PDF."),
    "pdf_not_checked": _(
        "The PDF's accessibility has not been checked yet (it was stored before "
        "these checks existed)."
    ),
    "pdf_untagged": _(
        "The PDF is not tagged: it has no structure tree, so screen readers "
        "cannot follow its headings, lists and reading order. Export it again "
        "as a tagged (accessible) PDF."
    ),
    "pdf_no_language": _(
        "The PDF does not declare its language, which screen readers need to "
        "pronounce it."
    ),
    "pdf_title_not_shown": _(
        "PDF viewers will show the file name instead of the PDF's title: give "
        "the document a title and tick “display document title” when exporting."
    ),
    "teaser_too_long": _(
        "The teaser is %(length)s characters long; lists and search engines show "
        "about %(limit)s."
    ),
    "no_topics": _("No topics or regions: readers will not find it by topic."),
    "translation_same_language": _(
        "The translation “%(title)s” is in the same language as this publication."
    ),
    "translation_not_public": _(
        "The translation “%(title)s” is not public: readers will not be offered "
        "it until it is published."
    ),
}


@dataclass(frozen=True)
class Finding:
    """One problem: its code, and its message in the active language."""

    code: str
    params: tuple[tuple[str, object], ...] = ()

    @property
    def message(self) -> str:
        text = MESSAGES[self.code]
        return text % dict(self.params) if self.params else str(text)

    def __str__(self):
        return self.message


@dataclass(frozen=True)
class Readiness:
    blockers: tuple[Finding, ...]
    warnings: tuple[Finding, ...]

    @property
    def can_publish(self) -> bool:
        return not self.blockers

    @property
    def is_clear(self) -> bool:
        return not self.blockers and not self.warnings


@dataclass(frozen=True)
class Linked:
    """Another publication a publication points to."""

    pk: int
    title: str
    language: str
    is_public: bool


@dataclass(frozen=True)
class PdfFacts:
    """What the upload's check read from the current PDF (None: unknown)."""

    is_tagged: bool | None
    language: str
    shows_title: bool | None


@dataclass
class Contents:
    """What the checks read besides the publication's own fields."""

    roles: list[str] = field(default_factory=list)  # of the people credited
    related: list[Linked] = field(default_factory=list)  # related publications
    tags: list[str] = field(default_factory=list)
    translations: list[Linked] = field(default_factory=list)
    pdf: PdfFacts | None = None  # None: no PDF
    slug_taken: bool = False


# The rules -------------------------------------------------------------------


def assess(publication: Publication, contents: Contents) -> Readiness:
    """The blockers and warnings of ``publication`` with ``contents``.

    Reads the publication's fields and its type (load it with the publication:
    this runs no query of its own).
    """
    blockers, warnings = [], []
    if not SIGNING_ROLES.intersection(contents.roles):
        blockers.append(Finding("no_author"))
    for image in ("main_image", "cover_image"):
        if getattr(publication, image):
            for detail in ("alt", "credit"):
                if not (getattr(publication, f"{image}_{detail}") or "").strip():
                    blockers.append(Finding(f"{image}_{detail}"))
    blockers += _citation_blockers(publication)
    blockers += [
        Finding("related_not_public", (("title", linked.title),))
        for linked in contents.related
        if not linked.is_public
    ]
    if contents.slug_taken:
        blockers.append(Finding("slug_taken", (("slug", publication.slug),)))

    warnings += _pdf_warnings(contents.pdf)
    if (length := len(publication.teaser or "")) > TEASER_MAX_LENGTH:
        params = (("length", length), ("limit", TEASER_MAX_LENGTH))
        warnings.append(Finding("teaser_too_long", params))
    if not contents.tags:
        warnings.append(Finding("no_topics"))
    for linked in contents.translations:
        title = (("title", linked.title),)
        if linked.language == publication.language:
            warnings.append(Finding("translation_same_language", title))
        if not linked.is_public:
            warnings.append(Finding("translation_not_public", title))
    return Readiness(tuple(blockers), tuple(warnings))


def _citation_blockers(publication: Publication) -> list[Finding]:
    kind = publication.type.citation_type
    if publication.publisher:
        return []
    if kind in NEEDS_CONTAINER:
        label = CitationType(kind).label
        return [Finding("citation_no_container", (("kind", str(label).lower()),))]
    details = publication.volume or publication.issue or publication.pages
    if kind in OWN_SERIES_POSSIBLE and details:
        return [Finding("citation_details_without_container")]
    return []


def _pdf_warnings(pdf: PdfFacts | None) -> list[Finding]:
    if pdf is None:
        return [Finding("no_pdf")]
    if pdf.is_tagged is None:
        return [Finding("pdf_not_checked")]
    warnings = []
    if not pdf.is_tagged:
        warnings.append(Finding("pdf_untagged"))
    if not pdf.language:
        warnings.append(Finding("pdf_no_language"))
    if not pdf.shows_title:
        warnings.append(Finding("pdf_title_not_shown"))
    return warnings


# Reading what the rules need -------------------------------------------------


def check_publication(publication: Publication) -> Readiness:
    """The checks of a stored publication (or a new one, not saved yet)."""
    return check_publications([publication])[publication.pk]


def check_publications(publications: Iterable[Publication]) -> dict:
    """The checks of each publication, by primary key, in a fixed number of
    queries (load them with their ``type``)."""
    publications = list(publications)
    contents = load_contents(publications)
    return {p.pk: assess(p, contents[p.pk]) for p in publications}


def load_contents(publications: list[Publication]) -> dict:
    """Each publication's ``Contents`` as stored, by primary key: at most seven
    queries whatever their number."""
    contents = {p.pk: Contents() for p in publications}
    pks = [p.pk for p in publications if p.pk is not None]
    if pks:
        _load_relations(pks, contents)
    taken = slugs_taken([(p.pk, p.slug) for p in publications])
    for publication in publications:
        found = contents[publication.pk]
        found.slug_taken = publication.slug in taken
        if publication.pdf and found.pdf is None:  # a file with no version
            found.pdf = PdfFacts(None, "", None)
    return contents


def _load_relations(pks: list[int], contents: dict) -> None:
    credits = Authorship.objects.filter(publication__in=pks)
    for pk, role in credits.values_list("publication_id", "role"):
        contents[pk].roles.append(role)
    links = RelatedLink.objects.filter(publication__in=pks, target__isnull=False)
    targets = defaultdict(list)
    for pk, target in links.values_list("publication_id", "target_id"):
        targets[pk].append(target)
    translations = defaultdict(list)
    through = Publication.translations.through.objects.filter(from_publication__in=pks)
    for pk, other in through.values_list("from_publication_id", "to_publication_id"):
        translations[pk].append(other)
    linked = linked_publications(
        {*(t for ts in targets.values() for t in ts)}
        | {*(t for ts in translations.values() for t in ts)}
    )
    for pk in pks:
        contents[pk].related = [linked[t] for t in targets[pk] if t in linked]
        contents[pk].translations = [linked[t] for t in translations[pk] if t in linked]
    tagged = TaggedPublication.objects.filter(content_object__in=pks)
    for pk, name in tagged.values_list("content_object_id", "tag__name"):
        contents[pk].tags.append(name)
    current = PdfVersion.objects.filter(publication__in=pks, is_current=True)
    fields = ("publication_id", "is_tagged", "language", "shows_title")
    for pk, is_tagged, language, shows_title in current.values_list(*fields):
        contents[pk].pdf = PdfFacts(is_tagged, language, shows_title)


def linked_publications(pks: Iterable[int]) -> dict:
    """The publications ``pks`` as ``Linked``, whether each is public read
    from ``Publication.objects.published()``: one query (none for no pks)."""
    pks = set(pks)
    if not pks:
        return {}
    public = Publication.objects.published().filter(pk=OuterRef("pk"))
    rows = (
        Publication.objects.filter(pk__in=pks)
        .annotate(is_public=Exists(public))
        .values_list("pk", "title", "language", "is_public")
    )
    return {row[0]: Linked(*row) for row in rows}


def slugs_taken(pairs: list[tuple[int | None, str]]) -> set[str]:
    """The slugs of ``(pk, slug)`` pairs that another publication uses: one
    query. Slugs are unique in the database; this says so before a save
    would fail on it."""
    owners = Publication.objects.filter(slug__in=[slug for _, slug in pairs])
    owners = dict(owners.values_list("slug", "pk"))
    return {slug for pk, slug in pairs if owners.get(slug, pk) != pk}
