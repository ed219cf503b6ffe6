import errno
import itertools
from functools import partial

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import File
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings
from django.utils import translation

from publications.search import facet_index

from .helpers import (
    ADMIN_WINDOW,
    CHROMIUM,
    CHROMIUM_ARGS,
    PAGE_LOAD_TIMEOUT,
    REACHED_HOST,
    RECORD_VIOLATIONS,
    make_image_bytes,
    make_pdf_bytes,
)


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


# The browser tests -------------------------------------------------------------
# Debian's chromium driven through Playwright's sync API (never a downloaded
# browser). Their modules skip without it (``helpers.needs_chromium``) and use
# the plain-HTTP live server (``usefixtures("plain_http_live_server")``).


@pytest.fixture(scope="session")
def plain_http_live_server():
    """Serve the live server over plain HTTP.

    Its middleware reads SECURE_SSL_REDIRECT once, when the session-wide
    server starts: before _isolated_media turns HTTPS off for each test.
    Being session-scoped, this runs before ``live_server`` starts.
    """
    with override_settings(SECURE_SSL_REDIRECT=False):
        yield


@pytest.fixture(scope="module")
def chromium():
    """One browser for a module; each test opens its own context, so that
    permissions and JavaScript settings do not leak between tests."""
    sync_api = pytest.importorskip("playwright.sync_api")
    # Playwright's sync API runs an event loop in this thread, which makes
    # Django refuse database access from the test itself.
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
        with sync_api.sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=str(CHROMIUM), args=CHROMIUM_ARGS
            )
            yield browser
            browser.close()


@pytest.fixture
def open_as(chromium, live_server):
    """``open_as(user, path, **context_options)``: a page of the site at
    1,280 px in a browser context of its own, signed in as ``user`` (None:
    a reader); fails the test on a script error or a Content-Security-Policy
    violation."""
    from django.conf import settings
    from django.test import Client

    contexts, pages = [], []

    def open_page(user, path, **options):
        context = chromium.new_context(viewport=ADMIN_WINDOW, **options)
        contexts.append(context)
        context.add_init_script(RECORD_VIOLATIONS)
        if user is not None:
            client = Client()
            client.force_login(user)
            session = client.cookies[settings.SESSION_COOKIE_NAME].value
            context.add_cookies(
                [
                    {
                        "name": settings.SESSION_COOKIE_NAME,
                        "value": session,
                        "url": live_server.url,
                    }
                ]
            )
        page = context.new_page()
        page.errors = []
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        page.goto(f"{live_server.url}{path}", timeout=PAGE_LOAD_TIMEOUT)
        pages.append(page)
        return page

    yield open_page
    try:
        for page in pages:
            if not page.is_closed() and page.evaluate("!!window.cspViolations"):
                assert page.evaluate("window.cspViolations") == []
            assert page.errors == []
    finally:
        for context in contexts:
            context.close()
