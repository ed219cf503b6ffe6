"""The full-analysis PDF download: visibility, HTTP semantics and counting."""

import threading
from concurrent.futures import ThreadPoolExecutor
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
from django.core.files.base import ContentFile
from django.db import connections
from django.db.models.signals import pre_save
from django.test import Client
from django.urls import reverse

from ifri.storage import PrivateFileSystemStorage
from publications.delivery import PDF_CONTENT_SECURITY_POLICY, count_download
from publications.models import Publication

from ..factories import AuthorFactory, PublicationFactory, UserFactory, editor
from ..helpers import admin_form_data, change_url, make_pdf_bytes

pytestmark = pytest.mark.django_db


def stored_bytes(publication) -> bytes:
    with publication.pdf.open("rb") as handle:
        return handle.read()


def body(response) -> bytes:
    return b"".join(response.streaming_content)


def downloads(publication) -> int:
    return Publication.objects.values_list("download_count", flat=True).get(
        pk=publication.pk
    )


class SigningStorage(PrivateFileSystemStorage):
    """Local files with S3-like signed URLs, to test the redirect alone."""

    def url(self, name, parameters=None, expire=None, http_method=None):
        query = urlencode({**parameters, "Expires": expire, "Method": http_method})
        return f"https://private-bucket.example/{name}?{query}"


@pytest.fixture
def publication():
    return PublicationFactory(
        slug="gas-grids",
        language="fr",
        pdf=ContentFile(make_pdf_bytes(40), name="analysis.pdf"),
    )


# Who may fetch it ----------------------------------------------------------


@pytest.mark.parametrize("state", ["draft", "in_review", "scheduled"])
@pytest.mark.parametrize(
    "method, headers",
    [("get", {}), ("head", {}), ("get", {"HTTP_RANGE": "bytes=0-99"})],
    ids=["get", "head", "range"],
)
def test_unpublished_pdf_is_404_for_anonymous_reader(client, state, method, headers):
    publication = PublicationFactory(with_pdf=True, **{state: True})

    response = getattr(client, method)(publication.get_pdf_url(), **headers)

    assert response.status_code == 404
    assert downloads(publication) == 0


@pytest.mark.parametrize("mode", ["django", "x-accel", "s3"])
def test_unpublished_pdf_is_404_in_every_delivery_mode(client, settings, mode):
    settings.PDF_DELIVERY = mode
    publication = PublicationFactory(draft=True, with_pdf=True)

    assert client.get(publication.get_pdf_url()).status_code == 404


def test_publication_without_pdf_is_404(client):
    publication = PublicationFactory(pdf="")

    assert client.get(publication.get_pdf_url()).status_code == 404


def test_pdf_missing_from_storage_is_404(client, publication):
    publication.pdf.storage.delete(publication.pdf.name)

    assert client.get(publication.get_pdf_url()).status_code == 404


def test_editor_preview_of_a_draft_is_never_stored_nor_counted(client):
    publication = PublicationFactory(draft=True, with_pdf=True)
    client.force_login(editor())

    response = client.get(publication.get_pdf_url())

    assert response.status_code == 200
    assert body(response) == stored_bytes(publication)
    assert response["Cache-Control"] == "private, no-store"
    assert downloads(publication) == 0


def test_post_is_not_allowed(client, publication):
    assert client.post(publication.get_pdf_url()).status_code == 405


# What the reader gets --------------------------------------------------------


def test_pdf_opens_inline_with_safe_headers(client, publication):
    response = client.get(publication.get_pdf_url())

    assert response.status_code == 200
    assert body(response) == stored_bytes(publication)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == 'inline; filename="gas-grids-fr.pdf"'
    assert int(response["Content-Length"]) == publication.pdf_size
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"].startswith('"')
    assert response["Last-Modified"].endswith("GMT")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == PDF_CONTENT_SECURITY_POLICY
    assert "default-src 'none'" in response["Content-Security-Policy"]
    assert response["Cache-Control"] == "private, no-cache"


def test_download_parameter_asks_for_an_attachment(client, publication):
    response = client.get(publication.get_pdf_url() + "?download=1")

    assert response["Content-Disposition"].startswith(
        'attachment; filename="gas-grids-fr.pdf"'
    )


def test_head_sends_the_headers_without_a_body_and_is_not_counted(client, publication):
    response = client.head(publication.get_pdf_url())

    assert response.status_code == 200
    assert response.content == b""
    assert int(response["Content-Length"]) == publication.pdf_size
    assert response["Accept-Ranges"] == "bytes"
    assert response["ETag"]
    assert downloads(publication) == 0


def test_a_download_runs_two_queries(client, publication, django_assert_num_queries):
    # The visible publication, then the counter's UPDATE.
    with django_assert_num_queries(2):
        response = client.get(publication.get_pdf_url())
    body(response)


