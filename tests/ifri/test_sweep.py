"""``manage.py sweep_files``: stored files no row refers to are removed once
older than the grace period; young ones and every referenced file stay."""

import io
import os
import time
from datetime import timedelta
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.management import CommandError, call_command
from django.utils import timezone

from ifri.rendition_names import manifest_name, rendition_name
from ifri.sweep import sweep

from ..factories import AuthorFactory, PublicationFactory, ResearchCenterFactory
from ..helpers import PRIVATE_BUCKET, PUBLIC_BUCKET, make_image_bytes, make_pdf_bytes

pytestmark = pytest.mark.django_db

TWO_DAYS = 2 * 24 * 60 * 60


def every_file() -> set[str]:
    """Every stored file, as ``public/<name>`` or ``private/<name>``."""
    found = set()
    for label, root in (
        ("public", settings.MEDIA_ROOT),
        ("private", settings.PRIVATE_MEDIA_ROOT),
    ):
        found |= {
            f"{label}/{path.relative_to(root).as_posix()}"
            for path in Path(root).rglob("*")
            if path.is_file()
        }
    return found


def write(label: str, name: str, age_seconds: int = 0) -> str:
    root = settings.MEDIA_ROOT if label == "public" else settings.PRIVATE_MEDIA_ROOT
    path = Path(root) / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"left behind")
    written = time.time() - age_seconds
    os.utime(path, (written, written))
    return f"{label}/{name}"


def sweep_files(*args) -> str:
    out = io.StringIO()
    call_command("sweep_files", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def referenced(commit):
    """Rows with every kind of file, renditions made, two PDF versions."""
    with commit():
        publication = PublicationFactory(
            cover_image=ContentFile(make_image_bytes("PNG"), name="c.png"),
            cover_image_alt="A map",
            with_pdf=True,
            with_image=True,
        )
        publication.pdf = ContentFile(make_pdf_bytes(4), name="second.pdf")
        publication.save()  # the first PDF stays, as an earlier version
        AuthorFactory()
    files = every_file()
    assert any(name.startswith("public/renditions/") for name in files)
    assert publication.pdf_versions.count() == 2
    # Referenced files are as old as any orphan: only references keep them.
    for name in files:
        label, relative = name.split("/", 1)
        write(label, relative, age_seconds=TWO_DAYS)
    return files


def test_orphans_older_than_the_grace_period_are_removed_and_the_rest_kept(
    referenced,
):
    orphans = {
        write("private", "pdf/killed-before-commit.pdf", TWO_DAYS),
        write("public", "pdf-thumbnails/killed-before-commit.webp", TWO_DAYS),
        write("public", "covers/orphan.png", TWO_DAYS),
        write("public", "authors/orphan.jpg", TWO_DAYS),
        write("public", "centers/nested/orphan.jpg", TWO_DAYS),
        write("public", rendition_name("covers/orphan.png", 96), TWO_DAYS),
        write("public", manifest_name("covers/orphan.png"), TWO_DAYS),
        # A publication's image: kept privately, copied while published.
        write("private", "publications/orphan.jpg", TWO_DAYS),
        write("private", rendition_name("publications/orphan.jpg", 96), TWO_DAYS),
        write("public", "publications/orphan.jpg", TWO_DAYS),
    }
    young = write("private", "pdf/upload-in-flight.pdf", age_seconds=60)
    not_ours = write("public", "press/kit.zip", TWO_DAYS)

    output = sweep_files("--grace-hours", "24")

    assert every_file() == referenced | {young, not_ours}
    assert f"Removed {len(orphans)} files" in output
    assert "kept 1 written in the last 24 hours" in output
    assert "pdf/killed-before-commit.pdf" in output


def test_dry_run_lists_the_orphans_and_removes_nothing(referenced):
    orphan = write("private", "pdf/orphan.pdf", TWO_DAYS)

    output = sweep_files("--grace-hours", "24", "--dry-run")

    assert every_file() == referenced | {orphan}
    assert "Would remove pdf/orphan.pdf" in output
    assert "Would remove 1 files" in output


def test_a_grace_period_under_an_hour_is_refused():
    orphan = write("private", "pdf/orphan.pdf", TWO_DAYS)

    with pytest.raises(CommandError, match="at least 1"):
        sweep_files("--grace-hours", "0")

    assert orphan in every_file()


def test_a_center_image_and_its_renditions_are_kept(commit):
    with commit():
        center = ResearchCenterFactory()
    names = every_file()
    for name in names:
        label, relative = name.split("/", 1)
        write(label, relative, age_seconds=TWO_DAYS)

    sweep_files("--grace-hours", "1")

    assert every_file() == names
    assert f"public/{center.image.name}" in names


def test_objects_no_row_refers_to_are_removed_from_the_buckets(
    s3,  # noqa: F811
    commit,
):
    with commit():
        publication = PublicationFactory(with_pdf=True, with_image=True)
    kept = {
        (PRIVATE_BUCKET, publication.pdf.name),
        (PRIVATE_BUCKET, publication.pdf_thumbnail.name),
        (PRIVATE_BUCKET, publication.main_image.name),
        # The public copies of a published publication's images.
        (PUBLIC_BUCKET, publication.pdf_thumbnail.name),
        (PUBLIC_BUCKET, publication.main_image.name),
    }
    orphans = {(PRIVATE_BUCKET, "pdf/orphan.pdf"), (PUBLIC_BUCKET, "covers/o.png")}
    for bucket, key in orphans:
        s3.put_object(Bucket=bucket, Key=key, Body=b"left behind")

    # Everything was written before this moment, and after that one.
    young = sweep(timezone.now() - timedelta(hours=1))
    old = sweep(timezone.now() + timedelta(minutes=1))

    assert {found.name for found in young.young} == {key for _, key in orphans}
    assert young.removed == []
    assert {found.name for found in old.removed} == {key for _, key in orphans}
    for bucket in (PUBLIC_BUCKET, PRIVATE_BUCKET):
        listing = s3.list_objects_v2(Bucket=bucket).get("Contents", [])
        keys = {(bucket, item["Key"]) for item in listing}
        assert keys & orphans == set()
        assert {k for k in kept if k[0] == bucket} <= keys
