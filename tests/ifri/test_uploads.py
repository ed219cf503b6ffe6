from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.base import ContentFile

from ifri.filestore import FileNotStored
from ifri.uploads import is_new_upload

from ..factories import AuthorFactory, PublicationFactory
from ..helpers import make_image_bytes, make_pdf_bytes

pytestmark = pytest.mark.django_db(transaction=True)


def test_replaced_files_are_removed_from_storage():
    publication = PublicationFactory(with_pdf=True, with_image=True)
    old_pdf, old_image = publication.pdf.path, publication.main_image.path

    publication.pdf = ContentFile(make_pdf_bytes(4), name="new.pdf")
    publication.main_image = ContentFile(make_image_bytes(), name="new.jpg")
    publication.save()

    publication.refresh_from_db()
    assert publication.pdf_pages == 4
    assert publication.pdf.storage.exists(publication.pdf.name)
    # A replaced PDF stays: it is an earlier version, which can be restored.
    assert publication.pdf.storage.exists(old_pdf)
    assert not publication.main_image.storage.exists(old_image)


def test_deleting_a_row_removes_its_files():
    author = AuthorFactory()
    photo = author.photo.path
    publication = PublicationFactory(with_pdf=True)
    pdf = publication.pdf.path

    author.delete()
    type(publication).objects.filter(pk=publication.pk).delete()

    assert not author.photo.storage.exists(photo)
    assert not publication.pdf.storage.exists(pdf)


def test_unchanged_files_stay():
    publication = PublicationFactory(with_pdf=True, with_image=True)

    publication.title = "New title"
    publication.save()

    assert publication.pdf.storage.exists(publication.pdf.name)
    assert publication.main_image.storage.exists(publication.main_image.name)


def stored_files() -> set[Path]:
    return {
        path
        for folder in (settings.MEDIA_ROOT, settings.PRIVATE_MEDIA_ROOT)
        for path in Path(folder).rglob("*")
        if path.is_file()
    }


def test_full_disk_raises_file_not_stored_and_leaves_no_partial_file(full_disk):
    """A script's save too: the photo cut short is deleted, the row unchanged."""
    author = AuthorFactory()
    photo, files = author.photo.name, stored_files()
    full_disk()

    author.photo = ContentFile(make_image_bytes(), name="new.jpg")
    with pytest.raises(FileNotStored) as caught:
        author.save()

    assert caught.value.full
    assert stored_files() == files
    author.refresh_from_db()
    assert author.photo.name == photo


def test_row_that_fails_to_save_leaves_no_file():
    author = AuthorFactory()
    files = stored_files()
    author.photo = ContentFile(make_image_bytes(), name="new.jpg")
    author.slug = None  # the row cannot be saved: NOT NULL

    with pytest.raises(Exception):  # noqa: B017 - the database's own error
        author.save()

    assert stored_files() == files


def test_a_file_given_to_a_field_is_new_until_stored_and_a_stored_name_never():
    author = AuthorFactory()
    stored = author.photo.name
    assert not is_new_upload(author.photo)

    author.photo = ContentFile(make_image_bytes(), name="new.jpg")
    assert is_new_upload(author.photo)
    author.save()
    assert not is_new_upload(author.photo)

    author.photo = stored  # a name: points to a stored file, stores nothing
    assert not is_new_upload(author.photo)
    reloaded = type(author).objects.get(pk=author.pk)
    assert not is_new_upload(reloaded.photo)
    assert is_new_upload(ContentFile(b"x", name="x.jpg"))
