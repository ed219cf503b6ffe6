"""The checks before publishing (publications/readiness.py): what blocks
publishing, what only warns, and the PDF facts they read, which uploads
record once."""

import io

import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject

from publications.choices import CitationType, Language, Role
from publications.documents import check_pdf
from publications.models import Authorship, PdfVersion, Publication, RelatedLink
from publications.readiness import (
    MESSAGES,
    TEASER_MAX_LENGTH,
    check_publication,
    check_publications,
)

from ..factories import (
    AuthorFactory,
    PublicationFactory,
    PublicationTypeFactory,
    RelatedLinkFactory,
    journal_article_type,
)
from ..helpers import make_image_bytes
from . import pdf_files

pytestmark = pytest.mark.django_db


def ready(**kwargs) -> Publication:
    """A publication every check passes, but for what a test changes."""
    kwargs.setdefault("authors", [AuthorFactory()])
    kwargs.setdefault("tags", ["Energy"])
    kwargs.setdefault("with_accessible_pdf", True)
    return PublicationFactory(**kwargs)


def codes(findings) -> list[str]:
    return [finding.code for finding in findings]


def test_a_complete_publication_passes_every_check():
    readiness = check_publication(ready(with_image=True))

    assert readiness.is_clear
    assert readiness.can_publish


# Blockers --------------------------------------------------------------------


def test_publication_without_author_is_blocked_with_its_message():
    readiness = check_publication(ready(authors=[]))

    assert codes(readiness.blockers) == ["no_author"]
    assert readiness.blockers[0].message == str(MESSAGES["no_author"])
    assert not readiness.can_publish


@pytest.mark.parametrize(
    "role,blocked",
    [(Role.EDITOR, False), (Role.TRANSLATOR, True), (Role.INTERVIEWER, True)],
)
def test_an_editor_signs_a_work_a_translator_alone_does_not(role, blocked):
    publication = ready(authors=[])
    Authorship.objects.create(
        publication=publication, author=AuthorFactory(), role=role
    )

    assert ("no_author" in codes(check_publication(publication).blockers)) is blocked


@pytest.mark.parametrize(
    "fields,code",
    [
        ({"main_image_alt": ""}, "main_image_alt"),
        ({"main_image_credit": " "}, "main_image_credit"),
    ],
)
def test_main_image_needs_alt_text_and_credit(fields, code):
    publication = ready(with_image=True)
    Publication.objects.filter(pk=publication.pk).update(**fields)  # a script's doing
    publication.refresh_from_db()

    assert codes(check_publication(publication).blockers) == [code]


def test_cover_image_needs_alt_text_and_credit():
    publication = ready(
        cover_image=ContentFile(make_image_bytes("PNG"), "cover.png"),
        cover_image_alt="A map of the Sahel",
    )

    assert codes(check_publication(publication).blockers) == ["cover_image_credit"]


@pytest.mark.parametrize(
    "kind", [CitationType.JOURNAL_ARTICLE, CitationType.CHAPTER], ids=str
)
def test_article_or_chapter_without_its_journal_or_book_is_blocked(kind):
    kind_type = PublicationTypeFactory(
        slug=f"type-{kind}", name=kind.label, plural_name=kind.label, citation_type=kind
    )
    publication = ready(type=kind_type, publisher="")

    [blocker] = check_publication(publication).blockers
    assert blocker.code == "citation_no_container"
    assert str(kind.label).lower() in blocker.message
    assert check_publication(ready(type=kind_type, publisher="Survival")).is_clear


def test_op_ed_of_our_own_needs_no_newspaper_but_its_pages_do():
    """An article or interview with no newspaper entered is cited as the
    institute's own (publications/citations.py); volume, issue or pages say
    it appeared elsewhere, and the citation would drop them."""
    op_eds = PublicationTypeFactory(
        slug="op-eds",
        name="Op-ed",
        plural_name="Op-eds",
        citation_type=CitationType.NEWSPAPER_ARTICLE,
    )

    assert check_publication(ready(type=op_eds)).is_clear
    blockers = check_publication(ready(type=op_eds, pages="12-14")).blockers
    assert codes(blockers) == ["citation_details_without_container"]


