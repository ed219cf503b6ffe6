"""Autocomplete of author names (publications/search.py): a trigram index on
each author's name, lowercase and without accents.

On PostgreSQL only. ``unaccent()`` may not be used in an index: it depends on
a dictionary that could change. ``search_fold()`` names the dictionary, and is
declared immutable for the index's sake: the unaccent rules do not change
while the site runs.
"""

from django.db import migrations

FUNCTION = """
CREATE OR REPLACE FUNCTION search_fold(text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$ SELECT lower(unaccent('unaccent'::regdictionary, $1)) $$
"""

INDEX = """
CREATE INDEX IF NOT EXISTS author_name_fold_trgm ON authors_author
USING gin (search_fold(given_name || ' ' || family_name) gin_trgm_ops)
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(FUNCTION)
    schema_editor.execute(INDEX)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("DROP INDEX IF EXISTS author_name_fold_trgm")
    schema_editor.execute("DROP FUNCTION IF EXISTS search_fold(text)")


class Migration(migrations.Migration):
    dependencies = [
        ("authors", "0002_author_updated_at"),
        ("publications", "0009_visible_listing_index"),
    ]

    operations = [migrations.RunPython(create, drop)]
