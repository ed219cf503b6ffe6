"""The admin's pages run as many queries for a publication with many authors
and links, or a list of many publications, as for a small one: an N+1
anywhere (an inline's autocomplete, the checks before publishing, the
workflow panel, a column of the list) shows as a difference."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from publications.models import RelatedLink

from ..factories import (
    AuthorFactory,
    PublicationFactory,
    ResearchCenterFactory,
    editor,
)
from ..helpers import CHANGELIST_URL, change_url

pytestmark = pytest.mark.django_db


def queries_of(client, url) -> int:
    """The queries of a page opened a second time: what the first opening
    caches (content types, the filters' choices) is not counted."""
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def publication_with(count: int):
    publication = PublicationFactory(
        authors=AuthorFactory.create_batch(count),
        tags=[f"Topic {n}" for n in range(count)],
        with_pdf=True,
    )
    for order in range(count):
        RelatedLink.objects.create(
            publication=publication, target=PublicationFactory(), order=order
        )
    RelatedLink.objects.create(
        publication=publication,
        url="https://www.partner.example/energy",
        title="The partner's dossier",
        order=count,
    )
    return publication


def test_the_change_form_runs_as_many_queries_for_8_authors_and_links_as_for_1(
    client, clear_content_type_cache
):
    client.force_login(editor())
    small, large = publication_with(1), publication_with(8)

    small_count = queries_of(client, change_url(small))
    large_count = queries_of(client, change_url(large))

    print(
        f"\nChange form: {small_count} queries (1 author, 1+1 links), "
        f"{large_count} (8 authors, 8+1 links)"
    )
    assert large_count == small_count


def test_the_change_list_runs_as_many_queries_for_50_publications_as_for_5(
    client, clear_content_type_cache
):
    client.force_login(editor())
    center = ResearchCenterFactory()

    def add(count):
        for number in range(count):
            PublicationFactory(
                center=center,
                authors=AuthorFactory.create_batch(3),
                tags=[f"Topic {number}", "Energy"],
            )

    add(5)
    five = queries_of(client, CHANGELIST_URL)
    add(45)
    fifty = queries_of(client, CHANGELIST_URL)

    print(f"\nChange list: {five} queries (5 publications), {fifty} (50)")
    assert fifty == five
