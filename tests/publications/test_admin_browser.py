"""The publication and center admin in a real browser, as an editor works:
authors ordered by dragging or with the keyboard, character counters that
never cut pasted text, related links within a 1,280 px window, topics
picked from the existing ones, a labelled rich-text toolbar.

Debian's chromium through Playwright's sync API (tests/conftest.py).
"""

import pytest
from taggit.models import Tag

from publications.models import Authorship, RelatedLink

from ..factories import (
    AuthorFactory,
    PublicationFactory,
    ResearchCenterFactory,
)
from ..helpers import (
    ADMIN_WINDOW,
    PAGE_LOAD_TIMEOUT,
    change_url,
    needs_chromium,
    staff_with_permissions,
)

pytestmark = [
    needs_chromium,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("plain_http_live_server"),
]


@pytest.fixture
def editor_page(open_as):
    """``open(path, **context_options)``: a page of the admin at 1,280 px,
    signed in as a member of staff with every content permission."""
    user = staff_with_permissions(publisher=True)
    return lambda path, **options: open_as(user, path, **options)


@pytest.fixture
def publication():
    authors = [
        AuthorFactory(given_name="Élodie", family_name="Lefèvre"),
        AuthorFactory(given_name="Seán", family_name="O'Neill"),
        AuthorFactory(given_name="Anna Maria", family_name="Smith"),
    ]
    return PublicationFactory(title="Energy Security in Europe", authors=authors)


def saved_authors(publication) -> list[str]:
    return [
        a.author.family_name
        for a in Authorship.objects.filter(publication=publication).order_by(
            "order", "pk"
        )
    ]


def order_values(page, prefix="authorships") -> list[str]:
    return page.locator(
        f"#{prefix}-group tr.form-row:not(.empty-form) [data-inline-order]"
    ).evaluate_all("inputs => inputs.map(input => input.value)")


def save_and_continue(page):
    with page.expect_navigation(timeout=PAGE_LOAD_TIMEOUT):
        page.locator("input[name=_continue]").first.click()
    assert page.locator(".errornote").count() == 0, page.locator(
        ".errorlist"
    ).all_inner_texts()


# Ordering authors ------------------------------------------------------------


def test_editor_drags_the_last_author_to_the_top_and_the_saved_order_follows(
    editor_page, publication
):
    page = editor_page(change_url(publication))
    rows = page.locator("#authorships-group tr.form-row:not(.empty-form)")
    assert (
        page.locator("#authorships-group [data-inline-order]").first.get_attribute(
            "type"
        )
        == "hidden"
    )

    rows.nth(2).locator(".inline-order-handle").drag_to(
        rows.nth(0), target_position={"x": 40, "y": 4}
    )

    assert [text.split("\n")[0] for text in rows.all_inner_texts()][0].startswith(
        "Anna Maria Smith"
    )
    assert order_values(page) == ["0", "1", "2"]
    save_and_continue(page)
    assert saved_authors(publication) == ["Smith", "Lefèvre", "O'Neill"]


def test_editor_moves_an_author_up_with_the_keyboard(editor_page, publication):
    page = editor_page(change_url(publication))
    group = page.locator("#authorships-group")
    move_up = group.get_by_role("button", name="Move up")
    assert move_up.count() == 3
    assert move_up.first.is_disabled()

    move_up.nth(1).focus()
    page.keyboard.press("Enter")

    # The focus stays on the moved row's button, now disabled at the top,
    # so it goes to "Move down".
    focused = page.evaluate("document.activeElement.title")
    assert focused == "Move down"
    assert group.get_by_role("status").inner_text() == "Moved to position 1 of 3."
    save_and_continue(page)
    assert saved_authors(publication) == ["O'Neill", "Lefèvre", "Smith"]


def test_a_new_author_row_gets_the_next_place(editor_page, publication):
    newcomer = AuthorFactory(given_name="Zoé", family_name="Zimmermann")
    page = editor_page(change_url(publication))
    group = page.locator("#authorships-group")

    group.get_by_role("button", name="Add another Author").click()
    new_row = page.locator("#authorships-3")
    new_row.locator(".select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Zimm")
    page.locator(".select2-results__option", has_text="Zimmermann").click()
    new_row.get_by_role("button", name="Move up").click()

    # The new row, added last, was numbered 3, then moved above Smith.
    assert order_values(page) == ["0", "1", "2", "3"]
    assert new_row.locator("[data-inline-order]").input_value() == "2"
    save_and_continue(page)
    assert saved_authors(publication) == ["Lefèvre", "O'Neill", "Zimmermann", "Smith"]
    assert newcomer.authorships.get().order == 2


def test_removing_a_new_row_after_moving_another_keeps_saved_rows_in_place(
    editor_page, publication
):
    """Django renames the forms after a removal in the rows' order on the
    page: the saved authors must keep the first forms wherever they were
    moved."""
    AuthorFactory(given_name="Zoé", family_name="Zimmermann")
    page = editor_page(change_url(publication))
    group = page.locator("#authorships-group")
    add = group.get_by_role("button", name="Add another Author")

    add.click()
    page.locator("#authorships-3 .select2-selection").click()
    page.locator(".select2-container--open .select2-search__field").fill("Zimm")
    page.locator(".select2-results__option", has_text="Zimmermann").click()
    for _ in range(3):
        page.locator("#authorships-3").get_by_role("button", name="Move up").click()
    add.click()
    page.locator("#authorships-4 .inline-deletelink").click()

    assert page.locator("#id_authorships-TOTAL_FORMS").input_value() == "4"
    assert group.locator("tr.form-row:not(.empty-form)").evaluate_all(
        "rows => rows.map(row => row.id)"
    ) == ["authorships-3", "authorships-0", "authorships-1", "authorships-2"]
    save_and_continue(page)
    assert saved_authors(publication) == ["Zimmermann", "Lefèvre", "O'Neill", "Smith"]


