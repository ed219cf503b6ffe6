"""Revisions: every admin save records the whole publication; editors see the
history, compare any two revisions and restore one as a new revision."""

import pytest
from django.contrib.admin.models import LogEntry
from django.urls import reverse
from reversion.models import Revision, Version

from publications.models import PdfVersion, Publication, Status
from publications.revision_diff import body_text, compare, word_diff
from publications.revisions import current_state, revision_state

from ..factories import (
    AuthorFactory,
    PublicationFactory,
    RelatedLinkFactory,
    editor,
    uploader,
    yesterday,
)
from ..helpers import add_inline_rows, admin_form_data, change_url, form_errors

pytestmark = pytest.mark.django_db


def history_url(publication):
    return reverse("admin:publications_publication_history", args=[publication.pk])


def compare_url(publication, older, newer):
    url = reverse("admin:publications_publication_compare", args=[publication.pk])
    return f"{url}?from={older.pk}&to={newer.pk}"


def restore_url(publication, revision):
    return reverse(
        "admin:publications_publication_restore_revision",
        args=[publication.pk, revision.pk],
    )


def revisions(publication) -> list[Revision]:
    """Oldest first."""
    return [
        v.revision
        for v in Version.objects.get_for_object(publication).order_by("revision_id")
    ]


def save_form(client, publication, **changes):
    data = admin_form_data(client.get(change_url(publication)))
    data.update(changes)
    response = client.post(change_url(publication), data)
    assert response.status_code == 302, form_errors(response)
    return data


@pytest.fixture
def article():
    lefevre = AuthorFactory(given_name="Élodie", family_name="Lefèvre")
    article = PublicationFactory(
        draft=True,
        title="Gas grids in Europe",
        body="<h2>Supply</h2><p>Pipelines carry most of the gas.</p>",
        authors=[lefevre],
        tags=["Energy"],
    )
    RelatedLinkFactory(
        publication=article, target=PublicationFactory(draft=True, title="Grids")
    )
    return article


def test_each_save_records_the_whole_publication_with_its_authors_links_and_topics(
    client, article
):
    user = editor()
    client.force_login(user)
    mbeki = AuthorFactory(given_name="Thabo", family_name="Ndlovu")
    data = admin_form_data(client.get(change_url(article)))
    data.update(title="Gas grids in Europe after 2025", tags="Energy, Russia")
    add_inline_rows(
        data, "authorships", [{"author": mbeki.pk, "role": "editor", "order": 5}]
    )

    response = client.post(change_url(article), data)
    assert response.status_code == 302, form_errors(response)

    initial, edited = revisions(article)
    assert initial.user is None  # as it was before the editor's first save
    assert edited.user == user
    assert "Changed Title" in edited.get_comment()
    before, after = revision_state(article, initial), revision_state(article, edited)
    assert before.fields["title"] == "Gas grids in Europe"
    assert after.fields["title"] == "Gas grids in Europe after 2025"
    assert [(a["author_id"], a["role"]) for a in after.authorships] == [
        (article.authorships.get(role="author").author_id, "author"),
        (mbeki.pk, "editor"),
    ]
    assert before.topics == ["Energy"]
    assert after.topics == ["Energy", "Russia"]
    assert [link["target_id"] for link in after.related_links] == list(
        article.related_links.values_list("target_id", flat=True)
    )


def test_a_form_refused_records_no_revision(client, article):
    client.force_login(editor())
    data = admin_form_data(client.get(change_url(article)))
    data.update(title="")

    response = client.post(change_url(article), data)

    assert response.status_code == 200
    assert "title" in form_errors(response)
    # Only how it was before: the refused save added nothing.
    assert len(revisions(article)) == 1


def test_history_lists_revisions_with_who_and_when_in_a_fixed_number_of_queries(
    client, article, django_assert_max_num_queries
):
    user = editor(username="martine")
    client.force_login(user)
    for title in ("First", "Second", "Third"):
        save_form(client, article, title=title)

    with django_assert_max_num_queries(20):
        response = client.get(history_url(article))

    html = response.content.decode()
    assert response.status_code == 200
    assert html.count('name="from"') == 4
    assert html.count("martine") >= 3
    assert "Restore…" in html


def test_compare_shows_changed_fields_and_the_body_as_text_word_by_word(
    client, article
):
    client.force_login(editor())
    save_form(
        client,
        article,
        title="Gas grids in Europe",
        body="<h2>Supply</h2><p>Pipelines and ships carry most of the gas.</p>",
        teaser="A new teaser.",
    )
    initial, edited = revisions(article)

    response = client.get(compare_url(article, edited, initial))  # any order

    html = response.content.decode()
    assert response.status_code == 200
    assert "<ins> and ships</ins>" in html
    assert "&lt;p&gt;" not in html and "<p>Pipelines" not in html
    assert "Teaser" in html
    assert '<th scope="row">Title</th>' not in html  # unchanged


def test_compare_with_a_revision_of_another_publication_is_refused_kindly(
    client, article
):
    client.force_login(editor())
    save_form(client, article, title="Changed")
    other = PublicationFactory(draft=True)
    save_form(client, other, title="Other changed")

    response = client.get(
        compare_url(article, revisions(other)[0], revisions(article)[0]), follow=True
    )

    assert response.redirect_chain[-1][0] == history_url(article)
    assert "Choose two revisions of this publication" in response.content.decode()
    bad = client.get(
        reverse("admin:publications_publication_compare", args=[article.pk])
        + "?from=abc&to=-1",
        follow=True,
    )
    assert bad.status_code == 200


