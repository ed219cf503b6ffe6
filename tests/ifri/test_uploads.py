import pytest
from django.core.files.base import ContentFile

from ..conftest import make_image_bytes, make_pdf_bytes
from ..factories import AuthorFactory, PublicationFactory

pytestmark = pytest.mark.django_db(transaction=True)


def test_replaced_files_are_removed_from_storage():
    publication = PublicationFactory()
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
    publication = PublicationFactory()
    pdf = publication.pdf.path

    author.delete()
    type(publication).objects.filter(pk=publication.pk).delete()

    assert not author.photo.storage.exists(photo)
    assert not publication.pdf.storage.exists(pdf)


def test_unchanged_files_stay():
    publication = PublicationFactory()

    publication.title = "New title"
    publication.save()

    assert publication.pdf.storage.exists(publication.pdf.name)
    assert publication.main_image.storage.exists(publication.main_image.name)
