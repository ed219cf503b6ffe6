"""A publication's images (main image, cover, the PDF's first page) and their
renditions are as private as the publication."""

import datetime
import importlib
import io
import re
from pathlib import Path, PurePosixPath

import pytest
from django.apps import apps
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import storages
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from publications.media import images_of
from publications.models import Publication, Status

from ..factories import AuthorFactory, PublicationFactory, editor, publisher, uploader
from ..helpers import (
    CHANGELIST_URL,
    admin_form_data,
    change_url,
    image_urls,
    make_image_bytes,
    make_pdf_bytes,
    read,
    view_url,
)

pytestmark = pytest.mark.django_db


def stored_names(root, publication) -> set[str]:
    """The files under ``root`` of the publication's images: the originals,
    their renditions and manifests."""
    root = Path(root)
    return {
        path.relative_to(root).as_posix()
        for image in images_of(publication)
        for path in root.rglob(f"{PurePosixPath(image.name).stem}*")
    }


def with_cover(**kwargs):
    return PublicationFactory(
        with_pdf=True,
        with_image=True,
        cover_image=ContentFile(make_image_bytes("PNG", (500, 700)), "cover.png"),
        cover_image_alt="Cover of the report",
        cover_image_credit="Photo: Cover Studio",
        authors=[AuthorFactory()],
        **kwargs,
    )


@pytest.fixture
def publisher_client():
    staff = Client()
    staff.force_login(publisher())
    return staff


def test_a_draft_s_images_are_stored_privately(commit):
    with commit():
        draft = with_cover(draft=True)

    names = stored_names(settings.PRIVATE_MEDIA_ROOT, draft)
    # Three originals, each with renditions and a manifest.
    assert {image.name for image in images_of(draft)} < names
    assert len(names) >= 9
    assert not stored_names(settings.MEDIA_ROOT, draft)


def test_a_stranger_gets_404_for_every_file_of_a_draft_s_images(
    client, publisher_client, commit
):
    with commit():
        draft = with_cover(draft=True)
        pdf_only = PublicationFactory(draft=True, with_pdf=True)
    preview = [
        url
        for publication in (draft, pdf_only)
        for url in image_urls(
            publisher_client.get(publication.get_absolute_url()).text, publication
        )
    ]
    derived = [
        url
        for publication in (draft, pdf_only)
        for name in stored_names(settings.PRIVATE_MEDIA_ROOT, publication)
        for url in (f"/media/{name}", view_url(publication, name))
    ]

    assert preview and len(derived) >= 24
    for url in preview + derived:
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize(
    "state",
    [{"status": Status.DRAFT}, {"status": Status.REVIEW}, {"scheduled": True}],
    ids=["draft", "in-review", "scheduled"],
)
def test_staff_allowed_to_preview_see_a_draft_s_images(client, commit, state):
    with commit():
        publications = [
            PublicationFactory(**state, with_pdf=True, with_image=True),
            # No image: its PDF's first page is the cover.
            PublicationFactory(with_pdf=True, **state),
        ]
    client.force_login(editor())

    for publication in publications:
        urls = image_urls(client.get(publication.get_absolute_url()).text, publication)
        assert urls
        for url in urls:
            assert url.startswith(view_url(publication, "renditions/")), url
            response = client.get(url)
            assert response.status_code == 200
            assert response["Content-Type"] == "image/webp"
            assert "no-store" in response["Cache-Control"]
            assert response["X-Robots-Tag"] == "noindex"
            assert Image.open(io.BytesIO(read(response))).format == "WEBP"

    client.force_login(uploader())  # staff, but not allowed to preview
    assert client.get(url).status_code == 404


def test_published_images_are_read_at_public_urls(client, publisher_client, commit):
    with commit():
        publication = with_cover(draft=True)
        publisher_client.post(
            CHANGELIST_URL,
            {"action": "publish", "_selected_action": [publication.pk]},
        )
    publication.refresh_from_db()

    article = client.get(publication.get_absolute_url()).text
    cards = client.get(reverse("publications:list")).text
    urls = image_urls(article, publication) + image_urls(cards, publication)

    assert len(urls) >= 6
    for url in urls:
        assert url.startswith("/media/renditions/"), url
        response = client.get(url)
        assert response.status_code == 200, url
        read(response)
    og_image = publication.main_image.url
    assert og_image == f"/media/{publication.main_image.name}"
    assert re.search(rf'<meta property="og:image" content="[^"]*{og_image}"', article)
    assert client.get(og_image).status_code == 200