def test_restoring_brings_back_fields_authors_links_and_topics_as_a_new_revision(
    client, article
):
    client.force_login(editor())
    original_authors = list(article.authorships.values_list("author_id", "role"))
    data = admin_form_data(client.get(change_url(article)))
    data.update(
        title="Rewritten",
        body="<p>Everything is different.</p>",
        tags="Sahel",
        **{"authorships-0-DELETE": "on", "related_links-0-DELETE": "on"},
    )
    add_inline_rows(
        data,
        "related_links",
        [{"url": "https://example.org/", "title": "Partner", "order": 0}],
    )
    response = client.post(change_url(article), data)
    assert response.status_code == 302, form_errors(response)
    initial = revisions(article)[0]

    confirm = client.get(restore_url(article, initial))
    assert confirm.status_code == 200
    assert "Rewritten" in confirm.content.decode()
    response = client.post(restore_url(article, initial), follow=True)

    assert response.status_code == 200
    assert "is the publication" in response.content.decode()
    article.refresh_from_db()
    assert article.title == "Gas grids in Europe"
    assert body_text(article.body) == "Supply\nPipelines carry most of the gas."
    assert list(article.authorships.values_list("author_id", "role")) == (
        original_authors
    )
    assert list(article.related_links.values_list("title", "url")) == [("", "")]
    assert sorted(article.tags.names()) == ["Energy"]
    history = revisions(article)
    assert len(history) == 3  # nothing rewritten: the restore is a revision
    assert history[-1].get_comment().count("Restored the revision of") == 1
    assert revision_state(article, history[-1]).fields["title"] == (
        "Gas grids in Europe"
    )
    assert LogEntry.objects.filter(
        object_id=str(article.pk), change_message__contains="Restored the revision"
    ).exists()


def test_restoring_keeps_the_publishing_state_and_says_what_could_not_come_back(
    client, article
):
    client.force_login(editor())
    gone = AuthorFactory(given_name="Gone", family_name="Away")
    data = admin_form_data(client.get(change_url(article)))
    add_inline_rows(
        data, "authorships", [{"author": gone.pk, "role": "author", "order": 1}]
    )
    response = client.post(change_url(article), data)
    assert response.status_code == 302, form_errors(response)
    with_gone = revisions(article)[-1]
    data = admin_form_data(client.get(change_url(article)))
    data.update({"authorships-1-DELETE": "on", "title": "Later"})
    response = client.post(change_url(article), data)
    assert response.status_code == 302, form_errors(response)
    gone.delete()
    Publication.objects.filter(pk=article.pk).update(status=Status.PUBLISHED)

    response = client.post(restore_url(article, with_gone), follow=True)

    html = response.content.decode()
    assert "An author of that revision has been deleted since." in html
    article.refresh_from_db()
    assert article.status == Status.PUBLISHED
    assert article.title == "Gas grids in Europe"
    assert article.authorships.count() == 1


def test_restoring_an_earlier_pdf_makes_its_version_current_again(client, pdf_upload):
    client.force_login(editor())
    article = PublicationFactory(draft=True)
    save_form(client, article, pdf=pdf_upload(pages=2))
    with_two_pages = revisions(article)[-1]
    save_form(client, article, pdf=pdf_upload(name="new.pdf", pages=5))
    article.refresh_from_db()
    assert article.pdf_pages == 5

    client.post(restore_url(article, with_two_pages))

    article.refresh_from_db()
    current = PdfVersion.objects.get(publication=article, is_current=True)
    assert article.pdf_pages == 2
    assert article.pdf.name == current.file.name
    assert current.pages == 2
    assert PdfVersion.objects.filter(publication=article).count() == 2


def test_uploaders_see_no_restore_and_are_refused_it(client, article):
    client.force_login(editor())
    save_form(client, article, title="Changed")
    initial = revisions(article)[0]
    client.force_login(uploader())

    assert "Restore…" not in client.get(history_url(article)).content.decode()
    assert client.post(restore_url(article, initial)).status_code == 403
    article.refresh_from_db()
    assert article.title == "Changed"


def test_a_missing_publication_or_revision_is_a_message_not_an_error(client, article):
    client.force_login(editor())
    save_form(client, article, title="Changed")
    other = PublicationFactory(draft=True)
    save_form(client, other, title="Other")

    missing = client.get(
        reverse("admin:publications_publication_compare", args=[987654]), follow=True
    )
    foreign = client.post(restore_url(article, revisions(other)[-1]), follow=True)

    assert missing.status_code == 200
    assert "Perhaps it was deleted?" in missing.content.decode()
    assert "does not belong to this publication" in foreign.content.decode()
    article.refresh_from_db()
    assert article.title == "Changed"


def test_word_diff_keeps_every_word_of_both_texts():
    segments = word_diff("The gas flows east.", "The oil flows west, slowly.")

    removed = "".join(s.text for s in segments if s.kind != "added")
    added = "".join(s.text for s in segments if s.kind != "removed")
    assert removed == "The gas flows east."
    assert added == "The oil flows west, slowly."
    assert ("gas", "removed") in [(s.text, s.kind) for s in segments]


def test_a_go_live_time_to_the_microsecond_is_not_shown_as_changed(client):
    """A revision keeps times to the millisecond; the database keeps the
    microseconds of the default go-live time (``timezone.now``)."""
    publication = PublicationFactory(
        draft=True, publish_at=yesterday().replace(microsecond=123456)
    )
    client.force_login(editor())
    save_form(client, publication, teaser="A new teaser.")
    stored = Publication.objects.get(pk=publication.pk)
    initial, edited = revisions(publication)

    assert compare(revision_state(stored, edited), current_state(stored)) == []
    assert [
        c.label for c in compare(revision_state(stored, initial), current_state(stored))
    ] == ["Teaser"]
