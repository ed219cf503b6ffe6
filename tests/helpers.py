"""What several test modules share besides factories: files to upload, the
admin's forms as a browser posts them, the addresses pages are reached at,
the images a page shows, plain HTTP to the local S3 server."""

import io
import re
import urllib.error
import urllib.request
from pathlib import Path, PurePosixPath

import pytest
from django import forms
from django.core.files.base import ContentFile
from django.db import connection
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from reportlab.pdfgen import canvas
from taggit.forms import TagField
from taggit.utils import edit_string_for_tags

from publications.media import images_of
from publications.models import Publication
from publications.search import search

# What a page's header adds until the cache has it: the editors' suggestions
# and the frequent searches of the search panel.
SEARCH_PANEL_QUERIES = 2

# The host and port a test's requests reach the site at (pass it as HTTP_HOST).
REACHED_HOST = "example.org:8080"


# Files -----------------------------------------------------------------------


def make_pdf_bytes(
    pages: int = 2, title: str = "Test analysis", invariant: bool = False
) -> bytes:
    """A PDF of ``pages`` pages; reportlab dates it and gives it a random
    identifier, unless ``invariant``: the same arguments, the same bytes."""
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer, invariant=invariant)
    for number in range(1, pages + 1):
        pdf.drawString(72, 720, f"{title}, page {number}")
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


def pdf_saying(text: str) -> ContentFile:
    """A two-page PDF upload whose text says ``text``."""
    return ContentFile(make_pdf_bytes(2, title=text), name="analysis.pdf")


def make_image_bytes(fmt: str = "JPEG", size=(64, 40), color=(30, 90, 160)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, fmt)
    return buffer.getvalue()


# A publication's body ----------------------------------------------------------

DIRTY_BODY = '<script>alert(1)</script><h2>Ok</h2><p onclick="x()">Hi</p>'


def assert_clean(body: str) -> None:
    assert "<script" not in body
    assert "alert(1)" not in body
    assert "onclick" not in body
    assert "<h2>Ok</h2>" in body
    assert "Hi" in body


# The publication admin --------------------------------------------------------

CHANGELIST_URL = reverse("admin:publications_publication_changelist")


def change_url(publication):
    return reverse("admin:publications_publication_change", args=[publication.pk])


def admin_form_data(response) -> dict:
    """What a browser posts back from the admin page just rendered, unchanged.

    Field names, inline prefixes and management-form values come from the forms
    the admin built for this user, so the data follows the admin's real shape.
    """
    data = {}
    page_forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        management = formset.management_form
        for name in management.fields:
            data[management[name].html_name] = str(management[name].value())
        page_forms += formset.forms
    for form in page_forms:
        for name, field in form.fields.items():
            bound = form[name]
            key, value = bound.html_name, bound.value()
            if isinstance(field, forms.FileField):
                continue  # An empty file input keeps the stored file.
            if isinstance(field, forms.BooleanField):
                if value:
                    data[key] = "on"
            elif isinstance(field, forms.SplitDateTimeField) and isinstance(
                value, list
            ):  # a form shown again: what was posted
                data[f"{key}_0"], data[f"{key}_1"] = value
            elif isinstance(field, forms.SplitDateTimeField):
                moment = timezone.localtime(value)
                data[f"{key}_0"] = moment.date().isoformat()
                data[f"{key}_1"] = moment.time().strftime("%H:%M:%S")
            elif isinstance(field, TagField) and isinstance(value, str):
                data[key] = value  # a form shown again: what was posted
            elif isinstance(field, TagField):
                data[key] = edit_string_for_tags(value or [])
            elif isinstance(field, forms.ModelMultipleChoiceField):
                data[key] = [str(pk) for pk in field.prepare_value(value or [])]
            elif isinstance(field, forms.ModelChoiceField):
                data[key] = "" if value is None else str(field.prepare_value(value))
            else:
                data[key] = "" if value is None else str(value)
    return data


def files_in(folder) -> set[Path]:
    return {path for path in Path(folder).rglob("*") if path.is_file()}


def snapshot(publication) -> dict:
    """Every stored column of the row, and its tags."""
    row = Publication.objects.filter(pk=publication.pk).values().get()
    row["tags"] = sorted(publication.tags.names())
    return row


def add_inline_rows(data: dict, prefix: str, rows: list[dict]) -> None:
    """Fill extra inline forms, as clicking “Add another” does."""
    start = int(data[f"{prefix}-TOTAL_FORMS"])
    for index, row in enumerate(rows, start):
        for name, value in row.items():
            data[f"{prefix}-{index}-{name}"] = str(value)
    data[f"{prefix}-TOTAL_FORMS"] = str(start + len(rows))