def test_without_javascript_the_order_is_typed(editor_page, publication):
    page = editor_page(change_url(publication), java_script_enabled=False)

    orders = page.locator(
        "#authorships-group tr.form-row:not(.empty-form) input[name$=-order]"
    )
    assert (
        orders.evaluate_all("inputs => inputs.map(input => input.type)")
        == ["number"] * 3
    )
    assert page.get_by_role("button", name="Move up").count() == 0


# Character counters ---------------------------------------------------------


def test_pasting_350_characters_into_the_teaser_keeps_them_all_and_warns(
    editor_page, live_server
):
    center = ResearchCenterFactory(teaser="Short.", teaser_en="Short.")
    page = editor_page(
        f"/admin/centers/researchcenter/{center.pk}/change/",
        permissions=["clipboard-read", "clipboard-write"],
    )
    teaser = page.locator("#id_teaser_en")
    counter = page.locator(f"#{teaser.get_attribute('data-counter-id')}")
    assert counter.inner_text() == "6 / 300 characters"
    pasted = ("Energy, climate and the Sahel. " * 12)[:350]

    page.evaluate("text => navigator.clipboard.writeText(text)", pasted)
    teaser.fill("")
    teaser.focus()
    page.keyboard.press("Control+V")

    assert teaser.input_value() == pasted
    assert counter.inner_text() == "350 / 300 characters: 50 too many"
    assert "character-count--over" in counter.get_attribute("class")
    assert teaser.get_attribute("aria-invalid") == "true"

    with page.expect_navigation(timeout=PAGE_LOAD_TIMEOUT):
        page.locator("input[name=_save]").click()
    assert (
        "at most 300 characters (it has 350)"
        in page.locator(".field-teaser_en .errorlist").inner_text()
    )
    assert page.locator("#id_teaser_en").input_value() == pasted


# Related links ------------------------------------------------------------------


def test_related_links_fit_a_1280_pixel_window(editor_page, publication):
    long_title = "A rather long title of another related publication about energy"
    for order in range(2):
        RelatedLink.objects.create(
            publication=publication,
            target=PublicationFactory(title=f"{long_title} {order}"),
            order=order,
        )
    RelatedLink.objects.create(
        publication=publication,
        url="https://www.example.org/partner/dossiers/energy-security-in-europe-2024",
        title="The partner's dossier on energy security in Europe, 2024 edition",
        label="Partner dossier",
        order=2,
    )
    page = editor_page(change_url(publication))

    table = page.locator("#related_links-group table")
    widths = table.evaluate(
        "table => [table.scrollWidth, table.parentElement.clientWidth]"
    )
    assert widths[0] <= widths[1]
    assert (
        page.evaluate("document.documentElement.scrollWidth") <= ADMIN_WINDOW["width"]
    )
    assert (
        page.locator("#related_links-group")
        .get_by_role("button", name="Move down")
        .count()
        == 3
    )


# Topics -------------------------------------------------------------------------


def test_editor_picks_an_existing_topic_and_creates_a_new_one_on_purpose(
    editor_page,
):
    publication = PublicationFactory(draft=True, tags=["Sahel"])
    PublicationFactory(tags=["Energy policy"])
    page = editor_page(change_url(publication))
    search = page.get_by_role("searchbox", name="Topics and regions")

    search.click()
    search.press_sequentially("energy", delay=30)
    page.locator(".select2-results__option", has_text="Energy policy (1)").click()
    search.press_sequentially("Nuclear power", delay=30)
    create = page.locator(
        ".select2-results__option", has_text="Create the new topic “Nuclear power”"
    )
    create.click()

    assert page.locator("#id_tags").input_value() == (
        'Sahel, "Energy policy", "Nuclear power"'
    )
    save_and_continue(page)
    assert sorted(publication.tags.names()) == [
        "Energy policy",
        "Nuclear power",
        "Sahel",
    ]
    assert Tag.objects.filter(name__iexact="energy policy").count() == 1


# The rich-text toolbar ----------------------------------------------------------


def test_rich_text_toolbar_draws_its_block_menu_arrow_and_names_its_buttons(
    editor_page, publication
):
    page = editor_page(change_url(publication))
    page.locator(".prose-menubar").first.wait_for()

    arrow = page.locator(".prose-menubar__selected").first.evaluate(
        "element => { const style = getComputedStyle(element, '::after');"
        " return [style.content, style.backgroundImage]; }"
    )
    assert arrow[0] in ('""', "none")
    assert arrow[1].startswith('url("data:image/svg+xml')
    unnamed = page.locator(".prose-menubar button").evaluate_all(
        "buttons => buttons.filter(b => !(b.getAttribute('aria-label') || b.title"
        " || b.textContent.trim())).map(b => b.outerHTML)"
    )
    assert unnamed == []
    trigger = page.locator(".prose-menubar__selected").first
    assert trigger.get_attribute("title") == "Text style"
