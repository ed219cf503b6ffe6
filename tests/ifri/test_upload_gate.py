"""Who may send files, and how much: anonymous visitors cannot fill the disk,
staff get the limit, and no temporary file outlives its request.

Large bodies are sent through Django's WSGI entry with CSRF checks on, as a
WSGI server sends them: generated as they are read, never held in memory.
"""

import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import RequestFactory
from django.test.client import ClientHandler
from django.urls import reverse

from ifri.upload_gate import UPLOAD_VIEWS
from publications.documents import MESSAGES

from ..factories import PublicationFactory, UserFactory, editor, uploader
from ..helpers import admin_form_data, change_url, form_errors

pytestmark = pytest.mark.django_db

MiB = 1024 * 1024
BOUNDARY = "gate-test-boundary"
MULTIPART = f"multipart/form-data; boundary={BOUNDARY}"


class GeneratedBody:
    """A request body of ``size`` bytes made as it is read: one file part of
    a multipart form, or plain bytes. ``read_bytes`` says how much was read."""

    def __init__(self, size: int, multipart: bool = True, name: str = "big.pdf"):
        self.head = self.tail = b""
        if multipart:
            self.head = (
                f"--{BOUNDARY}\r\nContent-Disposition: form-data; "
                f'name="pdf"; filename="{name}"\r\n'
                "Content-Type: application/pdf\r\n\r\n%PDF-1.7\n"
            ).encode()
            self.tail = f"\r\n--{BOUNDARY}--\r\n".encode()
        self.filler = size - len(self.head) - len(self.tail)
        self.length = size
        self.read_bytes = 0

    def read(self, size: int = -1) -> bytes:
        want = self.length - self.read_bytes if size < 0 else size
        out = bytearray()
        while len(out) < want and self.read_bytes < self.length:
            position, room = self.read_bytes, want - len(out)
            if position < len(self.head):
                piece = self.head[position : position + room]
            elif position < len(self.head) + self.filler:
                left = len(self.head) + self.filler - position
                piece = b"0" * min(room, left, MiB)
            else:
                start = position - len(self.head) - self.filler
                piece = self.tail[start : start + room]
            out += piece
            self.read_bytes += len(piece)
        return bytes(out)

    def readline(self, size: int = -1) -> bytes:
        line = bytearray()
        while (size < 0 or len(line) < size) and (byte := self.read(1)):
            line += byte
            if byte == b"\n":
                break
        return bytes(line)


def post(path: str, body, *, length=None, content_type=MULTIPART, cookie="", **meta):
    """A POST through Django's WSGI handler, CSRF checks on."""
    environ = RequestFactory().post(path).environ  # the usual WSGI keys
    environ.update(
        {
            "wsgi.input": body,
            "CONTENT_TYPE": content_type,
            "CONTENT_LENGTH": str(body.length if length is None else length),
            "HTTP_COOKIE": cookie,
            "wsgi.errors": sys.stderr,
            **meta,
        }
    )
    if length == "":
        del environ["CONTENT_LENGTH"]
    return ClientHandler(enforce_csrf_checks=True)(environ)


def session_cookie(client, user) -> str:
    """Signed in as ``user``, with a CSRF cookie (but no token in the form:
    the request is refused once its form was read)."""
    client.force_login(user)
    name = settings.SESSION_COOKIE_NAME
    return (
        f"{name}={client.cookies[name].value}; {settings.CSRF_COOKIE_NAME}={'a' * 32}"
    )


@pytest.fixture
def temporary_folder(settings, tmp_path):
    """Where uploads are spooled (FILE_UPLOAD_TEMP_DIR, else tempfile's folder).

    tempfile's own folder stays: the PDF check works there.
    """
    folder = tmp_path / "spool"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


def files_in(folder: Path) -> list[Path]:
    return [path for path in folder.rglob("*") if path.is_file()]


# Anonymous visitors ---------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    ["/en/search/", "/en/publications/", "/admin/login/", "change-form"],
)
def test_anonymous_110_mib_multipart_post_is_refused_unread_and_leaves_no_file(
    temporary_folder, path
):
    if path == "change-form":
        path = change_url(PublicationFactory())
    body = GeneratedBody(110 * MiB)

    response = post(path, body)

    assert response.status_code == 413
    assert body.read_bytes == 0
    assert files_in(temporary_folder) == []


def test_large_body_of_another_kind_is_refused_unread(temporary_folder):
    body = GeneratedBody(110 * MiB, multipart=False)

    response = post("/en/search/", body, content_type="application/octet-stream")

    assert response.status_code == 413
    assert body.read_bytes == 0


def test_chunked_body_without_a_length_is_refused(temporary_folder):
    body = GeneratedBody(2 * MiB)

    response = post("/en/search/", body, length="", HTTP_TRANSFER_ENCODING="chunked")

    assert response.status_code == 411
    assert body.read_bytes == 0


