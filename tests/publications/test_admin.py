"""The publication admin, driven through its real forms as editors use it."""

import datetime
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.template.defaultfilters import filesizeformat
from django.test import Client
from django.urls import reverse
from pypdf import PdfReader, PdfWriter

from ifri.models import HeldUpload
from ifri.uploads import ALT_TEXT_REQUIRED
from publications.admin import (
    UPLOADER_CANNOT_REMOVE,
    UPLOADER_FIELDS,
    UPLOADER_REFUSED,
)
from publications.conflicts_admin import FIELD
from publications.documents import MESSAGES
from publications.models import Authorship, Publication, Status
from publications.publishing_admin import CONFIRM_FIELD

from ..factories import (
    AuthorFactory,
    PublicationFactory,
    PublicationTypeFactory,
    RelatedLinkFactory,
    ResearchCenterFactory,
    editor,
    publisher,
    uploader,
    yesterday,
)
from ..helpers import (
    CHANGELIST_URL,
    DIRTY_BODY,
    add_inline_rows,
    admin_form_data,
    assert_clean,
    change_url,
    files_in,
    form_errors,
    make_image_bytes,
    make_pdf_bytes,
    snapshot,
)

pytestmark = pytest.mark.django_db

ADD_URL = reverse("admin:publications_publication_add")


def delete_url(publication):
    return reverse("admin:publications_publication_delete", args=[publication.pk])


def encrypted_pdf_bytes() -> bytes:
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(make_pdf_bytes(1))))
    writer.encrypt("secret")
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


# Creating and publishing ----------------------------------------------------


def test_editor_creates_a_publication_with_authors_and_a_pdf_a_publisher_publishes_it(
    client, pdf_upload
):
    first_added = AuthorFactory(given_name="Zoé", family_name="Zimmermann")
    listed_first = AuthorFactory(given_name="Amadou", family_name="Abadie")
    report, center = PublicationTypeFactory(), ResearchCenterFactory()
    user = editor()
    client.force_login(user)
    data = admin_form_data(client.get(ADD_URL))
    data.update(
        title="Gas, grids and geopolitics",
        slug="gas-grids",
        type=str(report.pk),
        center=str(center.pk),
        language="en",
        teaser="How Europe keeps the lights on.",
        body="<h2>Introduction</h2><p>The first section.</p>",
        tags="Energy, European Union",
        status=Status.DRAFT,
        publication_date="2026-11-20",
        publish_at_0=yesterday().date().isoformat(),
        publish_at_1="09:00:00",
        pdf=pdf_upload(pages=4),
    )
    add_inline_rows(
        data,
        "authorships",
        [
            {"author": first_added.pk, "role": "author", "order": 1},
            {"author": listed_first.pk, "role": "author", "order": 0},
        ],
    )

    response = client.post(ADD_URL, data)

    assert response.status_code == 302, form_errors(response)
    publication = Publication.objects.get(slug="gas-grids")
    assert publication.status == Status.DRAFT
    assert publication.updated_by == user
    assert publication.publication_date == datetime.date(2026, 11, 20)
    assert sorted(publication.tags.names()) == ["Energy", "European Union"]
    assert list(
        Authorship.objects.filter(publication=publication).values_list(
            "author", "order"
        )
    ) == [(listed_first.pk, 0), (first_added.pk, 1)]
    assert publication.pdf_pages == 4
    assert publication.pdf_size == len(make_pdf_bytes(4))
    stored = Path(publication.pdf.path)
    assert stored.is_file()
    assert stored.is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert not any(path.suffix == ".pdf" for path in files_in(settings.MEDIA_ROOT))

    reader = Client()
    assert reader.get(publication.get_absolute_url()).status_code == 404

    client.force_login(publisher())
    response = client.post(
        CHANGELIST_URL, {"action": "publish", "_selected_action": [publication.pk]}
    )

    assert response.status_code == 302
    publication.refresh_from_db()
    assert publication.status == Status.PUBLISHED
    page = reader.get(publication.get_absolute_url())
    assert page.status_code == 200
    html = page.content.decode()
    assert html.index("Amadou Abadie") < html.index("Zoé Zimmermann")
    download = reader.get(publication.get_pdf_url())
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == stored.read_bytes()


