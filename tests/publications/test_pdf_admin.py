"""Editors and uploaders handling full-analysis PDFs in the admin: refusals,
replacing and restoring, the first-page cover, bulk upload, missing PDFs."""

import hashlib
from pathlib import Path, PurePosixPath

import pytest
from django.conf import settings
from django.contrib.admin.models import LogEntry
from django.contrib.auth.models import Permission
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from django.utils.html import escape

from ifri.filestore import MESSAGES as FILE_MESSAGES
from publications import documents, permissions
from publications.admin import PublicationAdmin
from publications.documents import MESSAGES, limit_params
from publications.models import PdfVersion, Publication
from publications.pdf_admin import OUTCOME_MESSAGES
from publications.pdf_forms import BULK_MESSAGES, BULK_UPLOAD_MAX_FILES

from ..factories import (
    AuthorFactory,
    PublicationFactory,
    UserFactory,
    editor,
    uploader,
)
from ..helpers import admin_form_data, change_url, form_errors
from . import pdf_files

pytestmark = pytest.mark.django_db

CHANGELIST_URL = reverse("admin:publications_publication_changelist")
BULK_URL = reverse("admin:publications_publication_bulk_upload")
MISSING_URL = reverse("admin:publications_publicationmissingpdf_changelist")


def restore_url(version):
    return reverse(
        "admin:publications_publication_restore_pdf",
        args=[version.publication_id, version.pk],
    )


def stored_files() -> set[Path]:
    """Every file in both storages: public media and private PDFs."""
    return {
        path
        for folder in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
        for path in Path(folder).rglob("*")
        if path.is_file() and "renditions" not in path.parts
    }


def state(publication) -> dict:
    """The row, its versions and every stored file: what a refusal must keep."""
    return {
        "row": Publication.objects.filter(pk=publication.pk).values().get(),
        "versions": list(PdfVersion.objects.values().order_by("pk")),
        "files": stored_files(),
    }


def post_pdf(client, publication, data: bytes, name: str = "analysis.pdf"):
    form = admin_form_data(client.get(change_url(publication)))
    form["pdf"] = SimpleUploadedFile(name, data, content_type="application/pdf")
    return client.post(change_url(publication), form)


def pdf_of(publication) -> bytes:
    with publication.pdf.open("rb") as handle:
        return handle.read()


def downloaded(publication) -> bytes:
    response = Client().get(publication.get_pdf_url())
    assert response.status_code == 200
    return b"".join(response.streaming_content)


# Refused uploads: each with its own message, nothing changed --------------------


@pytest.mark.parametrize(
    "make,code",
    [
        (pdf_files.html_named_pdf, "pdf_signature"),
        (lambda: b"", "pdf_empty"),
        (pdf_files.truncated_pdf, "pdf_unreadable"),
        (pdf_files.encrypted_pdf, "pdf_encrypted"),
        (pdf_files.open_action_javascript_pdf, "pdf_javascript"),
        (pdf_files.names_javascript_pdf, "pdf_javascript"),
        (pdf_files.launch_pdf, "pdf_launch"),
        (pdf_files.attachment_pdf, "pdf_embedded_file"),
        (pdf_files.png_named_pdf, "pdf_signature"),
        (pdf_files.deeply_nested_pdf, "pdf_too_complex"),
        (pdf_files.html_polyglot_pdf, "pdf_signature"),
        (pdf_files.javascript_link_pdf, "pdf_javascript"),
        (pdf_files.xfa_script_pdf, "pdf_form_script"),
        (pdf_files.form_field_additional_action_launch_pdf, "pdf_launch"),
        (pdf_files.open_action_submit_form_pdf, "pdf_automatic_action"),
        (pdf_files.page_additional_action_import_data_pdf, "pdf_automatic_action"),
        (
            pdf_files.annotation_additional_action_remote_go_to_pdf,
            "pdf_automatic_action",
        ),
        (pdf_files.open_action_rich_media_pdf, "pdf_rich_media"),
        (pdf_files.rich_media_annotation_pdf, "pdf_rich_media"),
    ],
    ids=[
        "html",
        "empty",
        "truncated",
        "encrypted",
        "open-action-javascript",
        "names-javascript",
        "launch",
        "embedded-file",
        "png",
        "deeply-nested",
        "html-pdf-polyglot",
        "javascript-link",
        "xfa-script",
        "form-field-launch",
        "open-action-submit-form",
        "page-import-data",
        "annotation-remote-go-to",
        "open-action-rich-media",
        "rich-media-annotation",
    ],
)
def test_bad_file_is_refused_with_its_message_and_nothing_changes(client, make, code):
    publication = PublicationFactory(with_pdf=True)
    before = state(publication)
    client.force_login(editor())

    response = post_pdf(client, publication, make())

    assert response.status_code == 200
    assert form_errors(response) == {"pdf": [str(MESSAGES[code]) % limit_params()]}
    assert state(publication) == before


