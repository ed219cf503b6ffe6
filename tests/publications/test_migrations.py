"""Data migrations keep what editors entered."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from taggit.models import Tag, TaggedItem

from publications.models import Publication, TaggedPublication

from ..factories import PublicationFactory

BEFORE = ("publications", "0016_publication_images_private")
AFTER = ("publications", "0017_tagged_publication")


def migrate(target=None):
    """To ``target``; without one, to the latest migration of every app, as
    the tests after this one expect the database."""
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target] if target else executor.loader.graph.leaf_nodes())


def tags_of(publications) -> dict:
    return {p.slug: sorted(p.tags.names()) for p in publications}


@pytest.mark.django_db(transaction=True)
def test_every_publication_tag_is_kept_through_its_foreign_key():
    first = PublicationFactory(slug="first", tags=["Energy", "Sahel"])
    second = PublicationFactory(slug="second", tags=["Sahel"])
    PublicationFactory(slug="untagged")
    expected = tags_of(Publication.objects.all())

    try:
        migrate(BEFORE)
        # As taggit stored them before: generic rows, one a publication's tag.
        publication_type = ContentType.objects.get_for_model(Publication)
        generic = TaggedItem.objects.filter(content_type=publication_type)
        assert sorted(generic.values_list("object_id", "tag__name")) == [
            (first.pk, "Energy"),
            (first.pk, "Sahel"),
            (second.pk, "Sahel"),
        ]
        energy = Tag.objects.get(name="Energy")
        # A generic row outlives its publication (no foreign key kept it):
        # nothing to keep.
        gone = Publication.objects.order_by("pk").last().pk + 100
        TaggedItem.objects.create(
            content_type=publication_type, object_id=gone, tag=energy
        )
        # A tag of another kind of object stays generic.
        other = TaggedItem.objects.create(
            content_type=ContentType.objects.get_for_model(Tag),
            object_id=1,
            tag=energy,
        )

        migrate(AFTER)
    finally:
        migrate()

    assert tags_of(Publication.objects.all()) == expected
    assert TaggedPublication.objects.count() == 3
    assert list(TaggedItem.objects.all()) == [other]