@pytest.mark.parametrize("kind", ["report", "book"])
def test_report_or_book_stands_alone(kind):
    kind_type = PublicationTypeFactory(
        slug=f"type-{kind}", name=kind, plural_name=kind, citation_type=kind
    )

    assert check_publication(ready(type=kind_type)).is_clear


@pytest.mark.parametrize(
    "target", [{"draft": True}, {"scheduled": True}], ids=["draft", "scheduled"]
)
def test_related_link_to_a_publication_readers_cannot_see_is_blocked(target):
    publication = ready()
    hidden = PublicationFactory(title="Unfinished study", **target)
    RelatedLinkFactory(publication=publication, target=hidden)
    RelatedLinkFactory(publication=publication, target=PublicationFactory())
    RelatedLink.objects.create(
        publication=publication, url="https://example.org/", title="Dossier"
    )

    [blocker] = check_publication(publication).blockers
    assert blocker.code == "related_not_public"
    assert "“Unfinished study”" in blocker.message


def test_slug_another_publication_uses_is_blocked_before_the_database_refuses_it():
    PublicationFactory(slug="gas-grids")
    unsaved = Publication(
        title="Gas grids", slug="gas-grids", type=PublicationTypeFactory(), teaser="."
    )

    blockers = check_publication(unsaved).blockers
    assert codes(blockers) == ["no_author", "slug_taken"]  # nobody credited yet
    assert "“gas-grids”" in blockers[1].message


# Warnings -------------------------------------------------------------------


def test_publication_without_pdf_warns_but_may_be_published():
    readiness = check_publication(ready(with_accessible_pdf=False))

    assert codes(readiness.warnings) == ["no_pdf"]
    assert readiness.can_publish


@pytest.mark.parametrize(
    "options,expected",
    [
        ({"tagged": False}, ["pdf_untagged"]),
        ({"language": None}, ["pdf_no_language"]),
        ({"display_title": False}, ["pdf_title_not_shown"]),
        ({"title": None}, ["pdf_title_not_shown"]),
        (
            {"tagged": False, "language": None, "display_title": False},
            ["pdf_untagged", "pdf_no_language", "pdf_title_not_shown"],
        ),
    ],
    ids=["untagged", "no-language", "title-not-displayed", "no-title", "none"],
)
def test_pdf_below_the_basic_accessibility_level_warns(options, expected):
    pdf = ContentFile(pdf_files.accessibility_pdf(**options), name="analysis.pdf")
    publication = ready(with_accessible_pdf=False, pdf=pdf)

    readiness = check_publication(publication)

    assert codes(readiness.warnings) == expected
    assert readiness.can_publish


def test_pdf_stored_before_the_facts_were_read_warns_it_is_not_checked():
    publication = ready()
    PdfVersion.objects.update(is_tagged=None, shows_title=None)

    assert codes(check_publication(publication).warnings) == ["pdf_not_checked"]


def test_teaser_over_the_limit_warns_with_its_length():
    assert check_publication(ready(teaser="x" * TEASER_MAX_LENGTH)).is_clear

    [warning] = check_publication(ready(teaser="x" * 301)).warnings

    assert warning.code == "teaser_too_long"
    assert "301" in warning.message and str(TEASER_MAX_LENGTH) in warning.message


def test_publication_without_topics_warns():
    assert codes(check_publication(ready(tags=[])).warnings) == ["no_topics"]


def test_translations_are_linked_both_ways_by_the_relation_itself():
    """``translations`` is a symmetrical relation: linking A to B links B to
    A, so a translation linked one way only cannot happen. What is checked
    instead: the other version is in another language, and public."""
    english = ready(language=Language.ENGLISH)
    french = ready(language=Language.FRENCH)

    english.translations.add(french)

    assert list(french.translations.all()) == [english]
    assert check_publication(english).is_clear
    assert check_publication(french).is_clear


def test_translation_in_the_same_language_or_not_public_warns():
    publication = ready(language=Language.ENGLISH)
    publication.translations.add(
        PublicationFactory(title="Same tongue", language=Language.ENGLISH),
        PublicationFactory(title="Draft version", language=Language.FRENCH, draft=True),
    )

    warnings = check_publication(publication).warnings

    assert sorted((w.code, dict(w.params)["title"]) for w in warnings) == [
        ("translation_not_public", "Draft version"),
        ("translation_same_language", "Same tongue"),
    ]


