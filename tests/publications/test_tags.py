"""Publications' topics and regions: a plain foreign key, no content types."""

import pytest
from django.contrib.contenttypes.models import ContentType

from publications.models import Publication

from ..factories import PublicationFactory

pytestmark = pytest.mark.django_db


def test_tags_are_read_and_filtered_in_one_query_without_content_types(
    django_assert_num_queries,
):
    publication = PublicationFactory(tags=["Energy", "Sahel"])
    PublicationFactory(tags=["Sahel"])
    ContentType.objects.clear_cache()

    # SELECT tag.name FROM taggit_tag JOIN publications_taggedpublication ...
    with django_assert_num_queries(1):
        assert sorted(publication.tags.names()) == ["Energy", "Sahel"]
    # SELECT ... FROM publications_publication JOIN ..._taggedpublication ...
    with django_assert_num_queries(1):
        assert list(Publication.objects.filter(tags__slug="energy")) == [publication]
    # Both publications' tags: the publications, then their tags.
    with django_assert_num_queries(2):
        tags = [
            sorted(tag.name for tag in p.tags.all())
            for p in Publication.objects.order_by("pk").prefetch_related("tags")
        ]
    assert tags == [["Energy", "Sahel"], ["Sahel"]]


def test_a_deleted_publication_takes_its_tags_along():
    publication = PublicationFactory(tags=["Energy"])

    publication.delete()

    assert not Publication.tags.through.objects.exists()
