"""The Content-Security-Policy in a real browser: nothing a page needs is
blocked, on the public pages and in the admin's editor (Debian's chromium, see
tests/conftest.py)."""

import pytest
from django.conf import settings
from django.test import Client

from publications.models import RelatedLink

from ..factories import AuthorFactory, PublicationFactory, UserFactory
from ..helpers import PAGE_LOAD_TIMEOUT, RECORD_VIOLATIONS, needs_chromium

pytestmark = [
    needs_chromium,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("plain_http_live_server"),
]

# RECORD_VIOLATIONS runs before any script of the page: Playwright injects it
# through the DevTools protocol, which the page's policy does not govern.


class Browser:
    """A browser context that records every violation and script error."""

    def __init__(self, chromium, live_server):
        self.base = live_server.url
        self.context = chromium.new_context()
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.problems = []

    def open(self, path: str):
        page = self.context.new_page()
        page.on(
            "console",
            lambda message: (
                message.type == "error"
                and "Content Security Policy" in message.text
                and self.problems.append(f"{path}: {message.text}")
            ),
        )
        page.on("pageerror", lambda error: self.problems.append(f"{path}: {error}"))
        # The admin's pages load dozens of scripts and styles from the test
        # server: on a loaded two-core machine that took over Playwright's
        # default 30 s. Once "load" fires, every script, style, font and
        # image the page names has run or loaded.
        page.goto(f"{self.base}{path}", timeout=PAGE_LOAD_TIMEOUT, wait_until="load")
        return page

    def assert_no_violation(self, page, path: str):
        self.problems += [f"{path}: {v}" for v in page.evaluate("window.cspViolations")]
        assert not self.problems, "\n".join(self.problems)

    def close(self):
        self.context.close()


@pytest.fixture
def site_browser(chromium, live_server):
    browser = Browser(chromium, live_server)
    yield browser
    browser.close()


@pytest.fixture
def public_pages():
    author = AuthorFactory(given_name="Élodie", family_name="Lefèvre")
    publication = PublicationFactory(
        title="Energy Security in Europe",
        slug="energy-security",
        authors=[author, AuthorFactory()],
        tags=["Energy"],
        with_pdf=True,
        with_image=True,
    )
    RelatedLink.objects.create(
        publication=publication, target=PublicationFactory(with_image=True)
    )
    return {
        "/en/": None,
        "/fr/": None,
        "/en/publications/": "Energy Security in Europe",
        publication.get_absolute_url(): "Energy Security in Europe",
        "/en/authors/": "Lefèvre",
        author.get_absolute_url(): "Energy Security in Europe",
        "/en/centers/": publication.center.name,
        publication.center.get_absolute_url(): "Energy Security in Europe",
        "/en/search/?q=energy": "Energy Security in Europe",
        "/en/no-such-page/": "Page not found",
    }


def test_public_pages_run_under_the_policy_without_violation(
    site_browser, public_pages
):
    for path, expected_text in public_pages.items():
        page = site_browser.open(path)

        if expected_text:
            assert expected_text in page.locator("main").inner_text(), path
        site_browser.assert_no_violation(page, path)
        page.close()


def test_article_scripts_still_work_under_the_policy(site_browser, public_pages):
    page = site_browser.open("/en/publications/energy-security/")

    page.get_by_role("tab", name="APA").click()

    assert page.get_by_role("tabpanel", name="APA").is_visible()
    site_browser.assert_no_violation(page, "article")


def test_search_autocomplete_works_under_the_policy(site_browser, public_pages):
    page = site_browser.open("/en/search/")

    page.get_by_role("combobox", name="Search publications").press_sequentially(
        "ener", delay=30
    )

    page.get_by_role("listbox").wait_for()
    site_browser.assert_no_violation(page, "/en/search/")


@pytest.fixture
def staff_browser(site_browser):
    browser = site_browser
    client = Client()
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    browser.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": browser.base,
            }
        ]
    )
    return browser


def test_admin_editor_runs_under_the_admin_policy(staff_browser):
    publication = PublicationFactory(
        body="<p>First paragraph of the analysis.</p>", with_pdf=True, with_image=True
    )
    path = f"/admin/publications/publication/{publication.pk}/change/"

    page = staff_browser.open(path)

    editor = page.locator(".ProseMirror[contenteditable=true]")
    editor.wait_for()
    assert "First paragraph of the analysis." in editor.inner_text()
    editor.click()
    page.keyboard.type(" Added in the browser.")
    assert "Added in the browser." in editor.inner_text()
    staff_browser.assert_no_violation(page, path)


@pytest.mark.parametrize(
    "path",
    [
        "/admin/",
        "/admin/publications/publication/",
        "/admin/publications/publication/add/",
        "/admin/authors/author/add/",
        "/admin/auth/user/",
    ],
)
def test_admin_pages_run_under_the_admin_policy(staff_browser, path):
    page = staff_browser.open(path)

    staff_browser.assert_no_violation(page, path)


def test_admin_autocomplete_runs_under_the_admin_policy(staff_browser):
    center = PublicationFactory().center
    path = "/admin/publications/publication/add/"
    page = staff_browser.open(path)

    page.locator(".field-center .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill(
        center.name[:4]
    )

    page.locator(".select2-results__option", has_text=center.name).wait_for()
    staff_browser.assert_no_violation(page, path)
