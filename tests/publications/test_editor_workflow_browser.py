"""An article's way through the admin in a real browser, as two people work:
an editor enters it (with one mistake on the way) and submits it for
review, a publisher publishes it, a reader sees it. Also the files kept
after a refused form and the message two editors get when their saves
cross.

The whole path counts the editor's and the publisher's actions and the
forms they send: a change that adds a click or a submission to the daily
work shows here. Run with ``-s`` to see the counts.

Debian's chromium through Playwright's sync API (tests/conftest.py).
"""

import datetime

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from publications.models import Publication, PublicationType, RelatedLink, Status

from ..factories import (
    AuthorFactory,
    PublicationFactory,
    ResearchCenterFactory,
)
from ..helpers import (
    PAGE_LOAD_TIMEOUT,
    change_url,
    make_image_bytes,
    make_pdf_bytes,
    needs_chromium,
    staff_with_permissions,
)

pytestmark = [
    needs_chromium,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("plain_http_live_server"),
]

ADD_URL = reverse("admin:publications_publication_add")
HELD = "Will be saved: {} (kept for you until"
RELATED_TITLES = [
    "Gas storage before the winter",
    "Grid interconnections in the Baltic",
    "Hydrogen corridors across the Mediterranean",
    "Nuclear lifetimes in France",
]
PARTNER = (
    "https://www.partner.example/dossiers/energy",
    "The partner's energy dossier",
)


class Counted:
    """A page whose actions an editor makes by hand are counted: clicks
    (a choice in a list, a ticked box, a file chosen: one each), fields
    typed into, and the forms sent (POST requests of the page itself)."""

    def __init__(self, page):
        self.page = page
        self.clicks = self.fields = self.submits = 0
        page.on("request", self._request)

    def _request(self, request):
        if request.method == "POST" and request.is_navigation_request():
            self.submits += 1

    def click(self, locator):
        self.clicks += 1
        locator.click()

    def fill(self, locator, text):
        self.fields += 1
        locator.fill(text)

    def type(self, locator, text):
        """Typed key by key, where a script reacts to each key."""
        self.fields += 1
        locator.press_sequentially(text, delay=10)

    def choose_files(self, locator, path):
        self.clicks += 1
        locator.set_input_files(path)

    def submit(self, locator):
        self.clicks += 1
        with self.page.expect_navigation(timeout=PAGE_LOAD_TIMEOUT):
            locator.click()

    def pick(self, opener, text, option):
        """An autocomplete (select2): open it, type, pick the option."""
        self.click(opener)
        self.type(
            self.page.locator(".select2-container--open .select2-search__field"), text
        )
        self.click(self.page.locator(".select2-results__option", has_text=option))

    def counts(self) -> dict:
        return {"clicks": self.clicks, "fields": self.fields, "submits": self.submits}


@pytest.fixture
def files(tmp_path):
    """A PDF made with reportlab (untagged, like the demo's) and a photo."""
    pdf = tmp_path / "energy-analysis.pdf"
    pdf.write_bytes(make_pdf_bytes(3, title="Energy security"))
    image = tmp_path / "wind-farm.jpg"
    image.write_bytes(make_image_bytes(size=(640, 360)))
    return pdf, image


def yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def refused(page) -> bool:
    return page.locator(".errornote").count() > 0


def shown_errors(page) -> list[str]:
    return page.locator(".errornote, .errorlist").all_inner_texts()


# The whole path ------------------------------------------------------------------

# What each part of the path takes. A change in the admin that adds work for
# the editor or the publisher fails here: look at the printed counts.
# The editor's: 28 clicks (type 2, body 1, two files 2, center 2, topic 2,
# an author 3, four related publications 12, the partner link's row 1,
# two buttons 2), 18 fields typed (the slug follows the title), 2 forms
# sent: refused, then saved and submitted by the add form's “Save and submit
# for review”. The publisher's: “Save and publish”, the warnings' box
# ticked, “Save and publish” again.
EDITOR_PATH = {"clicks": 27, "fields": 18, "submits": 2}
PUBLISHER_PATH = {"clicks": 3, "fields": 0, "submits": 2}


