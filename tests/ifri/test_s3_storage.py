"""PDFs and images in S3-compatible object storage, against a local S3 server.

moto's server runs in a thread on 127.0.0.1 (tests/ifri/conftest.py); the
storages are pointed at it the way production settings point them at a bucket.
"""

from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.files.base import ContentFile

from ifri.storage import PrivateS3Storage, PublicS3Storage
from publications.models import Publication

from ..factories import PublicationFactory
from ..helpers import PRIVATE_BUCKET, PUBLIC_BUCKET, http_get, make_pdf_bytes

pytest.importorskip(
    "moto.server",
    reason="moto[server] is not installed (it is in the dev extra: make install)",
)

pytestmark = pytest.mark.django_db


def test_pdf_uploaded_through_the_model_is_a_private_object(s3):
    publication = PublicationFactory(with_pdf=True)

    stored = s3.get_object(Bucket=PRIVATE_BUCKET, Key=publication.pdf.name)
    grants = s3.get_object_acl(Bucket=PRIVATE_BUCKET, Key=publication.pdf.name)
    assert isinstance(publication.pdf.storage, PrivateS3Storage)
    assert stored["Body"].read().startswith(b"%PDF-")
    assert stored["ContentType"] == "application/pdf"
    assert [g["Permission"] for g in grants["Grants"]] == ["FULL_CONTROL"]
    assert publication.pdf_size == stored["ContentLength"]


def test_published_images_are_copied_to_the_public_bucket_with_plain_urls(
    s3, s3_endpoint, commit
):
    with commit():
        publication = PublicationFactory(with_image=True)
    name = publication.main_image.name

    url = publication.main_image.url

    assert isinstance(publication.main_image.storage, PrivateS3Storage)
    assert isinstance(publication.center.image.storage, PublicS3Storage)
    assert url == f"{s3_endpoint}/{PUBLIC_BUCKET}/{name}"
    assert http_get(url)[0] == 200
    s3.head_object(Bucket=PRIVATE_BUCKET, Key=name)


def test_unsigned_get_of_a_private_pdf_is_refused(s3, s3_endpoint):
    publication = PublicationFactory(with_pdf=True)

    status, _, _ = http_get(f"{s3_endpoint}/{PRIVATE_BUCKET}/{publication.pdf.name}")

    assert status == 403


def test_django_delivery_streams_the_pdf_from_the_bucket(client, settings, s3):
    settings.PDF_DELIVERY = "django"
    pdf = make_pdf_bytes(30, "Streamed from S3")
    publication = PublicationFactory(pdf=ContentFile(pdf, name="analysis.pdf"))

    full = client.get(publication.get_pdf_url())
    part = client.get(publication.get_pdf_url(), HTTP_RANGE="bytes=100-199")

    assert full.status_code == 200
    assert b"".join(full.streaming_content) == pdf
    assert int(full["Content-Length"]) == len(pdf)
    assert part.status_code == 206
    assert b"".join(part.streaming_content) == pdf[100:200]
    assert part["Content-Range"] == f"bytes 100-199/{len(pdf)}"
    etag = full["ETag"]
    assert (
        client.get(publication.get_pdf_url(), HTTP_IF_NONE_MATCH=etag).status_code
        == 304
    )
    assert Publication.objects.get(pk=publication.pk).download_count == 1


def test_s3_delivery_redirects_to_a_signed_url_that_serves_the_pdf(
    client, settings, s3
):
    settings.PDF_DELIVERY = "s3"
    publication = PublicationFactory(slug="arctic", language="en", with_pdf=True)

    response = client.get(publication.get_pdf_url() + "?download=1")

    assert response.status_code == 302
    query = parse_qs(urlsplit(response["Location"]).query)
    assert query["X-Amz-Algorithm"] == ["AWS4-HMAC-SHA256"]
    assert query["X-Amz-Expires"] == ["60"]
    status, headers, body = http_get(response["Location"])
    assert status == 200
    assert body == publication.pdf.open("rb").read()
    assert headers["Content-Type"] == "application/pdf"
    assert headers["Content-Disposition"].startswith(
        'attachment; filename="arctic-en.pdf"'
    )
    assert Publication.objects.get(pk=publication.pk).download_count == 1


def test_s3_delivery_answers_head_with_a_url_signed_for_head(client, settings, s3):
    settings.PDF_DELIVERY = "s3"
    publication = PublicationFactory(with_pdf=True)

    response = client.head(publication.get_pdf_url())
    status, headers, _ = http_get(response["Location"], method="HEAD")

    assert status == 200
    assert int(headers["Content-Length"]) == publication.pdf_size
    assert Publication.objects.get(pk=publication.pk).download_count == 0


def test_s3_delivery_of_a_draft_is_404(client, settings, s3):
    settings.PDF_DELIVERY = "s3"
    publication = PublicationFactory(draft=True, with_pdf=True)

    assert client.get(publication.get_pdf_url()).status_code == 404