def test_file_over_the_size_limit_is_refused(client, settings):
    publication = PublicationFactory(with_pdf=True)
    before = state(publication)
    settings.PDF_MAX_UPLOAD_SIZE = 2048
    data = pdf_files.text_pdf(pages=40)
    client.force_login(uploader())

    response = post_pdf(client, publication, data)

    assert form_errors(response) == {
        "pdf": [
            str(MESSAGES["pdf_too_large"])
            % {"size": filesizeformat(len(data)), "limit": filesizeformat(2048)}
        ]
    }
    assert state(publication) == before


def test_file_with_too_many_pages_is_refused(client, settings):
    publication = PublicationFactory(with_pdf=True)
    before = state(publication)
    settings.PDF_MAX_PAGES = 5
    client.force_login(editor())

    response = post_pdf(client, publication, pdf_files.text_pdf(pages=6))

    assert form_errors(response) == {
        "pdf": [str(MESSAGES["pdf_too_many_pages"]) % {"pages": 6, "limit": 5}]
    }
    assert state(publication) == before


def test_file_that_cannot_be_checked_in_time_is_refused(client, settings):
    publication = PublicationFactory(with_pdf=True)
    before = state(publication)
    settings.PDF_CHECK_TIMEOUT = 1
    client.force_login(editor())

    response = post_pdf(client, publication, pdf_files.slow_to_parse_pdf())

    [message] = form_errors(response)["pdf"]
    assert message == str(MESSAGES["pdf_too_complex"]) % {
        "seconds": "1",
        "memory": filesizeformat(settings.PDF_CHECK_MEMORY),
    }
    assert "within the limits of 1 s and 1.0\xa0GB of memory" in message
    assert state(publication) == before