# Queries --------------------------------------------------------------------


def test_checks_run_a_fixed_number_of_queries(django_assert_max_num_queries):
    publications = []
    for number in range(4):
        publication = ready(
            authors=[AuthorFactory() for _ in range(3)],
            tags=["Energy", "Sahel", f"Topic {number}"],
        )
        for _ in range(3):
            RelatedLinkFactory(publication=publication)
        publication.translations.add(*(PublicationFactory() for _ in range(2)))
        publications.append(publication)
    one = Publication.objects.select_related("type").get(pk=publications[0].pk)
    every = list(
        Publication.objects.select_related("type").filter(
            pk__in=[p.pk for p in publications]
        )
    )

    # Credits, related links, translations, the linked publications (public
    # or not), topics, the current PDF's facts, slugs.
    with django_assert_max_num_queries(7):
        check_publication(one)
    with django_assert_max_num_queries(7):
        results = check_publications(every)

    assert len(results) == 4


# The PDF facts, read once at upload ------------------------------------------


@pytest.mark.parametrize(
    "options,tagged,language,shows_title",
    [
        ({}, True, "en-GB", True),
        ({"tagged": False}, False, "en-GB", True),
        ({"language": None}, True, "", True),
        ({"display_title": False}, True, "en-GB", False),
        ({"title": None}, True, "en-GB", False),
        ({"title": None, "xmp_title": "Energy in XMP"}, True, "en-GB", True),
    ],
    ids=["accessible", "untagged", "no-language", "not-displayed", "no-title", "xmp"],
)
def test_upload_check_reads_the_accessibility_facts(
    options, tagged, language, shows_title
):
    data = pdf_files.accessibility_pdf(**options)

    report = check_pdf(ContentFile(data, name="analysis.pdf"))

    assert (report.tagged, report.language, report.shows_title) == (
        tagged,
        language,
        shows_title,
    )


def test_structure_tree_without_the_marked_flag_is_not_tagged():
    """PDF/UA asks for both the structure tree and /MarkInfo /Marked true."""
    data = pdf_files.accessibility_pdf()
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    del writer.root_object[NameObject("/MarkInfo")]

    report = check_pdf(ContentFile(pdf_files.written(writer), name="a.pdf"))

    assert report.tagged is False


def test_upload_records_the_facts_on_the_pdf_version():
    pdf = ContentFile(pdf_files.accessibility_pdf(tagged=False), name="analysis.pdf")
    publication = PublicationFactory(pdf=pdf)

    version = publication.pdf_versions.get(is_current=True)

    assert (version.is_tagged, version.language, version.shows_title) == (
        False,
        "en-GB",
        True,
    )


def test_command_reads_the_facts_of_pdfs_stored_before_and_only_those(capsys):
    older = PublicationFactory(
        pdf=ContentFile(pdf_files.accessibility_pdf(), name="older.pdf")
    )
    untagged = PublicationFactory(
        pdf=ContentFile(pdf_files.accessibility_pdf(tagged=False), name="u.pdf")
    )
    PdfVersion.objects.update(is_tagged=None, shows_title=None, language="")
    read_already = PublicationFactory(with_accessible_pdf=True)

    call_command("check_pdf_accessibility")

    facts = dict(PdfVersion.objects.values_list("publication", "is_tagged"))
    assert facts == {older.pk: True, untagged.pk: False, read_already.pk: True}
    assert PdfVersion.objects.get(publication=older).language == "en-GB"
    assert "Read 2 PDFs; 0 could not be read." in capsys.readouterr().out

    call_command("check_pdf_accessibility")

    assert "Read 0 PDFs" in capsys.readouterr().out


def test_command_reports_a_stored_file_it_cannot_read(capsys):
    publication = PublicationFactory(with_pdf=True)
    PdfVersion.objects.update(is_tagged=None)
    publication.pdf.storage.delete(publication.pdf.name)

    call_command("check_pdf_accessibility")

    out, err = capsys.readouterr()
    assert "Read 0 PDFs; 1 could not be read." in out
    assert publication.pdf.name in err
    assert PdfVersion.objects.get().is_tagged is None


def test_journal_type_of_the_factories_needs_its_journal():
    assert codes(check_publication(ready(type=journal_article_type())).blockers) == [
        "citation_no_container"
    ]
