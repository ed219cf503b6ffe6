"""Length-limited fields in the admin: a counter instead of the browser's
``maxlength``, and the server's own check, which keeps the text."""

import re

import pytest
from django.urls import reverse

from centers.models import ResearchCenter

from ..centers.test_admin import center_form_data
from ..factories import PublicationFactory, ResearchCenterFactory, editor
from ..helpers import change_url

pytestmark = pytest.mark.django_db

CENTER_ADD_URL = reverse("admin:centers_researchcenter_add")
AUTHOR_ADD_URL = reverse("admin:authors_author_add")


def has_maxlength(tag: str) -> bool:
    """Whether the tag has the browser's own ``maxlength`` attribute."""
    return re.search(r"\smaxlength=", tag) is not None


def input_tag(html: str, name: str) -> str:
    """The opening tag of the form control named ``name``."""
    match = re.search(rf'<(?:input|textarea)\b[^>]*\bname="{name}"[^>]*>', html)
    assert match, f"no control named {name}"
    return match.group(0)


def test_editor_who_saves_an_over_long_teaser_gets_the_error_with_the_text_kept(
    client,
):
    center = ResearchCenterFactory(teaser="Short.", teaser_en="Short.")
    client.force_login(editor())
    pasted = "Energy and climate research. " * 12 + "Beyond the limit."  # 365
    assert len(pasted) > 300

    response = client.post(
        reverse("admin:centers_researchcenter_change", args=[center.pk]),
        center_form_data(slug=center.slug, teaser_en=pasted),
    )

    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["teaser_en"] == [
        f"Ensure this value has at most 300 characters (it has {len(pasted)})."
    ]
    html = response.content.decode()
    assert f'value="{pasted}"' in input_tag(html, "teaser_en")
    center.refresh_from_db()
    assert center.teaser_en == "Short."


def test_a_teaser_at_the_limit_is_saved(client):
    client.force_login(editor())

    response = client.post(CENTER_ADD_URL, center_form_data(teaser_en="x" * 300))

    assert response.status_code == 302
    assert ResearchCenter.objects.get(slug="africa").teaser_en == "x" * 300


@pytest.mark.parametrize(
    ("url", "name", "limit"),
    [
        (CENTER_ADD_URL, "teaser_en", 300),
        (CENTER_ADD_URL, "name_fr", 200),
        (AUTHOR_ADD_URL, "given_name", None),
        (AUTHOR_ADD_URL, "job_title_en", None),
    ],
)
def test_limited_fields_carry_their_limit_for_the_counter_not_as_maxlength(
    client, url, name, limit
):
    client.force_login(editor())

    tag = input_tag(client.get(url).content.decode(), name)

    assert not has_maxlength(tag)
    assert re.search(r'data-maxlength="\d+"', tag)
    if limit:
        assert f'data-maxlength="{limit}"' in tag
    assert 'data-counter-text="{count} / {max} characters"' in tag


def test_publication_form_and_its_inlines_count_characters_and_load_the_script(
    client,
):
    publication = PublicationFactory()
    client.force_login(editor())

    html = client.get(change_url(publication)).content.decode()

    assert 'data-maxlength="300"' in input_tag(html, "title")
    assert 'data-maxlength="300"' in input_tag(html, "related_links-__prefix__-title")
    assert not has_maxlength(input_tag(html, "related_links-__prefix__-label"))
    assert "js/admin-character-count.js" in html
    # Fields without a limit get no counter.
    assert "data-maxlength" not in input_tag(html, "teaser")