def test_an_article_entered_by_an_editor_is_published_by_a_publisher(
    open_as, files, live_server
):
    pdf, image = files
    article_type = PublicationType.objects.create(
        name="Analysis",
        name_en="Analysis",
        plural_name="Analyses",
        plural_name_en="Analyses",
        slug="analyses",
        citation_type="report",
        review_required=True,
    )
    center = ResearchCenterFactory(name="Energy Centre", name_en="Energy Centre")
    AuthorFactory(
        given_name="Marie",
        family_name="Durand",
        job_title="Senior Research Fellow",
        job_title_en="Senior Research Fellow",
    )
    for title in RELATED_TITLES:
        PublicationFactory(title=title, tags=["Energy"])
    editor, publisher = (
        staff_with_permissions(publisher=False),
        staff_with_permissions(publisher=True),
    )

    # The editor enters the article, forgetting its title.
    page = open_as(editor, ADD_URL)
    steps = Counted(page)
    steps.pick(page.locator(".field-type .select2-selection"), "Analy", "Analysis")
    steps.fill(page.locator("#id_teaser"), "How Europe can keep the lights on.")
    body = page.locator(".field-body [contenteditable=true]")
    steps.click(body)
    steps.type(body, "## Why it matters")
    page.keyboard.press("Enter")
    steps.type(body, "Winters test the grid.")
    steps.choose_files(page.locator("#id_main_image"), image)
    steps.fill(page.locator("#id_main_image_alt"), "Wind turbines at sea")
    steps.fill(page.locator("#id_main_image_caption"), "An offshore wind farm.")
    steps.fill(page.locator("#id_main_image_credit"), "Photo: North Sea Studio")
    steps.choose_files(page.locator("#id_pdf"), pdf)
    steps.pick(
        page.locator(".field-center .select2-selection"), "Energy", "Energy Centre"
    )
    topics = page.get_by_role("searchbox", name="Topics and regions")
    steps.click(topics)
    steps.type(topics, "energ")
    steps.click(page.locator(".select2-results__option", has_text="Energy (4)"))
    steps.fill(page.locator("#id_publication_date"), yesterday().isoformat())
    steps.click(page.get_by_role("button", name="Add another Author"))
    steps.pick(page.locator("#authorships-0 .select2-selection"), "Dur", "Marie Durand")
    add_link = page.get_by_role("button", name="Add another Related link")
    for number, title in enumerate(RELATED_TITLES):
        steps.click(add_link)
        steps.pick(
            page.locator(f"#related_links-{number} .select2-selection"),
            title.split()[0],
            title,
        )
    steps.click(add_link)
    steps.fill(page.locator("#id_related_links-4-url"), PARTNER[0])
    steps.fill(page.locator("#id_related_links-4-title"), PARTNER[1])
    steps.submit(page.locator("input[name=_continue]").first)

    assert refused(page)
    assert "This field is required." in page.locator("div.field-title").inner_text()
    assert HELD.format(image.name) in page.locator("div.field-main_image").inner_text()
    assert HELD.format(pdf.name) in page.locator("div.field-pdf").inner_text()
    assert Publication.objects.count() == len(RELATED_TITLES)

    # The title typed, the slug follows; the files are not chosen again;
    # the add form's own button saves and submits.
    steps.fill(page.locator("#id_title"), "Keeping Europe's lights on")
    workflow = page.locator(".workflow")
    assert workflow.get_by_role("button", name="Save and publish").count() == 0
    steps.submit(workflow.get_by_role("button", name="Save and submit for review"))
    assert not refused(page), shown_errors(page)
    assert "was submitted for review" in page.locator(".messagelist").inner_text()
    article = Publication.objects.get(title="Keeping Europe's lights on")
    assert article.pdf and article.main_image
    assert article.slug == "keeping-europes-lights-on"  # made from the title
    assert (article.type, article.center) == (article_type, center)
    assert article.status == Status.REVIEW
    editor_counts = steps.counts()

    # The publisher opens it, publishes it, confirms the PDF's warnings.
    page = open_as(publisher, change_url(article))
    steps = Counted(page)
    assert "State: In review" in page.locator("#workflow-state").inner_text()
    publish = page.locator(".workflow").get_by_role("button", name="Save and publish")
    steps.submit(publish)
    warnings = page.locator(".errornote, .errorlist.nonfield").all_inner_texts()
    assert any("Publish despite these warnings" in text for text in warnings)
    steps.click(page.get_by_label("Publish despite these warnings"))
    steps.submit(publish)
    assert not refused(page), shown_errors(page)
    assert "was published" in page.locator(".messagelist").inner_text()
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    publisher_counts = steps.counts()

    print(
        "\nAn article from the editor's add form to public:"
        f"\n  editor:    {editor_counts}"
        f"\n  publisher: {publisher_counts}"
    )
    assert {
        "editor": editor_counts,
        "publisher": publisher_counts,
    } == {"editor": EDITOR_PATH, "publisher": PUBLISHER_PATH}

    # The people concerned were told (the mails leave after each commit).
    assert {address for m in mail.outbox for address in m.to} >= {
        publisher.email,
        editor.email,
    }

    # An anonymous reader sees it all.
    page = open_as(None, article.get_absolute_url())
    assert page.locator("h1").inner_text() == "Keeping Europe's lights on"
    assert page.locator("h2", has_text="Why it matters").count() == 1
    assert page.locator(".publication__image img").get_attribute("alt") == (
        "Wind turbines at sea"
    )
    assert "Photo: North Sea Studio" in page.locator(".publication__image").inner_text()
    download = page.locator("a.download__link")
    assert download.get_attribute("href") == article.get_pdf_url()
    people = page.locator(".person")
    assert "Marie Durand" in people.inner_text()
    assert "Senior Research Fellow" in people.inner_text()
    related = page.locator("section.related")
    for title in RELATED_TITLES:
        assert related.get_by_role("link", name=title).count() == 1
    partner = related.get_by_role("link", name=PARTNER[1])
    assert partner.get_attribute("href") == PARTNER[0]
    response = page.request.get(f"{live_server.url}{article.get_pdf_url()}")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert RelatedLink.objects.filter(publication=article).count() == 5


