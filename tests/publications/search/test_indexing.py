"""The PostgreSQL index kept in step with every change it reads, refreshed
once per transaction."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from taggit.models import Tag

from publications.caching import content_version
from publications.models import Authorship, SearchDocument, SearchTerm
from publications.publishing_admin import CONFIRM_FIELD
from publications.search import refresh_search_vectors

from ...factories import AuthorFactory, PublicationFactory, editor
from ...helpers import (
    POSTGRES_ONLY,
    add_inline_rows,
    admin_form_data,
    change_url,
    form_errors,
    pdf_saying,
    titles,
)

pytestmark = POSTGRES_ONLY


def test_vectors_follow_every_change_they_read(commit):
    with commit():
        author = AuthorFactory(given_name="Anna", family_name="Smith")
        publication = PublicationFactory(title="Arctic routes", authors=[author])
    assert titles("smith") == ["Arctic routes"]

    with commit():
        author.family_name = "Kowalczyk"
        author.save()
    assert titles("smith") == []
    assert titles("kowalczyk") == ["Arctic routes"]

    with commit():
        publication.tags.add("Shipping lanes")
    assert titles("shipping") == ["Arctic routes"]

    with commit():
        tag = Tag.objects.get(name="Shipping lanes")
        tag.name = "Sea lanes"
        tag.save()
    assert titles("shipping") == []
    assert titles("sea lanes") == ["Arctic routes"]

    with commit():
        publication.tags.clear()
    assert titles("sea") == []

    with commit():
        Authorship.objects.filter(publication=publication).delete()
    assert titles("kowalczyk") == []

    with commit():
        publication.title = "Polar routes"
        publication.save()
    assert titles("arctic") == []
    assert titles("polar") == ["Polar routes"]


def test_a_new_pdf_replaces_the_old_text(commit):
    with commit():
        publication = PublicationFactory(pdf=pdf_saying("Lithium brine extraction"))
    assert titles("lithium") == [publication.title]

    with commit():
        publication.pdf = pdf_saying("Rare earth magnets")
        publication.save()
    assert titles("lithium") == []
    assert titles('"rare earth magnets"') == [publication.title]


def test_an_editors_save_refreshes_the_vector_once_with_everything(
    client, commit, pdf_upload
):
    with commit():
        publication = PublicationFactory(title="Before")
    client.force_login(editor())
    data = admin_form_data(client.get(change_url(publication)))
    data.update(title="Aftermath", tags="Topic one, Topic two")
    data["pdf"] = pdf_upload(title="Uranium enrichment")
    # Published: the new PDF's accessibility warnings are confirmed.
    data[CONFIRM_FIELD] = "on"
    add_inline_rows(
        data,
        "authorships",
        [
            {
                "author": AuthorFactory(family_name="Okonkwo").pk,
                "role": "author",
                "order": 0,
            }
        ],
    )

    with commit() as callbacks:
        response = client.post(change_url(publication), data)

    assert response.status_code == 302, form_errors(response)
    names = [getattr(c, "__qualname__", "") for c in callbacks]
    refreshes = [name for name in names if name == "PendingRefresh.run"]
    assert len(refreshes) == 1
    for query in ("aftermath", "topic", "okonkwo", '"uranium enrichment"'):
        assert titles(query) == ["Aftermath"], query


def test_a_full_refresh_rebuilds_every_vector_and_the_known_words(commit):
    with commit():
        PublicationFactory.create_batch(3, title="Energy")
    SearchDocument.objects.all().delete()
    SearchTerm.objects.all().delete()

    assert refresh_search_vectors() == 3
    assert refresh_search_vectors([]) == 0
    assert SearchDocument.objects.count() == 3
    assert SearchTerm.objects.filter(word="energy").exists()
    assert len(titles("energy")) == 3


def test_a_deleted_publication_takes_its_search_document_along(commit):
    with commit():
        publication = PublicationFactory(title="Energy")
    assert SearchDocument.objects.filter(publication=publication).exists()

    publication.delete()

    assert not SearchDocument.objects.exists()
    assert titles("energy") == []


def test_refreshed_vectors_reach_cached_search_pages(commit):
    with commit():
        publication = PublicationFactory(title="Energy")
    version = content_version()

    with commit():
        refresh_search_vectors([publication.pk])

    assert content_version() != version


def test_the_command_refreshes_every_vector(commit):
    with commit():
        PublicationFactory.create_batch(2, title="Energy")
    SearchDocument.objects.all().delete()
    output = StringIO()

    call_command("refresh_search_vectors", stdout=output)

    assert "Refreshed 2 publications" in output.getvalue()
    assert len(titles("energy")) == 2


class Undone(Exception):
    """Rolls a savepoint back."""


def refreshes(callbacks) -> int:
    names = [getattr(c, "__qualname__", "") for c in callbacks]
    return names.count("PendingRefresh.run")


def test_a_rolled_back_savepoint_leaves_one_refresh_for_the_rest(commit):
    with commit() as callbacks:
        PublicationFactory(title="Kept before")
        with pytest.raises(Undone), transaction.atomic():
            PublicationFactory(title="Undone")
            raise Undone
        PublicationFactory(title="Kept after")

    assert refreshes(callbacks) == 1
    assert sorted(titles("kept")) == ["Kept after", "Kept before"]
    assert titles("undone") == []


def test_a_refresh_rolled_back_with_its_savepoint_does_not_stop_the_next(commit):
    with pytest.raises(Undone), transaction.atomic():
        PublicationFactory(title="Undone")  # its refresh is discarded
        raise Undone

    with commit() as callbacks:
        PublicationFactory(title="Saved")

    assert refreshes(callbacks) == 1
    assert titles("saved") == ["Saved"]
