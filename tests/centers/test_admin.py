"""The research center admin: search, the add form, list editing, autocomplete."""

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from centers.models import ResearchCenter
from ifri.uploads import ALT_TEXT_REQUIRED

from ..factories import PublicationFactory, ResearchCenterFactory, editor

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:centers_researchcenter_add")
CHANGELIST_URL = reverse("admin:centers_researchcenter_changelist")
# The center field of the publication form.
PUBLICATION_CENTER = {
    "app_label": "publications",
    "model_name": "publication",
    "field_name": "center",
}


def center_form_data(**values) -> dict:
    """A filled-in add form, as an editor posts it."""
    return {
        "name_en": "Africa Center",
        "name_fr": "Centre Afrique",
        "slug": "africa",
        "teaser_en": "Research on the African continent.",
        "teaser_fr": "",
        "description_en": "",
        "description_fr": "",
        "image_alt_en": "",
        "image_alt_fr": "",
        "image_credit": "",
        "order": "3",
        "is_active": "on",
        **values,
    }


@pytest.mark.parametrize("term", ["Africa", "Afrique", "africa-center"])
def test_search_finds_a_center_by_either_name_or_slug(client, term):
    wanted = ResearchCenterFactory(
        name="Africa Center",
        name_en="Africa Center",
        name_fr="Centre Afrique",
        slug="africa-center",
    )
    ResearchCenterFactory(name="Energy Center", name_en="Energy Center")
    client.force_login(editor())

    response = client.get(CHANGELIST_URL, {"q": term})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [wanted]


def test_editor_creates_a_center_through_the_add_form(client, image_upload):
    client.force_login(editor())

    response = client.post(
        ADD_URL,
        center_form_data(
            image=image_upload("room.png", fmt="PNG"),
            image_alt_en="A meeting room",
            image_credit="Photo: Studio",
        ),
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    center = ResearchCenter.objects.get(slug="africa")
    assert center.name == "Africa Center"
    assert center.order == 3
    assert center.is_active
    assert center.image.name.startswith("centers/")
    assert (settings.MEDIA_ROOT / center.image.name).is_file()
    with translation.override("fr"):
        assert center.name == "Centre Afrique"
        # No French teaser: the English one is used.
        assert center.teaser == "Research on the African continent."


def test_english_name_is_required(client):
    client.force_login(editor())

    response = client.post(ADD_URL, center_form_data(name_en=""))

    assert response.status_code == 200
    assert "name_en" in response.context["adminform"].form.errors
    assert not ResearchCenter.objects.exists()


def test_image_without_alt_text_is_refused(client, image_upload):
    client.force_login(editor())

    response = client.post(ADD_URL, center_form_data(image=image_upload()))

    assert response.status_code == 200
    assert str(ALT_TEXT_REQUIRED) in response.content.decode()
    assert not ResearchCenter.objects.exists()


def test_editor_reorders_and_deactivates_a_center_from_the_list(client):
    center = ResearchCenterFactory(order=0, is_active=True)
    client.force_login(editor())
    formset = client.get(CHANGELIST_URL).context["cl"].formset
    data = {
        f"{formset.prefix}-TOTAL_FORMS": "1",
        f"{formset.prefix}-INITIAL_FORMS": "1",
        f"{formset.prefix}-0-id": str(center.pk),
        f"{formset.prefix}-0-order": "7",
        "_save": "Save",
    }  # is_active left out: an unticked checkbox.

    response = client.post(CHANGELIST_URL, data)

    assert response.status_code == 302
    center.refresh_from_db()
    assert center.order == 7
    assert not center.is_active


def test_changelist_counts_publications_of_each_center(client):
    center = ResearchCenterFactory()
    PublicationFactory.create_batch(2, center=center)
    client.force_login(editor())

    response = client.get(CHANGELIST_URL, {"q": center.slug})

    [row] = response.context["cl"].result_list
    assert row.publication_total == 2


def test_publication_center_autocomplete_returns_matching_centers(client):
    wanted = ResearchCenterFactory(name="Africa Center", name_en="Africa Center")
    ResearchCenterFactory(name="Energy Center", name_en="Energy Center")
    client.force_login(editor())

    response = client.get(
        reverse("admin:autocomplete"), {"term": "Afri", **PUBLICATION_CENTER}
    )

    assert response.status_code == 200
    assert response.json()["results"] == [
        {"id": str(wanted.pk), "text": "Africa Center"}
    ]
