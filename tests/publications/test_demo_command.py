"""The demo loader (load_demo) and the first-superuser command (ensure_admin)."""

import io

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.db.models import Count, F
from pypdf import PdfReader

from authors.models import Author
from centers.models import ResearchCenter
from publications.management.commands import load_demo
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
    create = load_demo.DemoLoader.create_publication
    calls = []

    def create_then_fail(self, plan):
        calls.append(plan)
        if len(calls) == 4:
            raise RuntimeError("disk full")
        return create(self, plan)

    monkeypatch.setattr(load_demo.DemoLoader, "create_publication", create_then_fail)

    with pytest.raises(RuntimeError, match="disk full"):
        run("load_demo")

    assert len(calls) == 4
    assert not Publication.objects.exists()
    assert not Author.objects.exists()
    assert not ResearchCenter.objects.exists()
    assert stored_files(*storage_dirs) == []


@pytest.mark.django_db
def test_ensure_admin_uses_admin_password_once(monkeypatch):
    monkeypatch.setenv("ADMIN_PASSWORD", "first-Secret-42")

    output = run("ensure_admin")

    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    assert admin.check_password("first-Secret-42")
    assert "first-Secret-42" not in output

    monkeypatch.setenv("ADMIN_PASSWORD", "second-Secret-43")
    output = run("ensure_admin")

    admin.refresh_from_db()
    assert admin.check_password("first-Secret-42")
    assert "already exists" in output
    assert get_user_model().objects.count() == 1


@pytest.mark.django_db
def test_ensure_admin_generates_and_prints_a_password(monkeypatch):
    monkeypatch.delenv("ADMIN_PASSWORD", raising=False)

    output = run("ensure_admin")

    line = next(li for li in output.splitlines() if li.startswith("Admin account:"))
    password = line.split(" / ", 1)[1].strip()
    assert len(password) >= 16
    assert get_user_model().objects.get(username="admin").check_password(password)
