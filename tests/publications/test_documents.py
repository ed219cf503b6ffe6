"""Checking and storing full-analysis PDFs, whoever saves them: the checks in
their child process, what is recorded, versions, and hostile files."""

import hashlib
import io
import json
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http.multipartparser import MultiPartParser
from django.test.client import BOUNDARY, MULTIPART_CONTENT, encode_multipart
from PIL import Image

from ifri.upload_handlers import OversizedUpload
from publications import documents, pdfcheck
from publications.documents import (
    MESSAGES,
    PdfOutcome,
    check_pdf,
)
from publications.models import PdfVersion, Publication
from publications.pdf_names import publication_for_file_name, slug_candidates

from ..factories import PublicationFactory
from . import pdf_files


def upload(data: bytes, name: str = "analysis.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def refusal_codes(data: bytes, name: str = "analysis.pdf") -> list[str]:
    with pytest.raises(ValidationError) as caught:
        check_pdf(upload(data, name))
    return [error.code for error in caught.value.error_list]


def stored_files() -> set[Path]:
    return {
        path
        for folder in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
        for path in Path(folder).rglob("*")
        if path.is_file()
    }


# What an accepted PDF yields ------------------------------------------------


def test_accepted_pdf_reports_pages_fingerprint_text_title_and_language():
    data = pdf_files.text_pdf(
        pages=3, words="Gas grids and geopolitics", title="Gas grids", language="fr-FR"
    )

    report = check_pdf(upload(data))

    assert report.pages == 3
    assert report.size == len(data)
    assert report.sha256 == hashlib.sha256(data).hexdigest()
    assert report.title == "Gas grids"
    assert report.language == "fr-FR"
    for number in (1, 2, 3):
        assert f"Gas grids and geopolitics, page {number}" in report.text
    assert report.text_complete
    with Image.open(io.BytesIO(report.thumbnail)) as thumbnail:
        assert thumbnail.format == "WEBP"
        assert thumbnail.width == pdfcheck.THUMBNAIL_WIDTH
        assert thumbnail.height > thumbnail.width  # an A4/Letter page


def test_large_upload_on_disk_is_checked_where_it_lies(tmp_path):
    """Uploads over FILE_UPLOAD_MAX_MEMORY_SIZE arrive as temporary files."""
    from django.core.files.uploadedfile import TemporaryUploadedFile

    data = pdf_files.text_pdf(pages=2)
    temporary = TemporaryUploadedFile("big.pdf", "application/pdf", len(data), None)
    temporary.write(data)
    temporary.seek(0)

    report = check_pdf(temporary)

    assert report.sha256 == hashlib.sha256(data).hexdigest()
    assert report.pages == 2


def test_text_has_no_nul_bytes():
    data = pdf_files.one_page(
        content=b"BT /F1 12 Tf 72 720 Td (before\\000after) Tj ET"
    )

    report = check_pdf(upload(data))

    assert "\x00" not in report.text
    assert "beforeafter" in report.text


def test_text_is_cut_at_the_size_limit(monkeypatch):
    monkeypatch.setattr(documents, "PDF_TEXT_MAX_BYTES", 100)
    data = pdf_files.text_pdf(pages=10, words="A sentence long enough to fill")

    report = check_pdf(upload(data))

    assert 0 < len(report.text.encode()) <= 100
    assert report.text.startswith("A sentence long enough to fill, page 1")
    assert not report.text_complete


# Refusals ---------------------------------------------------------------------


@pytest.mark.parametrize(
    "make,code",
    [
        (pdf_files.open_action_javascript_pdf, "pdf_javascript"),
        (pdf_files.names_javascript_pdf, "pdf_javascript"),
        (pdf_files.page_additional_action_javascript_pdf, "pdf_javascript"),
        (pdf_files.link_javascript_pdf, "pdf_javascript"),
        (pdf_files.form_field_javascript_pdf, "pdf_javascript"),
        (pdf_files.escaped_name_javascript_pdf, "pdf_javascript"),
        (pdf_files.javascript_link_pdf, "pdf_javascript"),
        (pdf_files.disguised_javascript_link_pdf, "pdf_javascript"),
        (pdf_files.xfa_script_pdf, "pdf_form_script"),
        (pdf_files.compressed_xfa_script_pdf, "pdf_form_script"),
        (pdf_files.launch_pdf, "pdf_launch"),
        (pdf_files.form_field_additional_action_launch_pdf, "pdf_launch"),
        (pdf_files.open_action_submit_form_pdf, "pdf_automatic_action"),
        (pdf_files.catalog_additional_action_submit_form_pdf, "pdf_automatic_action"),
        (pdf_files.page_additional_action_import_data_pdf, "pdf_automatic_action"),
        (
            pdf_files.annotation_additional_action_remote_go_to_pdf,
            "pdf_automatic_action",
        ),
        (pdf_files.chained_open_action_submit_form_pdf, "pdf_automatic_action"),
        (pdf_files.open_action_rich_media_pdf, "pdf_rich_media"),
        (pdf_files.rich_media_annotation_pdf, "pdf_rich_media"),
        (pdf_files.attachment_pdf, "pdf_embedded_file"),
        (pdf_files.file_attachment_annotation_pdf, "pdf_embedded_file"),
        (pdf_files.encrypted_pdf, "pdf_encrypted"),
        (pdf_files.truncated_pdf, "pdf_unreadable"),
        (pdf_files.html_polyglot_pdf, "pdf_signature"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_active_content_and_broken_files_are_refused(make, code):
    assert refusal_codes(make()) == [code]


@pytest.mark.parametrize(
    "make",
    [
        pdf_files.link_to_another_document_pdf,
        pdf_files.xfa_form_without_script_pdf,
        pdf_files.whitespace_before_signature_pdf,
    ],
    ids=lambda make: make.__name__,
)
def test_links_forms_and_blank_lines_that_run_nothing_are_accepted(make):
    """A link the reader clicks to another document, a form without scripts,
    blank lines before the signature: nothing that runs by itself."""
    assert check_pdf(upload(make())).pages == 1


def test_polyglot_is_refused_by_the_command_line_check_too(tmp_path, capsys):
    path = tmp_path / "page.pdf"
    path.write_bytes(pdf_files.html_polyglot_pdf())

    status = pdfcheck.main([str(path)])

    assert status == 1
    assert json.loads(capsys.readouterr().out)["refused"] == ["pdf_signature"]


def test_every_reason_to_refuse_is_given_at_once():
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(
        clone_from=PdfReader(io.BytesIO(pdf_files.open_action_javascript_pdf()))
    )
    writer.add_attachment("notes.txt", b"Attached notes")

    assert refusal_codes(pdf_files.written(writer)) == [
        "pdf_javascript",
        "pdf_embedded_file",
    ]


def test_too_many_pages_is_refused_with_the_count_and_the_limit(settings):
    settings.PDF_MAX_PAGES = 2

    with pytest.raises(ValidationError) as caught:
        check_pdf(upload(pdf_files.text_pdf(pages=3)))

    assert caught.value.messages == [
        str(MESSAGES["pdf_too_many_pages"]) % {"pages": 3, "limit": 2}
    ]


def test_objects_referring_to_each_other_in_a_loop_are_read_once_and_accepted():
    report = check_pdf(upload(pdf_files.looping_references_pdf()))

    assert report.pages == 1
    assert "Hand-written page" in report.text


def test_deeply_nested_file_is_refused_as_too_complex():
    assert refusal_codes(pdf_files.deeply_nested_pdf()) == ["pdf_too_complex"]


def test_file_that_takes_too_long_is_stopped_and_refused(settings):
    """The child is killed at PDF_CHECK_TIMEOUT; the worker goes on."""
    settings.PDF_CHECK_TIMEOUT = 1.5
    data = pdf_files.slow_to_parse_pdf()

    started = time.monotonic()
    codes = refusal_codes(data)
    elapsed = time.monotonic() - started

    assert codes == ["pdf_too_complex"]
    assert elapsed < 15  # minutes of parsing, stopped at the limit
    settings.PDF_CHECK_TIMEOUT = 60
    assert check_pdf(upload(pdf_files.text_pdf())).pages == 2


def test_decompression_bomb_is_refused_within_the_memory_limit(settings):
    """PDFium aborts its process when it cannot allocate: only the child dies."""
    settings.PDF_CHECK_MEMORY = 320 * 1024 * 1024

    assert refusal_codes(pdf_files.decompression_bomb_pdf()) == ["pdf_too_complex"]
    assert check_pdf(upload(pdf_files.text_pdf())).pages == 2


def test_checks_run_in_another_process(monkeypatch):
    """A crash in the parsers cannot take the web worker with it."""
    import os

    pids = []
    original = pdfcheck.inspect

    def spy(*args):
        pids.append(os.getpid())
        return original(*args)

    monkeypatch.setattr(pdfcheck, "inspect", spy)  # only this process's copy

    check_pdf(upload(pdf_files.text_pdf()))

    assert pids == []  # never called here: the child has its own module


@pytest.mark.parametrize(
    "code,refusal,level",
    [
        # PDFium aborts when an allocation fails: the file's doing.
        ("import os; os.abort()", "pdf_too_complex", "WARNING"),
        # Python itself failed: ours, logged with what the child wrote.
        ("raise SystemExit('no interpreter here')", "pdf_too_complex", "ERROR"),
        # An answer that is not the expected object: a bug of ours too.
        ("print('Traceback: not an answer')", "pdf_unreadable", "ERROR"),
        ("print('[1, 2]')", "pdf_unreadable", "ERROR"),
    ],
    ids=["crash", "python-failure", "not-json", "not-an-object"],
)
def test_child_that_dies_or_answers_nonsense_refuses_the_file(
    monkeypatch, caplog, code, refusal, level
):
    import sys

    monkeypatch.setattr(
        pdfcheck, "child_command", lambda *args: [sys.executable, "-c", code]
    )

    assert refusal_codes(pdf_files.text_pdf()) == [refusal]
    assert [record.levelname for record in caplog.records] == [level]


def test_child_gets_none_of_the_workers_secrets(monkeypatch, tmp_path):
    import sys

    monkeypatch.setenv("SECRET_KEY", "worker-only")
    script = (
        "import json, os; print(json.dumps({'refused': [], 'env': dict(os.environ)}))"
    )
    monkeypatch.setattr(
        pdfcheck, "child_command", lambda *args: [sys.executable, "-c", script]
    )
    limits = pdfcheck.Limits(max_pages=2, timeout=30, memory=2**30, text_bytes=100)

    answer = pdfcheck.check_in_child(tmp_path / "x.pdf", tmp_path, limits)

    assert "SECRET_KEY" not in answer["env"]


def test_command_line_check_prints_the_facts(tmp_path, capsys):
    path = tmp_path / "report.pdf"
    path.write_bytes(pdf_files.text_pdf(pages=2, title="Report"))

    status = pdfcheck.main([str(path), "--outdir", str(tmp_path / "out")])

    assert status == 0
    facts = json.loads(capsys.readouterr().out)
    assert facts["pages"] == 2
    assert facts["title"] == "Report"
    assert (tmp_path / "out" / pdfcheck.THUMBNAIL_FILE).is_file()


# Oversized uploads are dropped while they arrive --------------------------------


def test_upload_over_the_limit_is_counted_not_kept(settings):
    settings.PDF_MAX_UPLOAD_SIZE = 64 * 1024
    settings.IMAGE_MAX_UPLOAD_SIZE = 1024
    data = b"%PDF-1.7\n" + b"0" * (300 * 1024)
    body = encode_multipart(BOUNDARY, {"pdf": upload(data)})
    meta = {"CONTENT_TYPE": MULTIPART_CONTENT, "CONTENT_LENGTH": str(len(body))}
    from django.core.files.uploadhandler import load_handler

    handlers = [load_handler(path) for path in settings.FILE_UPLOAD_HANDLERS]

    _, files = MultiPartParser(meta, io.BytesIO(body), handlers).parse()

    received = files["pdf"]
    assert isinstance(received, OversizedUpload)
    assert received.size == len(data)
    assert received.read() == b""
    with pytest.raises(ValidationError) as caught:
        check_pdf(received)
    assert caught.value.error_list[0].code == "pdf_too_large"


# Storing: versions, fingerprints, all or nothing --------------------------------


@pytest.mark.django_db
def test_saving_a_pdf_records_a_current_version_with_its_facts():
    data = pdf_files.text_pdf(pages=2, words="Sahel security", language="en")

    publication = PublicationFactory(pdf=ContentFile(data, name="x.pdf"))

    version = publication.pdf_versions.get()
    assert version.is_current
    assert version.file.name == publication.pdf.name
    assert version.thumbnail.name == publication.pdf_thumbnail.name
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert (version.size, version.pages) == (len(data), 2)
    assert version.language == "en"
    assert "Sahel security, page 2" in version.text
    assert publication.pdf_text == version.text
    assert publication.pdf_thumbnail.name.startswith("pdf-thumbnails/")
    assert Path(publication.pdf_thumbnail.path).is_relative_to(
        settings.PRIVATE_MEDIA_ROOT
    )


@pytest.mark.django_db
def test_refused_pdf_saved_by_a_script_raises_and_stores_nothing():
    publication = PublicationFactory(with_pdf=True)
    before, files = publication.pdf.name, stored_files()

    publication.pdf = ContentFile(pdf_files.launch_pdf(), name="run.pdf")
    with pytest.raises(ValidationError):
        publication.save()

    publication.refresh_from_db()
    assert publication.pdf.name == before
    assert stored_files() == files
    assert publication.pdf_versions.count() == 1


@pytest.mark.django_db
def test_same_bytes_again_make_no_new_version_and_no_new_file():
    data = pdf_files.text_pdf(pages=2)
    publication = PublicationFactory(pdf=ContentFile(data, name="a.pdf"))
    name, files = publication.pdf.name, stored_files()

    publication.pdf = ContentFile(data, name="again.pdf")
    publication.save()

    assert publication.pdf_outcome == PdfOutcome.UNCHANGED
    assert publication.pdf.name == name
    assert publication.pdf_versions.count() == 1
    assert stored_files() == files


@pytest.mark.django_db
def test_bytes_of_an_earlier_version_make_it_current_again():
    first, second = pdf_files.text_pdf(pages=2), pdf_files.text_pdf(pages=5)
    publication = PublicationFactory(pdf=ContentFile(first, name="a.pdf"))
    first_name = publication.pdf.name
    publication.pdf = ContentFile(second, name="b.pdf")
    publication.save()

    publication.pdf = ContentFile(first, name="a-again.pdf")
    publication.save()

    publication.refresh_from_db()
    assert publication.pdf.name == first_name
    assert publication.pdf_pages == 2
    assert publication.pdf_versions.count() == 2
    assert publication.current_pdf_version.pages == 2


@pytest.mark.django_db
def test_replaced_pdf_and_thumbnail_stay_stored_for_the_history(
    django_capture_on_commit_callbacks,
):
    publication = PublicationFactory(with_pdf=True)
    old_pdf, old_thumbnail = publication.pdf.path, publication.pdf_thumbnail.path

    with django_capture_on_commit_callbacks(execute=True):
        publication.pdf = ContentFile(pdf_files.text_pdf(4), name="new.pdf")
        publication.save()

    assert Path(old_pdf).is_file()
    assert Path(old_thumbnail).is_file()
    assert publication.pdf_versions.count() == 2


@pytest.mark.django_db
def test_deleting_a_publication_deletes_every_version_file(
    django_capture_on_commit_callbacks,
):
    publication = PublicationFactory(with_pdf=True)
    publication.pdf = ContentFile(pdf_files.text_pdf(4), name="new.pdf")
    publication.save()
    files = [Path(v.file.path) for v in publication.pdf_versions.all()]
    files += [Path(v.thumbnail.path) for v in publication.pdf_versions.all()]
    assert len(files) == 4  # two versions, each a PDF and a thumbnail
    assert all(path.is_file() for path in files)

    with django_capture_on_commit_callbacks(execute=True):
        publication.delete()

    assert not any(path.is_file() for path in files)
    assert not PdfVersion.objects.exists()


@pytest.mark.django_db
def test_failure_after_the_files_are_stored_removes_them_and_changes_no_row(
    monkeypatch,
):
    publication = PublicationFactory(title="Before", with_pdf=True)
    before_row = Publication.objects.filter(pk=publication.pk).values().get()
    files = stored_files()

    def fail(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(PdfVersion.objects, "create", fail)
    publication.title = "After"
    publication.pdf = ContentFile(pdf_files.text_pdf(4), name="new.pdf")
    with pytest.raises(RuntimeError):
        publication.save()

    assert Publication.objects.filter(pk=publication.pk).values().get() == before_row
    assert stored_files() == files
    assert publication.pdf_versions.count() == 1


# Bulk upload: which publication a file is for ----------------------------------


@pytest.mark.parametrize(
    "name,expected",
    [
        ("gas-grids.pdf", ["gas-grids"]),
        ("Gas-Grids.PDF", ["gas-grids"]),
        ("gas-grids-fr.pdf", ["gas-grids-fr", "gas-grids"]),
        (
            "Gas grids_EN.pdf",
            ["gas grids_en", "gas grids", "gas-grids_en", "gas-grids"],
        ),
        ("Россия.pdf", ["россия"]),
        ("", []),
    ],
)
def test_slug_candidates(name, expected):
    assert slug_candidates(name) == expected


@pytest.mark.django_db
def test_file_name_finds_its_publication_exact_slug_first():
    plain = PublicationFactory(slug="gas-grids")
    french = PublicationFactory(slug="gas-grids-fr")
    everything = Publication.objects.all()

    assert publication_for_file_name(everything, "GAS-GRIDS.pdf") == plain
    assert publication_for_file_name(everything, "gas-grids-fr.pdf") == french
    assert publication_for_file_name(everything, "gas-grids-en.pdf") == plain
    assert publication_for_file_name(everything, "other.pdf") is None
    assert publication_for_file_name(everything, '"; DROP TABLE x; --.pdf') is None
