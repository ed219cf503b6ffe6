"""Search vectors move to a narrow table of their own, SearchDocument, with
a third vector for titles (publications/search.py).

On PostgreSQL only: the table keeps its rows small (the vectors are stored
out of line from 128 bytes on), its three GIN indexes, and the vectors of
the publications already there, copied from the columns this removes.
"""

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models


TABLE = "publications_searchdocument"

INDEXES = {
    "search_document_gin": "vector",
    "search_document_head_gin": "head_vector",
    "search_document_title_gin": "title_vector",
}


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(f"ALTER TABLE {TABLE} SET (toast_tuple_target = 128)")
    schema_editor.execute(
        f"""
        INSERT INTO {TABLE} (publication_id, vector, head_vector, title_vector)
        SELECT id, search_vector, search_rank_vector,
            ts_filter(search_rank_vector, '{{a}}')
        FROM publications_publication
        WHERE search_vector IS NOT NULL AND search_rank_vector IS NOT NULL
        """  # noqa: S608 (constant names)
    )
    for name, column in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX {name} ON {TABLE} USING gin ({column})")


def restore(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f"""
        UPDATE publications_publication p
        SET search_vector = d.vector, search_rank_vector = d.head_vector
        FROM {TABLE} d WHERE d.publication_id = p.id
        """  # noqa: S608 (constant names)
    )
    schema_editor.execute(
        "CREATE INDEX IF NOT EXISTS pub_search_vector_gin "
        "ON publications_publication USING gin (search_vector)"
    )


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0010_author_name_index"),
    ]

    operations = [
        migrations.CreateModel(
            name="SearchDocument",
            fields=[
                (
                    "publication",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        primary_key=True,
                        related_name="search_document",
                        serialize=False,
                        to="publications.publication",
                        verbose_name="publication",
                    ),
                ),
                (
                    "vector",
                    django.contrib.postgres.search.SearchVectorField(
                        verbose_name="search index"
                    ),
                ),
                (
                    "head_vector",
                    django.contrib.postgres.search.SearchVectorField(
                        verbose_name="title, summary, authors and topics"
                    ),
                ),
                (
                    "title_vector",
                    django.contrib.postgres.search.SearchVectorField(
                        verbose_name="title"
                    ),
                ),
            ],
            options={
                "verbose_name": "search index entry",
                "verbose_name_plural": "search index entries",
            },
        ),
        migrations.RunPython(create, restore),
        migrations.RemoveField(
            model_name="publication",
            name="search_rank_vector",
        ),
        migrations.RemoveField(
            model_name="publication",
            name="search_vector",
        ),
    ]
