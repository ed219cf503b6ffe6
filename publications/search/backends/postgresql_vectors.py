"""The PostgreSQL search index: each publication's SearchDocument vectors
and the words "did you mean" knows, recomputed in bulk SQL."""

from __future__ import annotations

from django.db import connections, router, transaction
from taggit.models import Tag

from authors.models import Author

from ...models import (
    Authorship,
    Language,
    PdfVersion,
    Publication,
    TaggedPublication,
)
from ..models import SearchDocument, SearchTerm
from .base import PDF_TEXT_INDEXED
from .postgresql_functions import PREFIX_CONFIG, TS_CONFIGS

# Publications refreshed per UPDATE by a full refresh.
REFRESH_BATCH = 1000


def refresh_statement(db) -> str:
    """One statement: recompute the vectors of the publications ``%(ids)s``
    and add their title words, author names and topics to the words "did you
    mean" knows. Returns the number of publications updated."""
    qn = db.ops.quote_name
    pub = qn(Publication._meta.db_table)
    authorship = qn(Authorship._meta.db_table)
    author = qn(Author._meta.db_table)
    tagged = qn(TaggedPublication._meta.db_table)
    tag = qn(Tag._meta.db_table)
    pdf = qn(PdfVersion._meta.db_table)
    term = qn(SearchTerm._meta.db_table)
    document = qn(SearchDocument._meta.db_table)
    return f"""
    WITH source AS (
        SELECT p.id,
            CASE WHEN p.language = %(french)s THEN %(french_config)s
                 ELSE %(english_config)s END::regconfig AS config,
            p.title || ' ' || p.subtitle AS title,
            p.teaser,
            coalesce(p.body, '') AS body,
            coalesce((
                SELECT string_agg(a.given_name || ' ' || a.family_name, ' ')
                FROM {authorship} s JOIN {author} a ON a.id = s.author_id
                WHERE s.publication_id = p.id
            ), '') AS names,
            coalesce((
                SELECT string_agg(t.name, ' ')
                FROM {tagged} i JOIN {tag} t ON t.id = i.tag_id
                WHERE i.content_object_id = p.id
            ), '') AS tags,
            coalesce((
                SELECT left(v.text, %(pdf_chars)s) FROM {pdf} v
                WHERE v.publication_id = p.id AND v.is_current
            ), '') AS pdf_text
        FROM {pub} p
        WHERE p.id = ANY(%(ids)s)
    ),
    vectors AS (
        SELECT s.id, s.config, s.body, s.pdf_text, s.title_vector,
            s.title_vector
            || setweight(to_tsvector(s.config, s.teaser || ' ' || s.names
                                               || ' ' || s.tags), 'B')
            || setweight(to_tsvector(%(prefix_config)s, s.names || ' ' || s.tags), 'B')
            AS head
        FROM (
            SELECT source.*,
                setweight(to_tsvector(source.config, source.title), 'A')
                || setweight(to_tsvector(%(prefix_config)s, source.title), 'A')
                AS title_vector
            FROM source
        ) s
    ),
    bodies AS (
        SELECT v.*, setweight(to_tsvector(v.config, v.body), 'C') AS body_vector
        FROM vectors v
    ),
    updated AS (
        INSERT INTO {document} AS d
            (publication_id, title_vector, head_vector, body_vector, vector)
        SELECT v.id, search_pairs(v.title_vector), search_pairs(v.head),
            search_pairs(v.body_vector),
            search_pairs(
                v.head
                || v.body_vector
                || setweight(to_tsvector(v.config, v.pdf_text), 'D')
            )
        FROM bodies v
        ON CONFLICT (publication_id) DO UPDATE SET
            title_vector = excluded.title_vector,
            head_vector = excluded.head_vector,
            body_vector = excluded.body_vector,
            vector = excluded.vector
        RETURNING d.publication_id
    ),
    words AS (
        INSERT INTO {term} (word, label)
        SELECT DISTINCT ON (unaccent(w)) unaccent(w), w
        FROM (
            SELECT unnest(tsvector_to_array(to_tsvector(
                'simple', s.title || ' ' || s.names || ' ' || s.tags))) AS w
            FROM source s
        ) found
        WHERE char_length(w) BETWEEN 3 AND 100 AND w ~ '[^0-9]'
        ORDER BY unaccent(w), w
        ON CONFLICT (word) DO NOTHING
        RETURNING 1
    )
    SELECT (SELECT count(*) FROM updated)
    """  # noqa: S608 (names from the models, values as parameters)


def refresh_vectors(publication_ids=None) -> int:
    """Recompute the stored search vectors of these publications (all when
    None); return how many were updated.

    A full refresh also forgets the words "did you mean" knew, then
    relearns them, in batches of REFRESH_BATCH publications, each its own
    transaction.
    """
    db = connections[router.db_for_write(Publication)]
    if publication_ids is None:
        with transaction.atomic(using=db.alias):
            SearchTerm.objects.using(db.alias).all().delete()
        ids = list(
            Publication.objects.using(db.alias)
            .order_by("pk")
            .values_list("pk", flat=True)
        )
    else:
        ids = sorted({int(pk) for pk in publication_ids if pk is not None})
    statement = refresh_statement(db)
    updated = 0
    for start in range(0, len(ids), REFRESH_BATCH):
        params = {
            "ids": ids[start : start + REFRESH_BATCH],
            "french": Language.FRENCH.value,
            "french_config": TS_CONFIGS[Language.FRENCH],
            "english_config": TS_CONFIGS[Language.ENGLISH],
            "prefix_config": PREFIX_CONFIG,
            "pdf_chars": PDF_TEXT_INDEXED,
        }
        with transaction.atomic(using=db.alias), db.cursor() as cursor:
            cursor.execute(statement, params)
            updated += cursor.fetchone()[0]
    return updated
