"""A fourth search vector, the body's words alone (publications/search.py):
matches in the body rank before matches in the PDF alone.

On PostgreSQL only: the vectors of the publications already there, as
search.py computes them when this is written (frozen here), and their GIN
index.
"""

import django.contrib.postgres.search
from django.db import migrations


FILL = """
UPDATE publications_searchdocument d
SET body_vector = search_pairs(setweight(to_tsvector(
    CASE WHEN p.language = 'fr' THEN 'french_unaccent'
         ELSE 'english_unaccent' END::regconfig,
    coalesce(p.body, '')
), 'C'))
FROM publications_publication p
WHERE p.id = d.publication_id
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FILL)
    schema_editor.execute(
        "CREATE INDEX search_document_body_gin "
        "ON publications_searchdocument USING gin (body_vector)"
    )


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_body_gin")


class Migration(migrations.Migration):

    dependencies = [
        ('publications', '0013_search_any'),
    ]

    operations = [
        migrations.AddField(
            model_name='searchdocument',
            name='body_vector',
            field=django.contrib.postgres.search.SearchVectorField(null=True, verbose_name='body'),
        ),
        migrations.RunPython(create, drop),
    ]
