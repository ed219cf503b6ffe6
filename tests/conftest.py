import errno
import io
import itertools
from functools import partial

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile, File
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from PIL import Image
from reportlab.pdfgen import canvas

from publications.search import facet_index

# What a page's header adds until the cache has it: the editors' suggestions
# and the frequent searches of the search panel.
SEARCH_PANEL_QUERIES = 2


@pytest.fixture(autouse=True)
def _isolated_media(settings, tmp_path):
    """Every test writes its uploads into its own temporary folders."""
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.PRIVATE_MEDIA_ROOT = tmp_path / "private"
    # Served by Django, as in `make run`.
    settings.SERVE_MEDIA = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.HTTPS = False
    settings.SECURE_SSL_REDIRECT = False
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": str(tmp_path),
        },
        # Each test's own, as each process has its own.
        "local_pages": {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": f"{tmp_path}-local-pages",
            "OPTIONS": {"MAX_ENTRIES": 200},
        },
    }
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {
            "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        },
    }
    facet_index.current.clear()


@pytest.fixture(autouse=True)
def _english():
    translation.activate("en")
    yield
    translation.deactivate()


# The host and port a test's requests reach the site at (pass it as HTTP_HOST).
REACHED_HOST = "example.org:8080"


@pytest.fixture(params=["request's address", "SITE_URL"])
def site_base(request, settings) -> str:
    """The address every absolute link must start with, for requests that
    reach the site at ``REACHED_HOST``: the request's own scheme, host and
    port while SITE_URL is empty; SITE_URL when it is set, whatever the host."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "example.org"]
    if request.param == "SITE_URL":
        settings.SITE_URL = "https://www.institute.example"
        return settings.SITE_URL
    settings.SITE_URL = ""
    return f"http://{REACHED_HOST}"


@pytest.fixture
def clear_content_type_cache():
    ContentType.objects.clear_cache()


@pytest.fixture
def commit(django_capture_on_commit_callbacks):
    """``with commit(): ...`` runs what waits for the transaction's commit, as
    a real commit would: tests run inside one transaction that never commits.
    Search vectors (publications/search/indexing.py) are refreshed that way, so a test
    that searches on PostgreSQL creates its publications in this block."""
    return partial(django_capture_on_commit_callbacks, execute=True)


def make_pdf_bytes(pages: int = 2, title: str = "Test analysis") -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
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


@pytest.fixture
def pdf_upload():
    def make(name="analysis.pdf", pages=2, title="Test analysis"):
        return SimpleUploadedFile(
            name, make_pdf_bytes(pages, title), content_type="application/pdf"
        )

    return make


@pytest.fixture
def image_upload():
    def make(name="photo.jpg", fmt="JPEG", size=(64, 40)):
        return SimpleUploadedFile(name, make_image_bytes(fmt, size))

    return make


class _CutShort(File):
    """Content whose write stops after its first bytes: no space left."""

    def chunks(self, chunk_size=None):
        self.file.seek(0)
        yield self.file.read(100)
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture
def full_disk(monkeypatch):
    """``full_disk(after=n)``: the local storages write ``n`` more files, then
    every write stops with ENOSPC after its first bytes, leaving them on disk,
    as a disk that fills up does."""

    def fill(after: int = 0):
        writes = itertools.count()
        save = FileSystemStorage.save

        def save_until_full(self, name, content, max_length=None):
            if next(writes) >= after:
                content = _CutShort(content)
            return save(self, name, content, max_length)

        monkeypatch.setattr(FileSystemStorage, "save", save_until_full)

    return fill
