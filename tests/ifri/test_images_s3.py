"""Renditions in object storage: same names, in the public bucket, no local file;
a draft's images only in the private bucket.

Uses the S3 server of test_s3_storage (skipped, like it, without moto).
"""

from pathlib import PurePosixPath

import pytest
from django.core.files.base import ContentFile
from django.test import Client

from ifri.rendition_names import rendition_name, widths_for
from publications.media import images_of
from publications.models import Publication, Status

from ..factories import PublicationFactory, editor
from ..helpers import (
    PRIVATE_BUCKET,
    PUBLIC_BUCKET,
    http_get,
    image_urls,
    make_image_bytes,
    read,
    view_url,
)

pytestmark = pytest.mark.django_db


def rendition_keys(client, name: str) -> set[str]:
    stem = PurePosixPath(rendition_name(name, 1)).parent / PurePosixPath(name).stem
    listing = client.list_objects_v2(Bucket=PUBLIC_BUCKET, Prefix=f"{stem}-")
    return {item["Key"] for item in listing.get("Contents", [])}


def test_renditions_are_made_served_and_removed_in_the_bucket(
    s3,  # noqa: F811
    client,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        publication = PublicationFactory(
            main_image=ContentFile(make_image_bytes("JPEG", (700, 350)), "m.jpg"),
            with_image=True,
        )
    name = publication.main_image.name
    expected = {rendition_name(name, w) for w in widths_for(700)}
    assert rendition_keys(s3, name) == expected

    html = client.get(publication.get_absolute_url()).content.decode()
    assert f"/{rendition_name(name, 700)} 700w" in html

    with django_capture_on_commit_callbacks(execute=True):
        Publication.objects.filter(pk=publication.pk).delete()
    assert rendition_keys(s3, name) == set()


def image_keys(client, bucket: str, publication) -> set[str]:
    """The publication's images in the bucket: originals, renditions, manifests."""
    keys = set()
    for image in images_of(publication):
        path = PurePosixPath(image.name)
        for prefix in (f"{path.parent}/{path.stem}", f"renditions/{path.parent}/"):
            listing = client.list_objects_v2(Bucket=bucket, Prefix=prefix)
            keys |= {
                item["Key"]
                for item in listing.get("Contents", [])
                if path.stem in item["Key"]
            }
    return keys


def test_a_draft_s_images_are_in_the_public_bucket_only_while_it_is_published(
    s3,  # noqa: F811
    s3_endpoint,  # noqa: F811
    client,
    commit,
):
    with commit():
        draft = PublicationFactory(draft=True, with_pdf=True, with_image=True)
    names = image_keys(s3, PRIVATE_BUCKET, draft)
    staff = Client()
    staff.force_login(editor())

    assert len(names) >= 6 and not image_keys(s3, PUBLIC_BUCKET, draft)
    for name in names:
        assert http_get(f"{s3_endpoint}/{PUBLIC_BUCKET}/{name}")[0] in (403, 404)
        assert http_get(f"{s3_endpoint}/{PRIVATE_BUCKET}/{name}")[0] == 403
        assert client.get(view_url(draft, name)).status_code == 404
    preview = image_urls(staff.get(draft.get_absolute_url()).text, draft)
    assert preview
    for url in preview:
        response = staff.get(url)
        assert response.status_code == 200
        assert read(response)[:4] == b"RIFF"  # WebP, from the private bucket
        assert client.get(url).status_code == 404

    with commit():
        draft.status = Status.PUBLISHED
        draft.save()
    public = image_urls(client.get(draft.get_absolute_url()).text, draft)

    assert image_keys(s3, PUBLIC_BUCKET, draft) == names
    assert public
    for url in public:
        assert url.startswith(f"{s3_endpoint}/{PUBLIC_BUCKET}/renditions/")
        assert http_get(url)[0] == 200

    with commit():
        draft.status = Status.DRAFT
        draft.save()

    assert not image_keys(s3, PUBLIC_BUCKET, draft)
    assert image_keys(s3, PRIVATE_BUCKET, draft) == names
    for url in public:
        assert http_get(url)[0] in (403, 404)