# Files kept after a refused form -------------------------------------------------


def test_files_chosen_on_a_refused_form_are_saved_by_the_next_submission(
    open_as, files
):
    pdf, image = files
    publication = PublicationFactory(draft=True, title="Gas storage")
    page = open_as(staff_with_permissions(publisher=False), change_url(publication))
    steps = Counted(page)

    steps.choose_files(page.locator("#id_pdf"), pdf)
    steps.choose_files(page.locator("#id_main_image"), image)
    steps.fill(page.locator("#id_main_image_alt"), "Gas tanks in a port")
    steps.fill(page.locator("#id_title"), "")
    steps.submit(page.locator("input[name=_continue]").first)

    assert refused(page)
    assert "This field is required." in page.locator("div.field-title").inner_text()
    assert HELD.format(pdf.name) in page.locator("div.field-pdf").inner_text()
    assert HELD.format(image.name) in page.locator("div.field-main_image").inner_text()
    publication.refresh_from_db()
    assert not publication.pdf and not publication.main_image

    steps.fill(page.locator("#id_title"), "Gas storage before the winter")
    steps.submit(page.locator("input[name=_continue]").first)

    assert not refused(page), shown_errors(page)
    publication.refresh_from_db()
    assert publication.title == "Gas storage before the winter"
    assert publication.pdf.name.endswith(".pdf")
    assert publication.pdf.read().startswith(b"%PDF")
    assert publication.main_image.name.endswith(".jpg")
    assert publication.main_image_alt == "Gas tanks in a port"
    # Each file chosen once; the page after the save holds none.
    assert steps.counts() == {"clicks": 4, "fields": 3, "submits": 2}
    assert page.locator(".held-upload").count() == 0


# Two editors' saves crossing ---------------------------------------------------


def test_the_later_of_two_crossing_saves_is_shown_the_changes_and_keeps_its_text(
    open_as,
):
    publication = PublicationFactory(
        draft=True, title="Gas storage", teaser="Before the winter."
    )
    first, second = (
        staff_with_permissions(publisher=False),
        staff_with_permissions(publisher=False),
    )
    first_page = open_as(first, change_url(publication))
    second_page = open_as(second, change_url(publication))

    first_page.locator("#id_title").fill("Gas storage in Europe")
    with first_page.expect_navigation(timeout=PAGE_LOAD_TIMEOUT):
        first_page.locator("input[name=_continue]").first.click()
    assert not refused(first_page), shown_errors(first_page)

    teaser = "What Europe stores before the winter, and for how long."
    second_page.locator("#id_teaser").fill(teaser)
    with second_page.expect_navigation(timeout=PAGE_LOAD_TIMEOUT):
        second_page.locator("input[name=_continue]").first.click()

    assert refused(second_page)
    message = second_page.locator(".errorlist.nonfield").inner_text()
    assert f"{first.username} saved this publication at" in message
    assert "after you opened it" in message
    comparison = second_page.locator("section.edit-conflict")
    assert "Changed since you opened it" in comparison.inner_text()
    assert "Gas storage in Europe" in comparison.inner_text()
    assert second_page.locator("#id_teaser").input_value() == teaser
    publication.refresh_from_db()
    assert publication.teaser == "Before the winter."

    with second_page.expect_navigation(timeout=PAGE_LOAD_TIMEOUT):
        second_page.locator("input[name=_continue]").first.click()

    assert not refused(second_page), shown_errors(second_page)
    publication.refresh_from_db()
    assert publication.teaser == teaser
    # The second editor's form held the title as they opened it: saving
    # again replaced the first editor's version knowingly.
    assert publication.title == "Gas storage"
    assert publication.updated_by == second
