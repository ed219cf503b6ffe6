"""Files chosen on an admin form that is refused are kept for the editor who
chose them, shown as “will be saved”, and used by the next submission."""

import datetime
import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from ifri.models import HeldUpload
from publications.models import Publication

from ..factories import (
    AuthorFactory,
    PublicationTypeFactory,
    ResearchCenterFactory,
    editor,
)
from ..helpers import admin_form_data, files_in, form_errors

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:publications_publication_add")
HELD_INPUT = re.compile(r'<input type="hidden" name="([\w-]+-held)" value="([^"]+)">')


def held_inputs(response) -> dict:
    """The hidden inputs naming held files, as the browser sends them back."""
    return dict(HELD_INPUT.findall(response.content.decode()))


def new_publication_data(client, **changes) -> dict:
    data = admin_form_data(client.get(ADD_URL))
    data.update(
        {
            "title": "Gas grids",
            "slug": "gas-grids",
            "type": str(PublicationTypeFactory().pk),
            "center": str(ResearchCenterFactory().pk),
            "language": "en",
            "teaser": "How Europe keeps the lights on.",
            "publication_date": "2026-11-20",
            "publish_at_0": "2026-11-20",
            "publish_at_1": "09:00:00",
            **changes,
        }
    )
    return data


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_files_chosen_on_a_refused_form_are_saved_by_the_next_submission(
    pdf_upload, image_upload, commit
):
    client = signed_in(editor())
    data = new_publication_data(
        client,
        title="",  # forgotten
        pdf=pdf_upload(pages=3),
        main_image=image_upload(),
        main_image_alt="A gas pipeline",
    )

    refused = client.post(ADD_URL, data)

    assert refused.status_code == 200
    assert "title" in form_errors(refused)
    html = refused.content.decode()
    assert "Will be saved: analysis.pdf" in html
    assert "Will be saved: photo.jpg" in html
    assert set(held_inputs(refused)) == {"pdf-held", "main_image-held"}

    again = admin_form_data(refused)
    again.update(title="Gas grids", **held_inputs(refused))
    with commit():
        response = client.post(ADD_URL, again)

    assert response.status_code == 302, form_errors(response)
    publication = Publication.objects.get(slug="gas-grids")
    assert publication.pdf_pages == 3
    assert publication.main_image
    assert not HeldUpload.objects.exists()
    held_folder = settings.PRIVATE_MEDIA_ROOT / "held"
    assert not files_in(held_folder) if held_folder.exists() else True


def test_a_held_file_is_offered_only_to_the_editor_who_chose_it(pdf_upload):
    anne = signed_in(editor(username="anne"))
    refused = anne.post(ADD_URL, new_publication_data(anne, title="", pdf=pdf_upload()))
    token = held_inputs(refused)["pdf-held"]
    bruno = signed_in(editor(username="bruno"))

    response = bruno.post(ADD_URL, new_publication_data(bruno, **{"pdf-held": token}))

    assert response.status_code == 302, form_errors(response)
    assert not Publication.objects.get(slug="gas-grids").pdf
    assert HeldUpload.objects.filter(token=token).exists()  # still anne's


def test_expired_files_are_not_used_and_go_when_new_ones_are_held(pdf_upload, commit):
    client = signed_in(editor())
    refused = client.post(
        ADD_URL, new_publication_data(client, title="", pdf=pdf_upload())
    )
    token = held_inputs(refused)["pdf-held"]
    old = HeldUpload.objects.get(token=token)
    HeldUpload.objects.filter(pk=old.pk).update(
        created_at=timezone.now()
        - settings.HELD_UPLOADS_KEPT_FOR
        - datetime.timedelta(minutes=1)
    )
    stored = settings.PRIVATE_MEDIA_ROOT / old.file.name

    with commit():
        response = client.post(
            ADD_URL,
            new_publication_data(
                client, title="", pdf=pdf_upload(name="new.pdf"), **{"pdf-held": token}
            ),
        )

    assert "Will be saved: new.pdf" in response.content.decode()
    assert not HeldUpload.objects.filter(pk=old.pk).exists()
    assert not stored.exists()


def test_a_refused_file_is_not_held(client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    client.force_login(editor())
    fake = SimpleUploadedFile("fake.pdf", b"<html>not a pdf</html>")
    response = client.post(ADD_URL, new_publication_data(client, title="", pdf=fake))

    assert response.status_code == 200
    assert "pdf" in form_errors(response)
    assert held_inputs(response) == {}
    assert not HeldUpload.objects.exists()


def test_an_authors_photo_is_kept_too(image_upload):
    client = signed_in(editor())
    author = AuthorFactory()
    url = reverse("admin:authors_author_change", args=[author.pk])
    data = admin_form_data(client.get(url))
    data.update(slug="", photo=image_upload(name="portrait.jpg"))

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Will be saved: portrait.jpg" in response.content.decode()
