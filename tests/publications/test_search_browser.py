"""The search box in a real browser: autocomplete as a keyboard-friendly
combobox, and a plain form without JavaScript (Debian's chromium, see
tests/conftest.py)."""

import pytest

from ..factories import AuthorFactory, PublicationFactory
from ..helpers import needs_chromium

pytestmark = [
    needs_chromium,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("plain_http_live_server"),
]


@pytest.fixture
def publications():
    author = AuthorFactory(given_name="Enzo", family_name="Energico", slug="enzo")
    PublicationFactory(title="Energy routes", slug="energy-routes", authors=[author])
    PublicationFactory(title="Energy grids", slug="energy-grids")


def test_reader_picks_a_proposal_with_the_keyboard(chromium, live_server, publications):
    page = chromium.new_page()
    try:
        page.goto(f"{live_server.url}/en/search/")
        box = page.get_by_role("combobox", name="Search publications")
        assert box.get_attribute("aria-expanded") == "false"

        box.press_sequentially("ener", delay=30)
        listbox = page.get_by_role("listbox")
        listbox.wait_for()
        options = page.get_by_role("option")
        assert options.count() == 3
        assert box.get_attribute("aria-expanded") == "true"
        assert (
            "Suggestions: 3" in page.locator("[data-autocomplete-status]").inner_text()
        )

        box.press("ArrowDown")
        box.press("ArrowDown")
        second = options.nth(1)
        assert box.get_attribute("aria-activedescendant") == second.get_attribute("id")
        assert second.get_attribute("aria-selected") == "true"

        box.press("Escape")
        assert box.get_attribute("aria-expanded") == "false"
        assert listbox.is_hidden()

        box.press("ArrowDown")
        box.press("ArrowUp")  # from nothing chosen up to the last one
        assert options.nth(2).get_attribute("aria-selected") == "true"
        with page.expect_navigation():
            box.press("Enter")
        assert page.url == f"{live_server.url}/en/authors/enzo/"
    finally:
        page.close()


def test_search_works_without_javascript(chromium, live_server, publications):
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/en/search/")
        box = page.get_by_role("searchbox", name="Search publications")
        box.fill("energy grids")
        with page.expect_navigation():
            box.press("Enter")

        assert page.url.endswith("/en/search/?q=energy+grids")
        assert page.get_by_role("heading", name="Energy grids").is_visible()
    finally:
        context.close()
