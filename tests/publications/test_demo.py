"""The demo package (publications/demo/) and the load_demo command."""

import datetime
import io
import random

import pytest
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from pypdf import PdfReader

from authors.models import Author
from centers.models import ResearchCenter
from publications.demo import data, images, loader, pdfs, synthetic, writing
from publications.demo.plan import Plan
from publications.models import (
    Authorship,
    Publication,
    PublicationType,
    RelatedLink,
    Role,
    SearchSuggestion,
    Status,
)
from publications.search import search

from ..factories import PublicationFactory


@pytest.fixture
def storage_dirs(settings):
    """The temporary media folders that tests/conftest.py gives every test."""
    return settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT


def stored_files(*folders):
    return sorted(p for folder in folders for p in folder.rglob("*") if p.is_file())


def run(*args):
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def orcid_checksum_ok(orcid: str) -> bool:
    digits = orcid.replace("-", "")
    total = 0
    for char in digits[:-1]:
        total = (total + int(char)) * 2
    check = (12 - total % 11) % 11
    return digits[-1] == ("X" if check == 10 else str(check))


@pytest.mark.django_db
def test_load_demo_fills_an_empty_database(storage_dirs, commit):
    with commit():  # search vectors are refreshed on commit
        output = run("load_demo")

    assert "Loaded demo content" in output
    assert ResearchCenter.objects.count() == 3
    assert Author.objects.count() == 12
    assert PublicationType.objects.count() == 5
    publications = Publication.objects.all()
    assert 55 <= publications.count() <= 65
    assert stored_files(*storage_dirs), "images and PDFs are stored under tmp_path"

    # Centers, types and authors exist in both languages.
    for center in ResearchCenter.objects.all():
        assert center.name_fr and center.name_fr != center.name_en
        assert center.teaser_en and center.teaser_fr and center.description_fr
        assert center.image and center.image_alt_en and center.image_alt_fr
        assert center.image_credit
    assert set(PublicationType.objects.values_list("plural_name_fr", flat=True)) == {
        "Articles externes",
        "Rapports",
        "Notes",
        "Ouvrages",
        "Tribunes",
    }
    names = {a.full_name for a in Author.objects.all()}
    assert {"Élodie Lefèvre", "Siobhan O'Neill"} <= names
    for author in Author.objects.all():
        assert author.job_title_en and author.job_title_fr and author.bio_fr
        assert author.photo and author.photo_alt_en and author.photo_credit
    outsiders = Author.objects.exclude(affiliation="")
    assert outsiders.count() == 2
    assert all(orcid_checksum_ok(a.orcid) for a in outsiders)
    assert not Author.objects.filter(affiliation="", centers=None).exists()

    # A varied catalogue: languages, statuses, years, types.
    assert set(publications.values_list("language", flat=True)) == {"en", "fr"}
    assert publications.filter(status=Status.DRAFT).exists()
    assert publications.filter(status=Status.REVIEW).exists()
    assert publications.filter(status=Status.ARCHIVED).count() == 1
    assert any(p.is_scheduled for p in publications)
    assert publications.published().count() >= 40
    years = {d.year for d in publications.values_list("publication_date", flat=True)}
    assert set(range(2019, 2027)) <= years
    assert publications.filter(is_featured=True).count() == 3
    assert {p.type.slug for p in publications} == {
        "external-articles",
        "reports",
        "briefings",
        "books",
        "op-eds",
    }

    # Several ordered authors, with an editor and a translator somewhere.
    counts = publications.annotate(n=Count("authorships"))
    assert counts.filter(n=1).exists()
    assert counts.filter(n__gte=3).exists()
    roles = set(Authorship.objects.values_list("role", flat=True))
    assert {Role.AUTHOR, Role.EDITOR, Role.TRANSLATOR} <= roles

    # External articles say where they first appeared.
    external = publications.filter(type__slug="external-articles")
    assert external.exists()
    for article in external:
        assert article.publisher and article.volume and article.issue
        assert article.pages and article.external_url.startswith("https://")
    assert external.exclude(doi="").exists()
    assert not publications.exclude(type__slug="external-articles").exclude(
        publisher=""
    )

    # Translations link a French and an English version, both ways.
    pairs = publications.filter(translations__isnull=False).distinct()
    assert pairs.count() >= 8
    for publication in pairs:
        other = publication.translations.get()
        assert {publication.language, other.language} == {"en", "fr"}
        assert publication in other.translations.all()

    # Related publications in order, and external partner dossiers.
    internal = RelatedLink.objects.filter(target__isnull=False)
    assert internal.count() >= 40
    assert not internal.filter(target=F("publication")).exists()
    dossiers = RelatedLink.objects.filter(target__isnull=True)
    assert dossiers.exists()
    for link in dossiers:
        assert link.url.startswith("https://dossiers.example.org/")
        assert link.title and link.label in {"Partner dossier", "Dossier partenaire"}

    # Every publication: images with alt text, a structured body, its own PDF.
    for publication in publications:
        assert publication.main_image and publication.main_image_alt
        assert publication.main_image_credit and publication.main_image_caption
        if publication.cover_image:
            assert publication.cover_image_alt
        for tag in ("<h2>", "<ul>", "<blockquote>", "<a href="):
            assert tag in publication.body
        with publication.pdf.open("rb") as pdf:
            reader = PdfReader(pdf)
            assert len(reader.pages) > 1
            assert publication.pdf_pages == len(reader.pages)
            first_page = " ".join(reader.pages[0].extract_text().split())
        assert " ".join(publication.title.split()) in first_page
    assert publications.exclude(cover_image="").exists()
    assert len({p.pdf.name for p in publications}) == publications.count()

    french = publications.filter(language="fr").first()
    assert "Recommandations" in french.body
    assert "&nbsp;:" in french.body  # French spacing before a colon

    # The searches suggested beside the search box, for either language or
    # both, each find publications.
    suggestions = SearchSuggestion.objects.filter(is_active=True)
    assert {s.language for s in suggestions} == {"", "en", "fr"}
    for suggestion in suggestions:
        assert search(suggestion.term).total > 0, suggestion.term