# Ranges -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "header, start, end",
    [
        ("bytes=0-99", 0, 99),
        ("bytes=100-1099", 100, 1099),
        ("bytes=1000-", 1000, None),
        ("bytes=-500", -500, None),
        ("bytes=200-99999999", 200, None),
    ],
)
def test_range_request_answers_206_with_the_right_bytes(
    client, publication, header, start, end
):
    data = stored_bytes(publication)
    expected = data[start : None if end is None else end + 1]
    first = start % len(data)

    response = client.get(publication.get_pdf_url(), HTTP_RANGE=header)

    assert response.status_code == 206
    assert body(response) == expected
    assert int(response["Content-Length"]) == len(expected)
    assert response["Content-Range"] == (
        f"bytes {first}-{first + len(expected) - 1}/{len(data)}"
    )
    assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("header", ["bytes=999999999-", "bytes=-0"])
def test_unsatisfiable_range_is_416(client, publication, header):
    response = client.get(publication.get_pdf_url(), HTTP_RANGE=header)

    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{publication.pdf_size}"
    assert downloads(publication) == 0


@pytest.mark.parametrize("header", ["bytes=0-9,20-29", "items=0-9", "bytes=9-2"])
def test_multiple_or_malformed_ranges_get_the_whole_file(client, publication, header):
    response = client.get(publication.get_pdf_url(), HTTP_RANGE=header)

    assert response.status_code == 200
    assert body(response) == stored_bytes(publication)


def test_range_with_current_if_range_is_honoured(client, publication):
    url = publication.get_pdf_url()
    first = client.head(url)

    by_etag = client.get(url, HTTP_RANGE="bytes=10-19", HTTP_IF_RANGE=first["ETag"])
    by_date = client.get(
        url, HTTP_RANGE="bytes=10-19", HTTP_IF_RANGE=first["Last-Modified"]
    )

    assert by_etag.status_code == by_date.status_code == 206
    assert body(by_etag) == body(by_date) == stored_bytes(publication)[10:20]


def test_range_with_stale_if_range_gets_the_whole_new_file(client, publication):
    response = client.get(
        publication.get_pdf_url(), HTTP_RANGE="bytes=10-19", HTTP_IF_RANGE='"old"'
    )

    assert response.status_code == 200
    assert body(response) == stored_bytes(publication)


# Conditional requests ------------------------------------------------------------


def test_if_none_match_answers_304_and_is_not_counted(client, publication):
    url = publication.get_pdf_url()
    etag = client.head(url)["ETag"]

    response = client.get(url, HTTP_IF_NONE_MATCH=etag)

    assert response.status_code == 304
    assert response["ETag"] == etag
    assert response.content == b""
    assert downloads(publication) == 0


def test_if_modified_since_answers_304(client, publication):
    url = publication.get_pdf_url()
    last_modified = client.head(url)["Last-Modified"]

    response = client.get(url, HTTP_IF_MODIFIED_SINCE=last_modified)

    assert response.status_code == 304
    assert downloads(publication) == 0


def test_replaced_pdf_keeps_its_url_and_gets_a_new_etag(client, publication):
    url = publication.get_pdf_url()
    old_etag = client.head(url)["ETag"]
    new_pdf = make_pdf_bytes(5, "Revised edition")

    publication.pdf = ContentFile(new_pdf, name="revised.pdf")
    publication.save()
    response = client.get(url, HTTP_IF_NONE_MATCH=old_etag)

    assert publication.get_pdf_url() == url
    assert response.status_code == 200
    assert response["ETag"] != old_etag
    assert body(response) == new_pdf


# Counting -------------------------------------------------------------------------


def test_downloads_are_counted_but_not_range_continuations(client, publication):
    url = publication.get_pdf_url()

    client.get(url)  # a full download
    client.get(url, HTTP_RANGE="bytes=0-4095")  # a viewer's first chunk
    client.get(url, HTTP_RANGE="bytes=4096-")  # and its continuation
    client.get(url, HTTP_RANGE="bytes=-1024")  # the trailer, read first

    assert downloads(publication) == 2


def test_download_count_is_shown_in_the_admin_list(client, publication):
    Publication.objects.filter(pk=publication.pk).update(download_count=1234)
    client.force_login(editor())

    response = client.get(reverse("admin:publications_publication_changelist"))

    assert response.status_code == 200
    assert "column-download_count" in response.content.decode()
    assert "1234" in response.content.decode()


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_downloads_are_all_counted():
    """Twenty threads run the view at the same moment, each with its own
    database connection on PostgreSQL. In-memory SQLite's shared cache makes
    concurrent writers fail at once instead of waiting, so there the threads
    share one connection, as Django's live server does."""
    publication = PublicationFactory(with_pdf=True)
    url = publication.get_pdf_url()
    workers = 20
    start_together = threading.Barrier(workers)
    shared = connections["default"]
    share = shared.vendor == "sqlite" and shared.is_in_memory_db()

    def download(_):
        if share:
            connections["default"] = shared
        try:
            start_together.wait(timeout=10)
            response = Client().get(url)
            return response.status_code, len(body(response))
        finally:
            if not share:
                connections.close_all()  # before the test database is flushed

    if share:
        shared.inc_thread_sharing()
    try:
        with ThreadPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(download, range(workers)))
    finally:
        if share:
            shared.dec_thread_sharing()

    assert results == [(200, publication.pdf_size)] * workers
    assert downloads(publication) == workers