def form_errors(response) -> dict:
    """Errors of the main form and its inlines, for readable assertions."""
    form = response.context["adminform"].form
    errors = {
        name: [str(m) for m in messages] for name, messages in form.errors.items()
    }
    for inline in response.context["inline_admin_formsets"]:
        for number, inline_errors in enumerate(inline.formset.errors):
            for name, messages in inline_errors.items():
                errors[f"{inline.formset.prefix}-{number}-{name}"] = list(messages)
    return errors


# A publication's images on its pages -------------------------------------------


def image_urls(html: str, publication) -> list[str]:
    """Every address of the publication's images the page's <img> tags point
    to (src and srcset); not its center's image or its authors' photos."""
    urls = []
    for tag in re.findall(r"<img\b[^>]*>", html):
        urls += re.findall(r'\ssrc="([^"]+)"', tag)
        for srcset in re.findall(r'\ssrcset="([^"]+)"', tag):
            urls += [entry.split()[0] for entry in srcset.split(", ")]
    stems = [PurePosixPath(image.name).stem for image in images_of(publication)]
    return [url for url in urls if any(stem in url for stem in stems)]


def view_url(publication, name: str) -> str:
    return reverse(
        "publications:image", kwargs={"slug": publication.slug, "name": name}
    )


def read(response) -> bytes:
    """The body of a file response; the test client closes the file after."""
    return b"".join(response.streaming_content)


# The browser tests (their fixtures: tests/conftest.py) --------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
]
needs_chromium = pytest.mark.skipif(
    not CHROMIUM.exists(),
    reason="needs Debian's chromium at /usr/bin/chromium: apt-get install chromium",
)
# Milliseconds a page may take to load on a busy two-core machine.
PAGE_LOAD_TIMEOUT = 90_000
# Run in every page before its own scripts: records the Content-Security-Policy
# violations in ``window.cspViolations``.
RECORD_VIOLATIONS = """
window.cspViolations = [];
document.addEventListener("securitypolicyviolation", (event) => {
  window.cspViolations.push(
    `${event.violatedDirective} blocked ${event.blockedURI || "inline"}`
    + ` at ${event.sourceFile}:${event.lineNumber}`
  );
});
"""
# The admin as the institute's editors see it.
ADMIN_WINDOW = {"width": 1280, "height": 900}
# What the Editors group of migration 0002 may change.
CONTENT_APPS = ("centers", "authors", "publications", "taggit")


def staff_with_permissions(publisher: bool):
    """An editor (every content permission but publishing) or a publisher
    (all of them), given the permissions directly: transactional tests empty
    the groups that migrations make, with every other table, and the
    permissions come back with new ids."""
    from django.contrib.auth.models import Permission
    from django.contrib.contenttypes.models import ContentType

    from publications.permissions import PUBLISH_CODENAME

    from .factories import UserFactory

    ContentType.objects.clear_cache()
    permissions = Permission.objects.filter(content_type__app_label__in=CONTENT_APPS)
    if not publisher:
        permissions = permissions.exclude(codename=PUBLISH_CODENAME)
    user = UserFactory(is_staff=True)
    user.user_permissions.set(permissions)
    return user


# The local S3 server (its fixtures: tests/ifri/conftest.py) ------------------

PUBLIC_BUCKET = "ifri-media"
PRIVATE_BUCKET = "ifri-private"


def http_get(url, method="GET", headers=None):
    """A plain HTTP request, with no S3 credentials."""
    request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
        url, method=method, headers=headers or {}
    )
    try:
        with urllib.request.urlopen(request, timeout=10) as response:  # noqa: S310
            return response.status, response.headers, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.headers, error.read()


# Search

SEARCH_URL = "/en/search/"
AUTOCOMPLETE_URL = "/en/search/autocomplete/"

# CI runs the suite on PostgreSQL too (.ci/run).
POSTGRES_ONLY = [
    pytest.mark.django_db,
    pytest.mark.postgres,
    pytest.mark.skipif(
        connection.vendor != "postgresql",
        reason="full text search needs PostgreSQL (DATABASE_URL=postgres://...)",
    ),
]


def found(client, query="", **params):
    response = client.get(SEARCH_URL, {"q": query, **params})
    assert response.status_code == 200
    return [p.title for p in response.context["publications"]]


def titles(query, sort="relevance", **params):
    return [p.title for p in search(query, params, sort).page(0, 100)]