def test_publish_action_leaves_a_future_publish_at_scheduled(client):
    publication = PublicationFactory(
        draft=True, scheduled=True, authors=[AuthorFactory()]
    )
    client.force_login(publisher())

    client.post(
        CHANGELIST_URL, {"action": "publish", "_selected_action": [publication.pk]}
    )

    publication.refresh_from_db()
    assert publication.is_scheduled
    assert Client().get(publication.get_absolute_url()).status_code == 404


def test_unpublish_action_hides_the_publication_again(client):
    publication = PublicationFactory(with_pdf=True)
    client.force_login(publisher())

    client.post(
        CHANGELIST_URL, {"action": "unpublish", "_selected_action": [publication.pk]}
    )

    publication.refresh_from_db()
    assert publication.status == Status.ARCHIVED
    assert Client().get(publication.get_absolute_url()).status_code == 404
    assert Client().get(publication.get_pdf_url()).status_code == 404


def test_editor_sees_view_on_site_link_that_leads_to_the_preview(client):
    publication = PublicationFactory(draft=True)
    client.force_login(editor())
    content_type = ContentType.objects.get_for_model(Publication)
    link = reverse("admin:view_on_site", args=[content_type.pk, publication.pk])

    html = client.get(change_url(publication)).content.decode()

    assert f'href="{link}"' in html
    assert "View on site" in html
    redirect = client.get(link)
    assert redirect.status_code == 302
    assert redirect["Location"].endswith(publication.get_absolute_url())
    preview = client.get(publication.get_absolute_url())
    assert preview.status_code == 200
    assert "no-store" in preview["Cache-Control"]


# Uploaders -----------------------------------------------------------------


def test_uploader_replaces_the_pdf_through_the_change_form(client, pdf_upload):
    publication = PublicationFactory(draft=True, with_pdf=True)
    old_name, title = publication.pdf.name, publication.title
    user = uploader()
    client.force_login(user)
    page = client.get(change_url(publication))
    # With the time the form was opened on (publications/conflicts_admin.py)
    # and the confirmation the checks before publishing may ask for.
    fields = set(page.context["adminform"].form.fields)
    assert fields == {*UPLOADER_FIELDS, FIELD, CONFIRM_FIELD}
    data = admin_form_data(page)
    data["pdf"] = pdf_upload(pages=7)

    response = client.post(change_url(publication), data)

    assert response.status_code == 302, form_errors(response)
    publication.refresh_from_db()
    assert publication.pdf.name != old_name
    assert publication.pdf_pages == 7
    assert publication.pdf_size == len(make_pdf_bytes(7))
    assert Path(publication.pdf.path).is_relative_to(settings.PRIVATE_MEDIA_ROOT)
    assert publication.title == title
    assert publication.status == Status.DRAFT
    assert publication.updated_by == user


def test_uploader_is_not_offered_the_publish_action_and_cannot_use_it(client):
    publication = PublicationFactory(draft=True)
    client.force_login(uploader())

    changelist = client.get(CHANGELIST_URL)
    client.post(
        CHANGELIST_URL, {"action": "publish", "_selected_action": [publication.pk]}
    )

    assert changelist.status_code == 200
    assert 'value="publish"' not in changelist.content.decode()
    publication.refresh_from_db()
    assert publication.status == Status.DRAFT


def test_publisher_is_offered_the_publish_action(client):
    PublicationFactory(draft=True)
    client.force_login(publisher())

    html = client.get(CHANGELIST_URL).content.decode()

    assert 'value="publish"' in html
    assert 'value="unpublish"' in html


