"""The author admin: search, the add form and the autocomplete of the inline."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from authors.models import Author
from ifri import uploads
from ifri.filestore import MESSAGES as FILE_MESSAGES
from ifri.uploads import ALT_TEXT_REQUIRED

from ..factories import (
    AuthorFactory,
    PublicationFactory,
    ResearchCenterFactory,
    editor,
    uploader,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:authors_author_add")
CHANGELIST_URL = reverse("admin:authors_author_changelist")
AUTOCOMPLETE_URL = reverse("admin:autocomplete")
# The author field of the authorship inline on the publication form.
AUTHORSHIP_AUTHOR = {
    "app_label": "publications",
    "model_name": "authorship",
    "field_name": "author",
}


def author_form_data(**values) -> dict:
    """A filled-in add form, as an editor posts it."""
    return {
        "given_name": "Élodie",
        "family_name": "Lefèvre",
        "slug": "elodie-lefevre",
        "job_title_en": "Research Fellow, Africa Center",
        "job_title_fr": "Chercheuse, Centre Afrique",
        "bio_en": "Works on the Sahel.",
        "bio_fr": "Travaille sur le Sahel.",
        "photo_alt_en": "",
        "photo_alt_fr": "",
        "photo_credit": "",
        "affiliation": "",
        "orcid": "",
        "is_active": "on",
        **values,
    }


def test_search_finds_an_author_by_family_name(client):
    wanted = AuthorFactory(given_name="Élodie", family_name="Lefèvre")
    AuthorFactory(given_name="Marc", family_name="Martin")
    client.force_login(editor())

    response = client.get(CHANGELIST_URL, {"q": "Lefèvre"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [wanted]


def test_changelist_counts_each_publication_once(client):
    author = AuthorFactory()
    PublicationFactory(authors=[author, AuthorFactory()])
    PublicationFactory(authors=[author])
    client.force_login(editor())

    response = client.get(CHANGELIST_URL, {"q": author.family_name})

    [row] = response.context["cl"].result_list
    assert row.publication_total == 2


def test_editor_creates_an_author_through_the_add_form(client, image_upload):
    center = ResearchCenterFactory()
    client.force_login(editor())

    response = client.post(
        ADD_URL,
        author_form_data(
            centers=[str(center.pk)],
            photo=image_upload("portrait.jpg"),
            photo_alt_en="Portrait of Élodie Lefèvre",
            photo_credit="Photo: Studio",
            orcid="0000-0002-1825-0097",
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    author = Author.objects.get(slug="elodie-lefevre")
    assert author.full_name == "Élodie Lefèvre"
    assert list(author.centers.all()) == [center]
    assert author.orcid_url == "https://orcid.org/0000-0002-1825-0097"
    assert author.photo.name.startswith("authors/")
    assert (settings.MEDIA_ROOT / author.photo.name).is_file()
    assert author.job_title == "Research Fellow, Africa Center"
    with translation.override("fr"):
        assert author.job_title == "Chercheuse, Centre Afrique"
        assert author.bio == "Travaille sur le Sahel."
        # No French alt text yet: the English one is used.
        assert author.photo_alt == "Portrait of Élodie Lefèvre"


def test_an_uploaded_photo_is_checked_once(client, image_upload, monkeypatch):
    checked = []
    check = uploads._check_image
    monkeypatch.setattr(
        uploads,
        "_check_image",
        lambda upload, ext: checked.append(ext) or check(upload, ext),
    )
    client.force_login(editor())

    response = client.post(
        ADD_URL,
        author_form_data(
            photo=image_upload("portrait.jpg"), photo_alt_en="Portrait", photo_credit=""
        ),
    )

    assert response.status_code == 302
    assert checked == [".jpg"]


def test_full_disk_adds_no_author_leaves_no_file_and_says_so(
    client, image_upload, full_disk
):
    client.force_login(editor())
    full_disk()

    response = client.post(
        ADD_URL,
        author_form_data(photo=image_upload("portrait.jpg"), photo_alt_en="Portrait"),
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.non_field_errors() == [str(FILE_MESSAGES["storage_full"])]
    assert form["family_name"].value() == "Lefèvre"
    assert not Author.objects.exists()
    assert not [path for path in settings.MEDIA_ROOT.rglob("*") if path.is_file()]


def test_invalid_orcid_is_refused(client):
    client.force_login(editor())

    response = client.post(ADD_URL, author_form_data(orcid="0000-0002-1825"))

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["orcid"] == [
        "Enter an ORCID iD such as 0000-0002-1825-0097."
    ]
    assert not Author.objects.exists()


def test_photo_without_alt_text_is_refused(client, image_upload):
    client.force_login(editor())

    response = client.post(ADD_URL, author_form_data(photo=image_upload()))

    assert response.status_code == 200
    assert str(ALT_TEXT_REQUIRED) in response.content.decode()
    assert not Author.objects.exists()


def test_authorship_autocomplete_returns_matching_authors(client):
    wanted = AuthorFactory(given_name="Élodie", family_name="Lefèvre")
    AuthorFactory(given_name="Marc", family_name="Martin")
    client.force_login(editor())

    response = client.get(AUTOCOMPLETE_URL, {"term": "Lefè", **AUTHORSHIP_AUTHOR})

    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": str(wanted.pk), "text": "Élodie Lefèvre"}
    ]


def test_authorship_autocomplete_is_refused_to_uploaders(client):
    AuthorFactory(family_name="Lefèvre")
    client.force_login(uploader())

    response = client.get(AUTOCOMPLETE_URL, {"term": "Lef", **AUTHORSHIP_AUTHOR})

    assert response.status_code == 403