# Handing the file over -------------------------------------------------------------


def test_x_accel_mode_hands_the_file_to_nginx(client, settings, publication):
    settings.PDF_DELIVERY = "x-accel"
    settings.PDF_X_ACCEL_PREFIX = "/protected-pdf/"

    response = client.get(publication.get_pdf_url() + "?download=1")

    assert response.status_code == 200
    assert response["X-Accel-Redirect"] == f"/protected-pdf/{publication.pdf.name}"
    assert response.content == b""
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Security-Policy"] == PDF_CONTENT_SECURITY_POLICY
    assert downloads(publication) == 1


def test_x_accel_mode_answers_nginx_etag_with_304(client, settings, publication):
    """nginx replaces our ETag by its own (hex mtime-size): the view uses the
    same, so a revalidation is a 304 here, not a counted download."""
    settings.PDF_DELIVERY = "x-accel"
    etag = client.head(publication.get_pdf_url())["ETag"]
    size = publication.pdf_size

    response = client.get(publication.get_pdf_url(), HTTP_IF_NONE_MATCH=etag)

    assert etag.endswith(f'-{size:x}"')
    assert response.status_code == 304
    assert downloads(publication) == 0


def test_x_accel_mode_counts_only_ranges_from_the_start(client, settings, publication):
    settings.PDF_DELIVERY = "x-accel"
    url = publication.get_pdf_url()

    client.get(url, HTTP_RANGE="bytes=0-1023")
    client.get(url, HTTP_RANGE="bytes=1024-")

    assert downloads(publication) == 1


def test_s3_mode_redirects_to_a_short_signed_url(client, settings, publication):
    settings.PDF_DELIVERY = "s3"
    settings.PDF_SIGNED_URL_TTL = 60
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": f"{__name__}.SigningStorage"},
    }

    response = client.get(publication.get_pdf_url() + "?download=1")

    assert response.status_code == 302
    location = urlsplit(response["Location"])
    query = parse_qs(location.query)
    assert location.path == f"/{publication.pdf.name}"
    assert query["Expires"] == ["60"]
    assert query["Method"] == ["GET"]
    assert query["ResponseContentType"] == ["application/pdf"]
    assert query["ResponseContentDisposition"][0].startswith(
        'attachment; filename="gas-grids-fr.pdf"'
    )
    assert response["Cache-Control"] == "private, no-store"
    assert downloads(publication) == 1


def test_s3_mode_counts_each_redirect_once_but_not_continuations(
    client, settings, publication
):
    settings.PDF_DELIVERY = "s3"
    settings.STORAGES = {
        **settings.STORAGES,
        "private": {"BACKEND": f"{__name__}.SigningStorage"},
    }
    url = publication.get_pdf_url()

    client.get(url)
    client.get(url, HTTP_RANGE="bytes=4096-")
    client.head(url)

    assert downloads(publication) == 1


# Counts and the editors' saves ----------------------------------------------------


def post_title_edit(client, publication, title, **files):
    data = admin_form_data(client.get(change_url(publication)))
    data["title"] = title
    response = client.post(change_url(publication), {**data, **files})
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize("with_new_pdf", [False, True], ids=["title edit", "new PDF"])
def test_downloads_counted_while_the_admin_saves_are_kept(
    client, pdf_upload, with_new_pdf
):
    """The admin reads the row, a download is counted, then the form saves."""
    publication = PublicationFactory(with_pdf=True, authors=[AuthorFactory()])
    count_download(publication)
    client.force_login(UserFactory(is_staff=True, is_superuser=True))

    def download_meanwhile(sender, instance, **kwargs):
        if instance.pk == publication.pk:
            count_download(instance)

    pre_save.connect(download_meanwhile, sender=Publication)
    try:
        files = {"pdf": pdf_upload(title="Second edition")} if with_new_pdf else {}
        post_title_edit(client, publication, "Edited title", **files)
    finally:
        pre_save.disconnect(download_meanwhile, sender=Publication)

    assert Publication.objects.get(pk=publication.pk).title == "Edited title"
    assert downloads(publication) == 2


@pytest.mark.django_db(transaction=True)
def test_concurrent_downloads_during_repeated_admin_saves_are_all_counted():
    publication = PublicationFactory(with_pdf=True, authors=[AuthorFactory()])
    url = publication.get_pdf_url()
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    readers, each = 3, 15

    def download(_):
        client = Client()
        try:
            for _ in range(each):
                response = client.get(url)
                assert response.status_code == 200
                body(response)
        finally:
            connections.close_all()  # before the test database is flushed

    with ThreadPoolExecutor(max_workers=readers) as pool:
        done = [pool.submit(download, n) for n in range(readers)]
        for number in range(10):
            post_title_edit(staff, publication, f"Edition {number}")
        for future in done:
            future.result()

    assert downloads(publication) == readers * each