@pytest.mark.parametrize(
    "field,value,label",
    [
        ("title", "A title of my own", "title"),
        ("status", Status.PUBLISHED, "status"),
        ("body", "<p>Rewritten</p>", "body"),
        ("tags", "Leaked topic", "topics and regions"),
    ],
)
def test_uploader_posting_a_protected_field_is_refused_and_nothing_is_saved(
    client, pdf_upload, field, value, label
):
    publication = PublicationFactory(draft=True, tags=["Energy"], with_pdf=True)
    before, private_files = snapshot(publication), files_in(settings.PRIVATE_MEDIA_ROOT)
    user = uploader()
    client.force_login(user)
    data = admin_form_data(client.get(change_url(publication)))
    data.update({field: value, "pdf": pdf_upload(pages=9)})

    response = client.post(change_url(publication), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors == [UPLOADER_REFUSED % {"fields": label}]
    assert "cannot be changed" in response.content.decode()
    assert snapshot(publication) == before
    # The PDF chosen is only held for the uploader, as any refused form's.
    held = HeldUpload.objects.get()
    assert held.user == user and held.name == "analysis.pdf"
    assert files_in(settings.PRIVATE_MEDIA_ROOT) == private_files | {
        settings.PRIVATE_MEDIA_ROOT / held.file.name
    }


def test_uploader_cannot_open_the_add_page(client):
    client.force_login(uploader())

    assert client.get(ADD_URL).status_code == 403


def test_uploader_cannot_delete_a_publication(client):
    publication = PublicationFactory()
    client.force_login(uploader())

    assert client.get(delete_url(publication)).status_code == 403
    assert client.post(delete_url(publication), {"post": "yes"}).status_code == 403
    assert Publication.objects.filter(pk=publication.pk).exists()


def test_uploader_does_not_see_the_inlines(client):
    publication = PublicationFactory(authors=[AuthorFactory()])
    client.force_login(uploader())

    response = client.get(change_url(publication))

    assert response.context["inline_admin_formsets"] == []


FILE_FIELDS = ("pdf", "main_image", "cover_image")


def with_every_file(**kwargs):
    return PublicationFactory(
        with_pdf=True,
        with_image=True,
        cover_image=ContentFile(make_image_bytes("PNG"), name="cover.png"),
        cover_image_alt="A map",
        **kwargs,
    )


def test_uploader_is_not_offered_to_remove_a_file_and_an_editor_is(client):
    publication = with_every_file()

    client.force_login(uploader())
    uploaders_page = client.get(change_url(publication)).content.decode()
    client.force_login(editor())
    editors_page = client.get(change_url(publication)).content.decode()

    for field in FILE_FIELDS:
        assert f'name="{field}-clear"' not in uploaders_page
        assert f'name="{field}"' in uploaders_page  # the file can be replaced
        assert f'name="{field}-clear"' in editors_page


@pytest.mark.parametrize(
    "field,label",
    [
        ("pdf", "full-analysis PDF"),
        ("main_image", "main image"),
        ("cover_image", "cover image"),
    ],
)
def test_uploader_removing_a_file_is_refused_and_the_file_stays(client, field, label):
    publication = with_every_file(draft=True)
    before, stored = snapshot(publication), getattr(publication, field).name
    files = files_in(settings.MEDIA_ROOT) | files_in(settings.PRIVATE_MEDIA_ROOT)
    client.force_login(uploader())
    data = admin_form_data(client.get(change_url(publication)))
    data[f"{field}-clear"] = "on"  # forged: the page has no such checkbox

    response = client.post(change_url(publication), data)

    assert response.status_code == 200
    errors = response.context["adminform"].form.non_field_errors()
    assert errors == [UPLOADER_CANNOT_REMOVE % {"fields": label}]
    assert snapshot(publication) == before
    assert getattr(publication, field).storage.exists(stored)
    assert files_in(settings.MEDIA_ROOT) | files_in(settings.PRIVATE_MEDIA_ROOT) == (
        files
    )
    assert publication.pdf_versions.filter(is_current=True).exists()


def test_editor_may_remove_the_pdf(client):
    publication = PublicationFactory(with_pdf=True, authors=[AuthorFactory()])
    client.force_login(editor())
    data = admin_form_data(client.get(change_url(publication)))
    data["pdf-clear"] = "on"
    data[CONFIRM_FIELD] = "on"  # publishing without a PDF: a warning

    response = client.post(change_url(publication), data)

    assert response.status_code == 302, form_errors(response)
    publication.refresh_from_db()
    assert not publication.pdf
    assert publication.pdf_versions.count() == 1  # kept, and can be restored


# Refused uploads -------------------------------------------------------------


@pytest.mark.parametrize(
    "name,content,code",
    [
        (
            "report.pdf",
            b"<!doctype html><html><body>Report</body></html>",
            "pdf_signature",
        ),
        ("report.pdf", make_image_bytes("PNG"), "pdf_signature"),
        ("report.docx", make_pdf_bytes(1), "pdf_extension"),
        ("report.pdf", b"%PDF-1.7\nthis is not really a PDF", "pdf_unreadable"),
        ("report.pdf", encrypted_pdf_bytes(), "pdf_encrypted"),
        pytest.param(
            "report.pdf",
            b"",
            "pdf_empty",
        ),
    ],
    ids=["html", "png", "docx", "damaged", "encrypted", "empty"],
)
def test_non_pdf_upload_is_refused_with_its_message_and_nothing_changes(
    client, name, content, code
):
    publication = PublicationFactory(with_pdf=True)
    before, private_files = snapshot(publication), files_in(settings.PRIVATE_MEDIA_ROOT)
    client.force_login(editor())
    data = admin_form_data(client.get(change_url(publication)))
    data["pdf"] = SimpleUploadedFile(name, content, content_type="application/pdf")

    response = client.post(change_url(publication), data)

    assert response.status_code == 200
    assert form_errors(response) == {"pdf": [str(MESSAGES[code])]}
    assert snapshot(publication) == before
    assert files_in(settings.PRIVATE_MEDIA_ROOT) == private_files


def test_pdf_over_the_size_limit_is_refused(client, settings, pdf_upload):
    publication = PublicationFactory(with_pdf=True)
    settings.PDF_MAX_UPLOAD_SIZE = 1024  # the limit applies to any new PDF
    before = snapshot(publication)
    client.force_login(uploader())
    data = admin_form_data(client.get(change_url(publication)))
    data["pdf"] = pdf_upload(pages=3)

    response = client.post(change_url(publication), data)

    assert response.status_code == 200
    [message] = form_errors(response)["pdf"]
    assert message == str(MESSAGES["pdf_too_large"]) % {
        "size": filesizeformat(len(make_pdf_bytes(3))),
        "limit": filesizeformat(1024),
    }
    assert snapshot(publication) == before


@pytest.mark.parametrize(
    "image,alt", [("main_image", "main_image_alt"), ("cover_image", "cover_image_alt")]
)
@pytest.mark.parametrize("make_user", [editor, uploader], ids=["editor", "uploader"])
def test_image_without_alt_text_is_refused(client, image_upload, make_user, image, alt):
    publication = PublicationFactory(with_image=True)
    before, media_files = snapshot(publication), files_in(settings.MEDIA_ROOT)
    client.force_login(make_user())
    data = admin_form_data(client.get(change_url(publication)))
    data.update({image: image_upload(), alt: "   "})

    response = client.post(change_url(publication), data)

    assert response.status_code == 200
    assert form_errors(response) == {alt: [str(ALT_TEXT_REQUIRED)]}
    assert snapshot(publication) == before
    assert files_in(settings.MEDIA_ROOT) == media_files


def test_image_with_alt_text_is_stored_under_a_generated_name(client, image_upload):
    publication = PublicationFactory(authors=[AuthorFactory()])
    client.force_login(editor())
    data = admin_form_data(client.get(change_url(publication)))
    data.update(
        cover_image=image_upload('cover "1".png', fmt="PNG"),
        cover_image_alt="A map",
        cover_image_credit="Map: Cartography Studio",
    )

    response = client.post(change_url(publication), data)

    assert response.status_code == 302, form_errors(response)
    publication.refresh_from_db()
    assert publication.cover_image.name.startswith("covers/")
    assert publication.cover_image.name.endswith(".png")
    assert "cover" not in Path(publication.cover_image.name).stem
    assert Path(publication.cover_image.path).is_relative_to(
        settings.PRIVATE_MEDIA_ROOT
    )


def test_image_with_a_long_file_name_is_stored_under_a_generated_name(
    client, image_upload
):
    publication = PublicationFactory(authors=[AuthorFactory()])
    client.force_login(uploader())
    data = admin_form_data(client.get(change_url(publication)))
    data.update(cover_image=image_upload("c" * 200 + ".png", fmt="PNG"))
    data.update(cover_image_alt="A map", cover_image_credit="Map: Cartography Studio")

    response = client.post(change_url(publication), data)

    assert response.status_code == 302, form_errors(response)
    publication.refresh_from_db()
    assert len(Path(publication.cover_image.name).stem) == 32


def test_image_over_the_size_limit_states_the_limit(client, settings, image_upload):
    publication = PublicationFactory()
    settings.IMAGE_MAX_UPLOAD_SIZE = 100
    client.force_login(editor())
    data = admin_form_data(client.get(change_url(publication)))
    upload = image_upload("photo.jpg")
    data["main_image"] = upload

    response = client.post(change_url(publication), data)

    assert form_errors(response) == {
        "main_image": [
            f"This image is {filesizeformat(upload.size)}; the limit is 100\xa0bytes."
        ]
    }


# Body sanitising -------------------------------------------------------------


def test_body_posted_through_the_admin_is_sanitised(client):
    publication = PublicationFactory(
        authors=AuthorFactory.create_batch(2), tags=["Energy"]
    )
    RelatedLinkFactory(publication=publication)
    credits = list(publication.authorships.values_list("author", "role", "order"))
    client.force_login(editor())
    data = admin_form_data(client.get(change_url(publication)))
    data["body"] = DIRTY_BODY

    response = client.post(change_url(publication), data)

    assert response.status_code == 302, form_errors(response)
    publication.refresh_from_db()
    assert_clean(publication.body)
    # The rest of the form went back unchanged.
    assert (
        list(publication.authorships.values_list("author", "role", "order")) == credits
    )
    assert publication.related_links.count() == 1
    assert list(publication.tags.names()) == ["Energy"]


# Changelist -------------------------------------------------------------------


def test_search_finds_a_publication_by_author_family_name(client, commit):
    with commit():  # the search index is kept in step once a save commits
        wanted = PublicationFactory(
            title="Wanted",
            authors=[
                AuthorFactory(given_name="Élodie", family_name="Lefèvre"),
                AuthorFactory(given_name="Marc", family_name="Lefèvre"),
            ],
        )
        PublicationFactory(title="Other", authors=[AuthorFactory(family_name="Martin")])
    client.force_login(editor())

    response = client.get(CHANGELIST_URL, {"q": "Lefèvre"})

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [wanted]
    assert response.context["cl"].result_count == 1


@pytest.fixture
def two_publications():
    """Two publications that differ in every filtered property."""
    energy = PublicationFactory(
        title="Energy",
        type=PublicationTypeFactory(slug="reports"),
        publication_date=datetime.date(2025, 3, 1),
        language="en",
        tags=["Energy"],
    )
    sahel = PublicationFactory(
        title="Sahel",
        draft=True,
        type=PublicationTypeFactory(
            slug="briefings", name="Briefing", name_en="Briefing"
        ),
        publication_date=datetime.date(2024, 6, 1),
        language="fr",
        tags=["Sahel"],
    )
    return {"energy": energy, "sahel": sahel}


@pytest.mark.parametrize(
    "query,expected",
    [
        (lambda p: {"status__exact": "draft"}, "sahel"),
        (lambda p: {"status__exact": "published"}, "energy"),
        (lambda p: {"type__id__exact": p["sahel"].type_id}, "sahel"),
        (lambda p: {"center__id__exact": p["energy"].center_id}, "energy"),
        (lambda p: {"year": "2024"}, "sahel"),
        (lambda p: {"language__exact": "fr"}, "sahel"),
        (lambda p: {"tag": "energy"}, "energy"),
    ],
    ids=[
        "status-draft",
        "status-published",
        "type",
        "center",
        "year",
        "language",
        "tag",
    ],
)
def test_changelist_filters_narrow_the_list(client, two_publications, query, expected):
    client.force_login(editor())

    response = client.get(CHANGELIST_URL, query(two_publications))

    assert response.status_code == 200
    assert list(response.context["cl"].result_list) == [two_publications[expected]]


def test_changelist_lists_authors_in_order(client):
    PublicationFactory(
        authors=[
            AuthorFactory(given_name="B", family_name="Zed"),
            AuthorFactory(given_name="A", family_name="Adams"),
        ]
    )
    client.force_login(editor())

    html = client.get(CHANGELIST_URL).content.decode()

    assert "B Zed, A Adams" in html


def test_changelist_runs_a_fixed_number_of_queries(
    client, django_assert_max_num_queries, clear_content_type_cache
):
    center = ResearchCenterFactory()
    for number in range(20):
        PublicationFactory(
            center=center,
            authors=AuthorFactory.create_batch(3),
            tags=[f"Topic {number}", "Energy"],
        )
    client.force_login(editor())

    # 1 session, 2 user, 3-4 user and group permissions, 5 types and 6 centers
    # for their filters, 7 years and 8 tags for theirs, 9-10 counts (filtered
    # and total), 11 the page of publications, 12 their authorships with
    # authors (prefetched), 13-14 the date hierarchy. An N+1 on authors, types
    # or centers would add 20 or more.
    with django_assert_max_num_queries(14):
        response = client.get(CHANGELIST_URL)

    assert response.status_code == 200
    assert len(response.context["cl"].result_list) == 20
