"""Quoted phrases answered by the GIN indexes alone (publications/search.py).

On PostgreSQL only. ``search_pairs(tsvector)`` adds to a vector each pair of
adjacent words as one more lexeme (" nuclear deterr": the leading space,
which no parsed word has, keeps pairs out of prefix matches), and
``search_pair_query(tsquery)`` turns a phrase of adjacent words
('nuclear' <-> 'deterr') into the pairs it needs (' nuclear deterr'): a
phrase of two words is then found like a word, where checking word
positions made PostgreSQL read every candidate's whole vector; a longer one
has only the candidates that hold all its pairs checked. Other phrases (one
with a stop word inside, or a prefix) are left as they are. The vectors already
stored get their pairs here.
"""

from django.db import migrations

PAIRS = """
CREATE OR REPLACE FUNCTION search_pairs(vector tsvector) RETURNS tsvector
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
    SELECT vector || coalesce(array_to_tsvector(array_agg(
        DISTINCT ' ' || a.lexeme || ' ' || b.lexeme
    )), ''::tsvector)
    FROM (SELECT lexeme, unnest(positions) AS position FROM unnest(vector)) a
    JOIN (SELECT lexeme, unnest(positions) AS position FROM unnest(vector)) b
        ON b.position = a.position + 1
$$
"""

PAIR_QUERY = r"""
CREATE OR REPLACE FUNCTION search_pair_query(query tsquery) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE STRICT
AS $$
    SELECT CASE
        WHEN query::text !~ '^''[^'' ]+''( <-> ''[^'' ]+'')+$' THEN query
        -- Two words: their pair says it all.
        WHEN array_length(words, 1) = 2 THEN pairs
        -- More: the pairs find the few candidates, whose word positions
        -- are then checked.
        ELSE pairs && query
    END
    FROM (
        SELECT words, (
            SELECT string_agg(
                ''' ' || words[i] || ' ' || words[i + 1] || '''', ' & '
            )::tsquery
            FROM generate_series(1, array_length(words, 1) - 1) AS i
        ) AS pairs
        FROM (
            SELECT string_to_array(replace(query::text, '''', ''), ' <-> ')
            AS words
        ) phrase
    ) parts
$$
"""

ADD_PAIRS = """
UPDATE publications_searchdocument SET
    vector = search_pairs(vector),
    head_vector = search_pairs(head_vector),
    title_vector = search_pairs(title_vector)
"""


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(PAIRS)
    schema_editor.execute(PAIR_QUERY)
    schema_editor.execute(ADD_PAIRS)


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        "UPDATE publications_searchdocument SET "
        "vector = ts_delete(vector, array(SELECT lexeme FROM unnest(vector) "
        "WHERE lexeme LIKE '%% %%')), "
        "head_vector = ts_delete(head_vector, array(SELECT lexeme "
        "FROM unnest(head_vector) WHERE lexeme LIKE '%% %%')), "
        "title_vector = ts_delete(title_vector, array(SELECT lexeme "
        "FROM unnest(title_vector) WHERE lexeme LIKE '%% %%'))"
    )
    schema_editor.execute("DROP FUNCTION IF EXISTS search_pair_query(tsquery)")
    schema_editor.execute("DROP FUNCTION IF EXISTS search_pairs(tsvector)")


class Migration(migrations.Migration):
    dependencies = [("publications", "0011_search_documents")]

    operations = [migrations.RunPython(create, drop)]