# Accepted uploads ----------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    ["../../etc/passwd.pdf", 'rapport "final" <b>.pdf', "Énergie – Россия 能源.pdf"],
    ids=["dot-dot", "quotes", "non-latin"],
)
def test_awkward_file_name_is_accepted_and_stored_under_a_generated_name(client, name):
    publication = PublicationFactory(with_pdf=True, authors=[AuthorFactory()])
    client.force_login(editor())
    form = admin_form_data(client.get(change_url(publication)))
    data = pdf_files.text_pdf(pages=4)

    # Built by hand: test clients, like browsers, would strip the "../".
    response = client.post(
        change_url(publication),
        _multipart(form, "pdf", name, data),
        content_type=f"multipart/form-data; boundary={BOUNDARY}",
    )

    assert response.status_code == 302, form_errors(response)
    publication.refresh_from_db()
    stored = PurePosixPath(publication.pdf.name)
    assert stored.parent.name == "pdf"
    assert len(stored.stem) == 32 and stored.suffix == ".pdf"
    assert Path(publication.pdf.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert pdf_of(publication) == data
    assert publication.pdf_pages == 4


BOUNDARY = "----pdf-test-boundary"


def _multipart(fields: dict, file_field: str, file_name: str, data: bytes) -> bytes:
    lines = []
    for key, value in fields.items():
        for item in value if isinstance(value, list) else [value]:
            lines += [
                f"--{BOUNDARY}".encode(),
                f'Content-Disposition: form-data; name="{key}"'.encode(),
                b"",
                str(item).encode(),
            ]
    quoted = file_name.replace('"', "%22")
    lines += [
        f"--{BOUNDARY}".encode(),
        f'Content-Disposition: form-data; name="{file_field}"; '
        f'filename="{quoted}"'.encode(),
        b"Content-Type: application/pdf",
        b"",
        data,
        f"--{BOUNDARY}--".encode(),
        b"",
    ]
    return b"\r\n".join(lines)


def test_upload_records_fingerprint_text_and_uploader(client):
    publication = PublicationFactory(with_pdf=True, authors=[AuthorFactory()])
    user = uploader()
    client.force_login(user)
    data = pdf_files.text_pdf(pages=3, words="Arctic shipping lanes", title="Arctic")

    response = post_pdf(client, publication, data)

    assert response.status_code == 302, form_errors(response)
    version = publication.pdf_versions.get(is_current=True)
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    assert "Arctic shipping lanes, page 3" in version.text
    assert version.title == "Arctic"
    assert version.uploaded_by == user
    assert version.pages == 3


def test_replacing_keeps_the_address_and_lists_the_old_version(client):
    first = pdf_files.text_pdf(pages=2, words="First edition")
    publication = PublicationFactory(
        pdf=ContentFile(first, name="first.pdf"), authors=[AuthorFactory()]
    )
    address = publication.get_pdf_url()
    client.force_login(editor())
    second = pdf_files.text_pdf(pages=5, words="Second edition")

    response = post_pdf(client, publication, second)

    assert response.status_code == 302, form_errors(response)
    publication.refresh_from_db()
    assert publication.get_pdf_url() == address
    assert downloaded(publication) == second
    page = client.get(change_url(publication))
    [versions] = [
        inline
        for inline in page.context["inline_admin_formsets"]
        if inline.formset.model is PdfVersion
    ]
    listed = [form.instance for form in versions.formset.forms]
    assert [v.pages for v in listed] == [5, 2]
    assert [v.is_current for v in listed] == [True, False]
    html = page.content.decode()
    assert restore_url(listed[1]) in html
    assert restore_url(listed[0]) not in html


def test_editor_restores_an_earlier_version_at_the_same_address(client):
    first = pdf_files.text_pdf(pages=2, words="First edition")
    publication = PublicationFactory(pdf=ContentFile(first, name="first.pdf"))
    old = publication.current_pdf_version
    address = publication.get_pdf_url()
    publication.pdf = ContentFile(pdf_files.text_pdf(pages=5), name="second.pdf")
    publication.save()
    user = editor()
    client.force_login(user)

    confirmation = client.get(restore_url(old))
    response = client.post(restore_url(old))

    assert confirmation.status_code == 200
    assert "Yes, restore this PDF" in confirmation.content.decode()
    assert response.status_code == 302
    assert response["Location"] == change_url(publication)
    publication.refresh_from_db()
    assert publication.get_pdf_url() == address
    assert downloaded(publication) == first
    assert (publication.pdf_pages, publication.pdf_size) == (2, len(first))
    assert publication.pdf_thumbnail.name == old.thumbnail.name
    assert "First edition, page 2" in publication.pdf_text
    assert publication.current_pdf_version == old
    assert publication.pdf_versions.filter(is_current=True).count() == 1
    assert publication.updated_by == user
    assert LogEntry.objects.filter(object_id=str(publication.pk)).exists()


def test_restoring_for_a_deleted_publication_goes_back_to_the_admin_index(client):
    client.force_login(editor())
    url = reverse("admin:publications_publication_restore_pdf", args=[999999, 1])

    response = client.post(url, follow=True)

    assert response.redirect_chain == [(reverse("admin:index"), 302)]
    assert [str(m) for m in response.context["messages"]] == [
        "publication with ID “999999” doesn't exist. Perhaps it was deleted?"
    ]


def test_restore_is_for_editors_only(client):
    publication = PublicationFactory(with_pdf=True)
    old = publication.current_pdf_version
    publication.pdf = ContentFile(pdf_files.text_pdf(pages=5), name="second.pdf")
    publication.save()
    current = publication.pdf.name

    client.force_login(uploader())
    assert client.post(restore_url(old)).status_code == 403
    client.force_login(UserFactory(is_staff=True))
    assert client.post(restore_url(old)).status_code == 403

    publication.refresh_from_db()
    assert publication.pdf.name == current


def test_restore_of_another_publications_version_is_not_found(client):
    mine, other = PublicationFactory(with_pdf=True), PublicationFactory(with_pdf=True)
    version = other.current_pdf_version
    client.force_login(editor())
    url = reverse(
        "admin:publications_publication_restore_pdf", args=[mine.pk, version.pk]
    )

    assert client.post(url).status_code == 404


def test_same_file_again_makes_no_new_version_and_says_so(client):
    data = pdf_files.text_pdf(pages=2)
    publication = PublicationFactory(
        pdf=ContentFile(data, name="a.pdf"), authors=[AuthorFactory()]
    )
    files = stored_files()
    client.force_login(editor())

    response = post_pdf(client, publication, data, name="again.pdf")

    assert response.status_code == 302, form_errors(response)
    assert publication.pdf_versions.count() == 1
    assert stored_files() == files
    messages = [str(m) for m in client.get(change_url(publication)).context["messages"]]
    assert str(OUTCOME_MESSAGES[documents.PdfOutcome.UNCHANGED]) in messages


@pytest.mark.parametrize("step", ["thumbnail", "version row", "admin inlines"])
def test_failing_step_leaves_no_row_change_and_no_file(
    client, monkeypatch, image_upload, step
):
    """Nothing of the save stays: not the PDF, its thumbnail, nor a new cover."""
    publication = PublicationFactory(with_pdf=True, authors=[AuthorFactory()])
    before = state(publication)
    if step == "thumbnail":
        store = documents.store_thumbnail

        def store_then_fail(publication, report):
            store(publication, report)  # the thumbnail is stored, then...
            raise OSError("No space left on device")

        monkeypatch.setattr(documents, "store_thumbnail", store_then_fail)
    elif step == "version row":

        def fail(*args, **kwargs):
            raise OSError("database is locked")

        monkeypatch.setattr(PdfVersion, "save", fail)
    else:  # the admin's own work after the publication is saved

        def fail(*args, **kwargs):
            raise OSError("database is locked")

        monkeypatch.setattr(PublicationAdmin, "save_related", fail)
    client.force_login(editor())
    form = admin_form_data(client.get(change_url(publication)))
    form.update(
        title="A new title",
        pdf=SimpleUploadedFile("new.pdf", pdf_files.text_pdf(4)),
        cover_image=image_upload("cover.png", fmt="PNG"),
        cover_image_alt="A new cover",
        cover_image_credit="Photo: Cover Studio",
    )

    with pytest.raises(OSError):
        client.post(change_url(publication), form)

    assert state(publication) == before


# The first page as cover -------------------------------------------------------


def test_first_page_is_the_cover_when_the_editor_gave_no_image(client):
    publication = PublicationFactory(title="Arctic routes", with_pdf=True)
    assert publication.pdf_thumbnail

    listing = client.get(reverse("publications:list")).content.decode()
    article = client.get(publication.get_absolute_url()).content.decode()

    assert publication.card_image["file"] == publication.pdf_thumbnail
    alt = "First page of “Arctic routes”"
    assert publication.card_image["alt"] == alt
    for html in (listing, article):
        assert f'alt="{alt}"' in html or f'alt="{escape(alt)}"' in html
    assert Path(publication.pdf_thumbnail.path).is_file()


def test_an_image_given_by_the_editor_comes_before_the_first_page(client):
    publication = PublicationFactory(
        title="Arctic routes", with_pdf=True, with_image=True
    )

    article = client.get(publication.get_absolute_url()).content.decode()

    assert publication.card_image["file"] == publication.main_image
    assert publication.pdf_cover is None
    assert "First page of" not in article


# Bulk upload --------------------------------------------------------------------


def bulk_post(client, *files):
    return client.post(BULK_URL, {"files": list(files)})


def pdf(name, data):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def test_uploader_uploads_many_pdfs_each_matched_and_checked_on_its_own(client):
    gas = PublicationFactory(slug="gas-grids", pdf="")
    sahel = PublicationFactory(slug="sahel-security", pdf="")
    arctic = PublicationFactory(slug="arctic-routes", with_pdf=True)
    arctic_before = state(arctic)["row"]
    user = uploader()
    client.force_login(user)

    response = bulk_post(
        client,
        pdf("Gas-Grids.PDF", pdf_files.text_pdf(pages=3)),
        pdf("sahel-security-fr.pdf", pdf_files.text_pdf(pages=4)),
        pdf("arctic-routes.pdf", pdf_files.encrypted_pdf()),
        pdf("unknown-study.pdf", pdf_files.text_pdf()),
        pdf("notes.docx", pdf_files.text_pdf()),
        pdf("gas-grids-en.pdf", pdf_files.text_pdf()),
    )

    assert response.status_code == 200
    results = {r["name"]: r for r in response.context["results"]}
    assert results["Gas-Grids.PDF"]["accepted"]
    assert results["Gas-Grids.PDF"]["publication"] == gas
    assert results["Gas-Grids.PDF"]["pages"] == 3
    assert results["sahel-security-fr.pdf"]["publication"] == sahel
    assert results["arctic-routes.pdf"]["reasons"] == [str(MESSAGES["pdf_encrypted"])]
    assert results["unknown-study.pdf"]["reasons"] == [
        str(MESSAGES["pdf_no_publication"])
        % {"slug": "unknown-study", "example": "gas-grids.pdf"}
    ]
    assert results["notes.docx"]["reasons"] == [str(MESSAGES["pdf_extension"])]
    assert results["gas-grids-en.pdf"]["reasons"] == [
        str(MESSAGES["pdf_duplicate_in_batch"])
    ]
    gas.refresh_from_db()
    sahel.refresh_from_db()
    assert (gas.pdf_pages, sahel.pdf_pages) == (3, 4)
    assert gas.current_pdf_version.uploaded_by == user
    assert gas.updated_by == user
    assert state(arctic)["row"] == arctic_before
    html = response.content.decode()
    assert "2 accepted" in html and "4 refused" in html


def test_failing_file_in_a_batch_leaves_the_others(client, monkeypatch):
    first = PublicationFactory(slug="first", pdf="")
    second = PublicationFactory(slug="second", pdf="")
    store = documents.store_thumbnail

    def fail_for_first(publication, report):
        if publication.slug == "first":
            raise OSError("No space left on device")
        store(publication, report)

    monkeypatch.setattr(documents, "store_thumbnail", fail_for_first)
    files = stored_files()
    client.force_login(uploader())

    response = bulk_post(
        client,
        pdf("first.pdf", pdf_files.text_pdf(2)),
        pdf("second.pdf", pdf_files.text_pdf(3)),
    )

    first_result, second_result = response.context["results"]
    assert first_result["reasons"] == [str(MESSAGES["pdf_not_stored"])]
    assert second_result["accepted"]
    first.refresh_from_db()
    second.refresh_from_db()
    assert not first.pdf and not first.pdf_versions.exists()
    assert second.pdf_pages == 3
    assert stored_files() - files == {
        Path(second.pdf.path),
        Path(second.pdf_thumbnail.path),
    }


def test_bulk_upload_file_names_are_never_storage_names(client):
    publication = PublicationFactory(slug="gas-grids", pdf="")
    client.force_login(editor())
    body = _multipart({}, "files", "../../Gas-Grids.pdf", pdf_files.text_pdf(2))

    response = client.post(
        BULK_URL, body, content_type=f"multipart/form-data; boundary={BOUNDARY}"
    )

    [result] = response.context["results"]
    assert result["accepted"], result
    publication.refresh_from_db()
    assert Path(publication.pdf.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert "Gas-Grids" not in publication.pdf.name


def test_bulk_upload_names_are_shown_escaped(client):
    client.force_login(uploader())
    name = "<img src=x onerror=alert(1)>.pdf"

    response = bulk_post(client, pdf(name, b"%PDF-1.7"))

    html = response.content.decode()
    assert "<img src=x" not in html
    assert escape(name) in html


def test_bulk_upload_refuses_too_many_files_at_once(client):
    client.force_login(uploader())
    files = [
        pdf(f"file-{n}.pdf", b"%PDF-1.7") for n in range(BULK_UPLOAD_MAX_FILES + 1)
    ]

    response = bulk_post(client, *files)

    assert response.context["form"].errors == {
        "files": [BULK_MESSAGES["too_many_files"] % {"limit": BULK_UPLOAD_MAX_FILES}]
    }
    assert response.context["results"] == []


def test_bulk_upload_needs_the_upload_permission(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(BULK_URL).status_code == 403
    assert bulk_post(client, pdf("x.pdf", b"%PDF-1.7")).status_code == 403


def test_changelist_links_to_bulk_upload_and_missing_pdfs(client):
    client.force_login(uploader())

    html = client.get(CHANGELIST_URL).content.decode()

    assert f'href="{BULK_URL}"' in html
    assert f'href="{MISSING_URL}"' in html


# Publications missing their PDF ----------------------------------------------------


@pytest.mark.parametrize("make_user", [editor, uploader], ids=["editor", "uploader"])
def test_published_publications_missing_their_pdf_are_listed(client, make_user):
    missing = PublicationFactory(title="Missing", pdf="")
    scheduled = PublicationFactory(title="Scheduled", pdf="", scheduled=True)
    PublicationFactory(title="Has one", with_pdf=True)
    PublicationFactory(title="Draft", pdf="", draft=True)
    client.force_login(make_user())

    response = client.get(MISSING_URL)
    index = client.get(reverse("admin:index")).content.decode()

    assert response.status_code == 200
    assert set(response.context["cl"].result_list) == {missing, scheduled}
    assert f'href="{change_url(missing)}"' in response.content.decode()
    assert MISSING_URL in index


def test_changelist_filter_finds_publications_without_a_pdf(client):
    missing = PublicationFactory(pdf="")
    PublicationFactory(with_pdf=True)
    client.force_login(editor())

    response = client.get(CHANGELIST_URL, {"pdf": "missing"})

    assert list(response.context["cl"].result_list) == [missing]


def test_missing_pdf_list_is_not_for_staff_without_permissions(client):
    client.force_login(UserFactory(is_staff=True))

    assert client.get(MISSING_URL).status_code == 403


def test_the_missing_pdf_list_is_linked_only_for_those_who_may_open_it(client):
    reader = UserFactory(is_staff=True)
    reader.user_permissions.add(
        Permission.objects.get(codename=permissions.VIEW_CODENAME)
    )
    link = reverse("admin:publications_publicationmissingpdf_changelist")

    client.force_login(reader)
    listing = client.get(reverse("admin:publications_publication_changelist"))
    client.force_login(uploader())
    uploaders_listing = client.get(reverse("admin:publications_publication_changelist"))

    assert listing.status_code == 200 and link not in listing.content.decode()
    assert link in uploaders_listing.content.decode()
    assert client.get(link).status_code == 200


# Long file names, and the limits stated -------------------------------------------


def test_pdf_with_a_long_file_name_is_accepted_under_a_generated_name(client, settings):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # through a temporary file
    publication = PublicationFactory(with_pdf=True, authors=[AuthorFactory()])
    client.force_login(editor())
    data = pdf_files.text_pdf(pages=2)

    response = post_pdf(client, publication, data, name="r" * 246 + ".pdf")

    assert response.status_code == 302, form_errors(response)
    publication.refresh_from_db()
    assert len(PurePosixPath(publication.pdf.name).stem) == 32
    assert pdf_of(publication) == data


def test_file_with_a_long_extension_is_refused_with_the_extension_message(
    client, settings
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 1024  # through a temporary file
    publication = PublicationFactory(with_pdf=True)
    before = state(publication)
    client.force_login(editor())

    response = post_pdf(client, publication, pdf_files.text_pdf(), "a." + "x" * 250)

    assert form_errors(response) == {"pdf": [str(MESSAGES["pdf_extension"])]}
    assert state(publication) == before


def test_bulk_upload_accepts_long_file_names(client):
    publication = PublicationFactory(slug="gas-grids", pdf="")
    client.force_login(uploader())

    response = bulk_post(client, pdf("gas-grids_" + "v" * 230 + ".pdf", b"x"))
    long_name = "Gas-Grids" + " " * 200 + ".pdf"
    accepted = bulk_post(client, pdf(long_name, pdf_files.text_pdf(pages=2)))

    [result] = response.context["results"]
    assert result["reasons"][0].startswith("No publication has the address")
    [result] = accepted.context["results"]
    assert result["accepted"], result
    publication.refresh_from_db()
    assert publication.pdf_pages == 2


def test_refusals_state_the_limits_the_settings_set(client, settings):
    settings.PDF_MAX_UPLOAD_SIZE = 300 * 1024
    settings.PDF_MAX_PAGES = 3
    settings.UPLOAD_MAX_REQUEST_SIZE = 7 * 1024 * 1024
    publication = PublicationFactory(with_pdf=True)
    client.force_login(editor())

    too_long = post_pdf(client, publication, pdf_files.text_pdf(pages=4))
    too_large = post_pdf(client, publication, b"%PDF-1.7\n" + b"0" * 400 * 1024)
    bulk_page = client.get(BULK_URL).content.decode()

    assert form_errors(too_long)["pdf"] == ["This PDF has 4 pages; the limit is 3."]
    assert form_errors(too_large)["pdf"] == [
        "This PDF is 400.0\xa0KB; the limit is 300.0\xa0KB."
    ]
    assert (
        "At most 20 files at a time, 7.0\xa0MB in all, each up to 300.0\xa0KB "
        "and 3 pages" in bulk_page
    )


# A full disk ------------------------------------------------------------------------


@pytest.mark.parametrize(
    "after", [0, 1, 2], ids=["while-storing-the-pdf", "its-thumbnail", "the-cover"]
)
def test_full_disk_tells_the_editor_keeps_the_form_and_leaves_no_file(
    client, full_disk, image_upload, after
):
    publication = PublicationFactory(with_pdf=True, authors=[AuthorFactory()])
    before = state(publication)
    client.force_login(editor())
    form = admin_form_data(client.get(change_url(publication)))
    form.update(
        title="A new title",
        pdf=SimpleUploadedFile("new.pdf", pdf_files.text_pdf(4)),
        cover_image=image_upload("cover.png", fmt="PNG"),
        cover_image_alt="A new cover",
        cover_image_credit="Photo: Cover Studio",
    )
    full_disk(after=after)

    response = client.post(change_url(publication), form)

    assert response.status_code == 200
    page_form = response.context["adminform"].form
    assert page_form.non_field_errors() == [str(FILE_MESSAGES["storage_full"])]
    assert page_form["title"].value() == "A new title"  # what was typed stays
    assert state(publication) == before


def test_full_disk_in_a_bulk_upload_says_so_and_leaves_no_file(client, full_disk):
    publication = PublicationFactory(slug="gas-grids", pdf="")
    files = stored_files()
    client.force_login(uploader())
    full_disk()

    response = bulk_post(client, pdf("gas-grids.pdf", pdf_files.text_pdf(2)))

    [result] = response.context["results"]
    assert result["reasons"] == [str(MESSAGES["pdf_storage_full"])]
    assert "nothing was changed" not in response.content.decode()
    assert stored_files() == files
    publication.refresh_from_db()
    assert not publication.pdf and not publication.pdf_versions.exists()