def test_files_sent_anywhere_else_are_not_kept(client, temporary_folder):
    """The form's fields are read, its files skipped: not even in memory."""
    user = editor()
    client.force_login(user)
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.7 " * 1000)

    response = client.post(
        reverse("admin:publications_publication_changelist"),
        {"action": "publish", "index": "0", "attachment": upload},
    )

    assert response.wsgi_request.FILES == {}
    assert response.wsgi_request.POST["action"] == "publish"


def test_anonymous_files_sent_to_an_upload_form_are_not_kept(client):
    publication = PublicationFactory()
    upload = SimpleUploadedFile("x.pdf", b"%PDF-1.7 " * 1000)

    response = client.post(change_url(publication), {"pdf": upload})

    assert response.status_code == 302  # to the login page
    assert response.wsgi_request.FILES == {}


# Staff --------------------------------------------------------------------------


def test_staff_upload_over_the_request_limit_is_refused_with_the_limit(
    client, settings, temporary_folder
):
    settings.UPLOAD_MAX_REQUEST_SIZE = 3 * MiB
    publication = PublicationFactory()
    cookie = session_cookie(client, editor())
    body = GeneratedBody(4 * MiB)

    response = post(change_url(publication), body, cookie=cookie)

    assert response.status_code == 413
    html = response.content.decode()
    assert f"This upload is {filesizeformat(4 * MiB)}" in html
    assert f"at most {filesizeformat(3 * MiB)} can be sent at once" in html
    assert "3.0\xa0MB" in html
    assert body.read_bytes == 0
    assert files_in(temporary_folder) == []


def test_staff_file_over_its_limit_gets_the_message_and_leaves_no_file(
    client, settings, temporary_folder
):
    """The file is received into a temporary file, dropped past the limit."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024  # spooled to disk
    settings.PDF_MAX_UPLOAD_SIZE = 256 * 1024
    settings.IMAGE_MAX_UPLOAD_SIZE = 128 * 1024
    publication = PublicationFactory()
    client.force_login(uploader())
    data = admin_form_data(client.get(change_url(publication)))
    size = 3 * MiB
    data["pdf"] = SimpleUploadedFile("big.pdf", b"%PDF-1.7\n" + b"0" * (size - 9))

    response = client.post(change_url(publication), data)

    assert form_errors(response) == {
        "pdf": [
            str(MESSAGES["pdf_too_large"])
            % {"size": filesizeformat(size), "limit": filesizeformat(256 * 1024)}
        ]
    }
    assert "the limit is 256.0\xa0KB" in form_errors(response)["pdf"][0]
    assert files_in(temporary_folder) == []


def test_staff_upload_refused_by_the_csrf_check_leaves_no_file(
    client, settings, temporary_folder
):
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    publication = PublicationFactory()
    cookie = session_cookie(client, editor())
    body = GeneratedBody(2 * MiB)

    response = post(change_url(publication), body, cookie=cookie)

    assert response.status_code == 403
    assert body.read_bytes == body.length  # read, within the limits
    assert files_in(temporary_folder) == []


def test_upload_cut_short_leaves_no_file(client, settings, temporary_folder):
    """The connection ends before the declared length: the file in progress
    is deleted."""
    settings.FILE_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    publication = PublicationFactory()
    cookie = session_cookie(client, editor())
    body = GeneratedBody(2 * MiB)
    body.length = 1 * MiB  # what arrives before the client goes away

    response = post(change_url(publication), body, length=2 * MiB, cookie=cookie)

    assert response.status_code == 403
    assert body.read_bytes == 1 * MiB
    assert files_in(temporary_folder) == []


def test_staff_without_admin_access_cannot_upload(client, temporary_folder):
    """Signed in, but not staff: the same as anonymous."""
    cookie = session_cookie(client, UserFactory())
    body = GeneratedBody(10 * MiB)

    response = post(
        reverse("admin:publications_publication_bulk_upload"), body, cookie=cookie
    )

    assert response.status_code == 413
    assert body.read_bytes == 0


# The upload forms ----------------------------------------------------------------


def test_the_upload_addresses_are_exactly_the_admin_forms_that_take_files(
    admin_user, rf, clear_content_type_cache
):
    request = rf.get("/admin/")
    request.user = admin_user
    taking_files = {"admin:publications_publication_bulk_upload"}
    for model in admin.site.get_app_list(request):
        for entry in model["models"]:
            model_admin = admin.site.get_model_admin(entry["model"])
            if not model_admin.has_add_permission(request):
                continue  # no form to send (a read-only list)
            form = model_admin.get_form(request, None, change=False)
            if form().is_multipart():
                opts = entry["model"]._meta
                for view in ("add", "change"):
                    taking_files.add(f"admin:{opts.app_label}_{opts.model_name}_{view}")

    assert taking_files == UPLOAD_VIEWS
