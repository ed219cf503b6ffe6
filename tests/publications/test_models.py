"""What a publication does by itself, whatever saves it: a form, a script or
an import."""

import pytest

from ..factories import PublicationFactory
from ..helpers import DIRTY_BODY, assert_clean

pytestmark = pytest.mark.django_db


def test_body_saved_without_a_form_is_sanitised():
    publication = PublicationFactory()

    publication.body = DIRTY_BODY
    publication.save()

    publication.refresh_from_db()
    assert_clean(publication.body)


def test_removing_the_pdf_keeps_the_history_without_a_current_version():
    publication = PublicationFactory(with_pdf=True)

    publication.pdf = ""
    publication.save()

    publication.refresh_from_db()
    assert (publication.pdf_size, publication.pdf_pages) == (None, None)
    assert not publication.pdf_thumbnail
    assert publication.pdf_versions.filter(is_current=True).count() == 0
    assert publication.pdf_versions.count() == 1
    assert publication.pdf_text == ""
