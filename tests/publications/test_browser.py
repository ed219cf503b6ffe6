"""The citation block in a real browser: style tabs, copying, and no JavaScript.

Drives Debian's chromium through Playwright's sync API (the ``chromium``
fixture of tests/conftest.py): one browser serves the whole module; each test
opens its own context.
"""

import datetime
import re

import pytest

from publications.citations import STYLES, csl_json, render_citations
from publications.models import Publication

from ..factories import AuthorFactory, PublicationFactory
from ..helpers import needs_chromium

pytestmark = [
    needs_chromium,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("plain_http_live_server"),
]

STYLE_KEYS = ["chicago-author-date", "chicago-notes-bibliography", "apa", "mla"]


@pytest.fixture
def publication(settings):
    settings.CITATION_STYLES = STYLE_KEYS
    return PublicationFactory(
        title="Energy Security in Europe",
        slug="energy-security",
        publication_date=datetime.date(2024, 3, 5),
        authors=[
            AuthorFactory(given_name="Élodie", family_name="Lefèvre"),
            AuthorFactory(given_name="Seán", family_name="O'Neill"),
            AuthorFactory(given_name="Anna Maria", family_name="Smith"),
        ],
    )


def expected_texts(publication, base_url) -> dict[str, str]:
    """What the page at ``base_url`` gives to copy, in each style."""
    loaded = Publication.objects.for_detail().get(pk=publication.pk)
    styles = [STYLES[key] for key in STYLE_KEYS]
    item = csl_json(loaded, base_url)
    return {c.key: c.text for c in render_citations(item, styles, "en")}


def test_reader_picks_mla_and_copies_exactly_its_text(
    chromium, live_server, publication
):
    expected = expected_texts(publication, live_server.url)["mla"]
    assert expected.startswith("Lefèvre, Élodie, et al. Energy Security in Europe.")
    context = chromium.new_context()
    context.grant_permissions(
        ["clipboard-read", "clipboard-write"], origin=live_server.url
    )
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/en/publications/{publication.slug}/")

        tabs = page.get_by_role("tab")
        assert tabs.all_inner_texts() == [
            "Chicago (author-date)",
            "Chicago (notes and bibliography)",
            "APA",
            "MLA",
        ]
        assert tabs.first.get_attribute("aria-selected") == "true"
        assert page.locator("#citation-apa").is_hidden()

        mla_tab = page.get_by_role("tab", name="MLA")
        mla_tab.click()

        assert mla_tab.get_attribute("aria-selected") == "true"
        mla = page.get_by_role("tabpanel", name="MLA")
        assert mla.is_visible()
        assert page.locator("#citation-chicago-author-date").is_hidden()
        assert mla.locator(".citation__text").inner_text() == expected

        mla.get_by_role("button", name=re.compile(r"^Copy")).click()

        status = page.get_by_role("status").filter(has_text="copied")
        status.wait_for()
        assert status.inner_text() == "The MLA citation was copied."
        assert page.evaluate("navigator.clipboard.readText()") == expected

        # Arrow keys move between styles, as in any tab list.
        mla_tab.press("ArrowLeft")
        assert (
            page.get_by_role("tab", name="APA").get_attribute("aria-selected") == "true"
        )
        assert page.get_by_role("tabpanel", name="APA").is_visible()
    finally:
        context.close()


def test_without_javascript_every_style_is_shown(chromium, live_server, publication):
    expected = expected_texts(publication, live_server.url)
    context = chromium.new_context(java_script_enabled=False)
    page = context.new_page()
    try:
        page.goto(f"{live_server.url}/en/publications/{publication.slug}/")

        assert page.get_by_role("tab").count() == 0
        for key in STYLE_KEYS:
            block = page.locator(f"#citation-{key}")
            assert block.locator("h3").is_visible()
            text = block.locator(".citation__text")
            assert text.is_visible()
            assert text.inner_text() == expected[key]
            # Nothing to click that would not work.
            assert block.get_by_role("button").count() == 0
    finally:
        context.close()