@pytest.mark.django_db
def test_load_demo_if_empty_keeps_existing_content():
    PublicationFactory()
    before = (Publication.objects.count(), Author.objects.count())

    output = run("load_demo", "--if-empty")

    assert "kept" in output
    assert (Publication.objects.count(), Author.objects.count()) == before


@pytest.mark.django_db
def test_load_demo_refuses_a_database_with_publications():
    PublicationFactory()

    with pytest.raises(CommandError, match="already has publications"):
        run("load_demo")

    assert Publication.objects.count() == 1


@pytest.mark.django_db
def test_failed_load_leaves_no_rows_and_no_files(storage_dirs, monkeypatch):
    """A failure halfway rolls back the rows and deletes the files stored."""
    create = loader.DemoLoader.create_publication
    plan = loader.plan_publications
    calls = []

    def create_then_fail(self, plan, *args):
        calls.append(plan)
        if len(calls) == 4:
            raise RuntimeError("disk full")
        return create(self, plan, *args)

    # Six publications are drawn and checked, and the fourth fails.
    monkeypatch.setattr(loader, "plan_publications", lambda *a: plan(*a)[:6])
    monkeypatch.setattr(loader.DemoLoader, "create_publication", create_then_fail)

    with pytest.raises(RuntimeError, match="disk full"):
        run("load_demo")

    assert len(calls) == 4
    assert not Publication.objects.exists()
    assert not Author.objects.exists()
    assert not ResearchCenter.objects.exists()
    assert stored_files(*storage_dirs) == []


# The demo package's parts --------------------------------------------------


def test_type_counts_give_two_publications_per_subject():
    """An editor who adds a subject to subjects.toml adds two to the counts."""
    assert sum(kind.count for kind in data.KINDS) == 2 * len(data.SUBJECTS)
    for subject in data.SUBJECTS:
        assert all(subject.title) and all(subject.about) and subject.tags
    assert [data.PEOPLE[i].affiliation for i in data.EXTERNAL_PEOPLE]
    assert all(data.PEOPLE[i].orcid for i in data.EXTERNAL_PEOPLE)


def test_the_same_seed_draws_the_same_images_and_pdf():
    def artwork(seed):
        return images.draw_artwork(
            random.Random(seed),  # noqa: S311 (a seed, not a secret)
            (120, 68),
            (24, 54, 99),
            (222, 148, 40),
            "bands",
        )

    assert artwork(1) == artwork(1) != artwork(2)
    assert artwork(1).startswith(b"\xff\xd8\xff")  # a JPEG

    def pdf():
        return pdfs.draw_pdf(
            title="Marek Zieliński : la dissuasion",
            subtitle="",
            credits=["Marek Zieliński"],
            date="3 décembre 2026",
            kind="Note",
            note="",
            sections=[("Contexte", ["Une phrase."]), ("Conclusion", ["Une autre."])],
            color=(24, 54, 99),
            page_label="Page",
            site="Demo",
        )

    assert pdf() == pdf()
    reader = PdfReader(io.BytesIO(pdf()))
    assert len(reader.pages) == 3  # a title page, then a page per section
    assert "Zielinski" in reader.pages[0].extract_text()


def test_french_body_has_every_part_and_french_spacing():
    subject, kind = data.SUBJECTS[0], data.KINDS[0]
    plan = Plan(subject, kind, data.FR, angle=0, date=datetime.date(2025, 3, 1))

    body = writing.body_for(random.Random(5), plan, 4)  # noqa: S311
    html = writing.body_html(body, data.FR)

    assert html.startswith("<p>") and html.endswith("</p>")
    assert ">\n" not in html and "> <" not in html
    assert html.count("<h2>") == 4 and html.count("<li>") == 4
    assert "<blockquote><p>" in html
    assert f'<a href="https://data.example.org/{subject.key}">' in html
    assert "\u00a0:" in html  # the lead of the recommendations
    assert writing.typeset("« Oui ! »", data.EN) == "« Oui ! »"
    assert writing.typeset("« Oui ! »", data.FR) == "«\u00a0Oui\u00a0!\u00a0»"


def test_synthetic_writer_writes_the_same_texts_from_the_same_seed():
    def texts(seed):
        writer = synthetic.Writer(random.Random(seed), count=50)  # noqa: S311
        topic, region = writer.pick_topic(), writer.pick_region()
        title = writer.title(data.FR, topic, region, 2024)
        return title, writer.texts(data.FR, topic, region, title)

    title, (teaser, body, pdf_text) = texts(1)
    assert texts(1) == (title, (teaser, body, pdf_text)) != texts(2)
    assert " : " in title or " après " in title
    assert body.startswith("<h2>") and "<p>" in body
    assert len(pdf_text) >= 2_000 and pdf_text.startswith(title)
    assert synthetic.lower_first("Energy transition") == "energy transition"
    assert synthetic.lower_first("NATO") == "NATO"
