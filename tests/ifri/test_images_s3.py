"""Renditions in object storage: same names, in the public bucket, no local file.

Uses the S3 server of test_s3_storage (skipped, like it, without moto).
"""

from pathlib import PurePosixPath

import pytest
from django.core.files.base import ContentFile

from ifri.images import rendition_name, widths_for
from publications.models import Publication

from ..conftest import make_image_bytes
from ..factories import PublicationFactory
from .test_s3_storage import PUBLIC_BUCKET, s3, s3_endpoint  # noqa: F401 (fixtures)

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
            main_image=ContentFile(make_image_bytes("JPEG", (700, 350)), "m.jpg")
        )
    name = publication.main_image.name
    expected = {rendition_name(name, w) for w in widths_for(700)}
    assert rendition_keys(s3, name) == expected

    html = client.get(publication.get_absolute_url()).content.decode()
    assert f"/{rendition_name(name, 700)} 700w" in html

    with django_capture_on_commit_callbacks(execute=True):
        Publication.objects.filter(pk=publication.pk).delete()
    assert rendition_keys(s3, name) == set()
