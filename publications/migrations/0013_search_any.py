"""One term of a search in either language (publications/search.py).

On PostgreSQL only. ``search_any(VARIADIC tsquery[])`` joins with OR the
distinct queries it is given: a term parsed with the English and the French
dictionary (and, for a prefix, with none) often gives the same lexeme, which
the GIN index would otherwise look up once per copy ("energ*": three).
"""

from django.db import migrations

ANY = """
CREATE OR REPLACE FUNCTION search_any(VARIADIC queries tsquery[]) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
    SELECT coalesce(string_agg(DISTINCT '(' || query::text || ')', ' | '), '')::tsquery
    FROM unnest(queries) AS query
    WHERE query::text <> ''
$$
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(ANY)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("DROP FUNCTION IF EXISTS search_any(tsquery[])")


class Migration(migrations.Migration):
    dependencies = [("publications", "0012_search_word_pairs")]

    operations = [migrations.RunPython(create, drop)]