@pytest.mark.parametrize("how", ["action", "form"])
def test_unpublished_images_are_not_readable_any_more(
    client, publisher_client, commit, how
):
    with commit():
        publication = with_cover()
    html = client.get(publication.get_absolute_url()).text
    html += client.get(reverse("publications:list")).text
    public = image_urls(html, publication) + [publication.main_image.url]
    names = stored_names(settings.PRIVATE_MEDIA_ROOT, publication)
    assert stored_names(settings.MEDIA_ROOT, publication) == names

    with commit():
        if how == "action":
            publisher_client.post(
                CHANGELIST_URL,
                {"action": "unpublish", "_selected_action": [publication.pk]},
            )
        else:
            data = admin_form_data(publisher_client.get(change_url(publication)))
            data["_workflow"] = "unpublish"
            publisher_client.post(change_url(publication), data)
    publication.refresh_from_db()

    assert publication.status == Status.ARCHIVED
    assert not stored_names(settings.MEDIA_ROOT, publication)
    for url in public + [view_url(publication, name) for name in names]:
        assert client.get(url).status_code == 404, url


def test_images_are_copied_only_once_the_publish_commits(
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        publication = PublicationFactory(draft=True, with_pdf=True, with_image=True)

    with django_capture_on_commit_callbacks() as callbacks:
        publication.status = Status.PUBLISHED
        publication.save()
    assert not stored_names(settings.MEDIA_ROOT, publication)

    for callback in callbacks:
        callback()
    assert stored_names(settings.MEDIA_ROOT, publication)


def test_a_publication_that_went_live_on_schedule_shows_its_images_to_all(
    client, commit, django_assert_num_queries
):
    with commit():
        publication = PublicationFactory(scheduled=True, with_pdf=True, with_image=True)
    assert not stored_names(settings.MEDIA_ROOT, publication)
    # Its publish-at time passes: no save announces it.
    Publication.objects.filter(pk=publication.pk).update(
        publish_at=timezone.now() - datetime.timedelta(minutes=1)
    )

    urls = image_urls(client.get(publication.get_absolute_url()).text, publication)
    assert urls
    for url in urls:
        assert url.startswith(view_url(publication, "renditions/")), url
        with django_assert_num_queries(1):
            response = client.get(url)
        assert response.status_code == 200
        assert response["Cache-Control"] == "public, max-age=3600"
        read(response)
    assert client.get(url, HTTP_IF_NONE_MATCH=response["ETag"]).status_code == 304

    with commit():
        call_command("sync_publication_images", stdout=io.StringIO())

    urls = image_urls(client.get(publication.get_absolute_url()).text, publication)
    assert urls and all(url.startswith("/media/renditions/") for url in urls)
    assert client.get(urls[0]).status_code == 200


def test_an_earlier_pdf_s_first_page_leaves_the_public_storage(commit):
    with commit():
        publication = PublicationFactory(with_pdf=True)
    first = publication.pdf_thumbnail.name
    assert (Path(settings.MEDIA_ROOT) / first).is_file()

    with commit():
        publication.pdf = ContentFile(make_pdf_bytes(4, "Second"), name="new.pdf")
        publication.save()

    second = publication.pdf_thumbnail.name
    assert second != first
    assert not (Path(settings.MEDIA_ROOT) / first).exists()
    assert (Path(settings.PRIVATE_MEDIA_ROOT) / first).is_file()  # its version's
    assert (Path(settings.MEDIA_ROOT) / second).is_file()


def test_an_image_address_asked_for_another_publication_is_404(client, commit):
    with commit():
        draft = PublicationFactory(draft=True, with_pdf=True, with_image=True)
        published = PublicationFactory(scheduled=True, with_pdf=True, with_image=True)
    Publication.objects.filter(pk=published.pk).update(publish_at=timezone.now())

    stolen = view_url(published, draft.main_image.name)
    made_up = view_url(published, "renditions/publications/nothing-96.webp")

    assert client.get(stolen).status_code == 404
    assert client.get(made_up).status_code == 404
    assert client.get(view_url(published, published.main_image.name)).status_code == (
        200
    )


def test_upgrade_moves_stored_images_out_of_public_reach(commit):
    """Migration 0016, on files stored where earlier code put them: every
    image in the public storage, with its renditions."""
    with commit():
        draft = with_cover(draft=True)
        published = with_cover()
    public, private = Path(settings.MEDIA_ROOT), Path(settings.PRIVATE_MEDIA_ROOT)
    for publication in (draft, published):
        for name in stored_names(private, publication):
            (public / name).parent.mkdir(parents=True, exist_ok=True)
            (private / name).replace(public / name)
    assert not stored_names(private, draft)

    migration = importlib.import_module(
        "publications.migrations.0016_publication_images_private"
    )
    migration.make_images_private(apps, None)

    for publication in (draft, published):
        for image in images_of(publication):
            assert storages["private"].exists(image.name)
    assert not stored_names(public, draft)
    assert {image.name for image in images_of(published)} <= stored_names(
        public, published
    )
