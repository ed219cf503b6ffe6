"""Search (publications/search.py): the stored search vector, the words "did
you mean" knows, reader search counts and editors' suggestions.

On PostgreSQL only: the unaccent and pg_trgm extensions, the text search
configurations english_unaccent, french_unaccent and simple_unaccent (the
built-in ones with accents removed first), the GIN indexes, and the vectors of
the publications already there. The indexes are not in the models' Meta:
SQLite cannot build them, and rebuilds its tables from Meta.
"""

import django.contrib.postgres.search
import django.utils.timezone
from django.db import migrations, models

CONFIGURATIONS = {
    "english_unaccent": ("english", "english_stem"),
    "french_unaccent": ("french", "french_stem"),
    "simple_unaccent": ("simple", "simple"),
}

INDEXES = {
    # Full-text matching.
    "pub_search_vector_gin": (
        "publications_publication USING gin (search_vector)"
    ),
    # Autocomplete of titles: word prefixes, no stemming.
    "pub_title_words_gin": (
        "publications_publication USING gin "
        "(to_tsvector('simple_unaccent'::regconfig, title))"
    ),
    # "Did you mean": trigram similarity of known words.
    "search_term_word_trgm": (
        "publications_searchterm USING gin (word gin_trgm_ops)"
    ),
}

# The vectors of existing publications, as publications/search.py computed
# them when this migration was written (frozen here: that module may change).
FILL_VECTORS = """
WITH source AS (
    SELECT p.id,
        CASE WHEN p.language = 'fr' THEN 'french_unaccent'
             ELSE 'english_unaccent' END::regconfig AS config,
        p.title || ' ' || p.subtitle AS title,
        p.teaser,
        coalesce(p.body, '') AS body,
        coalesce((
            SELECT string_agg(a.given_name || ' ' || a.family_name, ' ')
            FROM publications_authorship s JOIN authors_author a ON a.id = s.author_id
            WHERE s.publication_id = p.id
        ), '') AS names,
        coalesce((
            SELECT string_agg(t.name, ' ')
            FROM taggit_taggeditem i
            JOIN taggit_tag t ON t.id = i.tag_id
            JOIN django_content_type c ON c.id = i.content_type_id
            WHERE i.object_id = p.id
              AND c.app_label = 'publications' AND c.model = 'publication'
        ), '') AS tags,
        coalesce((
            SELECT left(v.text, 400000) FROM publications_pdfversion v
            WHERE v.publication_id = p.id AND v.is_current
        ), '') AS pdf_text
    FROM publications_publication p
),
updated AS (
    UPDATE publications_publication AS p SET search_vector =
        setweight(to_tsvector(s.config, s.title), 'A')
        || setweight(to_tsvector('simple_unaccent', s.title), 'A')
        || setweight(to_tsvector(s.config, s.teaser || ' ' || s.names
                                           || ' ' || s.tags), 'B')
        || setweight(to_tsvector('simple_unaccent', s.names || ' ' || s.tags), 'B')
        || setweight(to_tsvector(s.config, s.body), 'C')
        || setweight(to_tsvector(s.config, s.pdf_text), 'D')
    FROM source s
    WHERE p.id = s.id
    RETURNING p.id
)
INSERT INTO publications_searchterm (word, label)
SELECT DISTINCT ON (unaccent(w)) unaccent(w), w
FROM (
    SELECT unnest(tsvector_to_array(to_tsvector(
        'simple', s.title || ' ' || s.names || ' ' || s.tags))) AS w
    FROM source s
) found
WHERE char_length(w) BETWEEN 3 AND 100 AND w ~ '[^0-9]'
ORDER BY unaccent(w), w
ON CONFLICT (word) DO NOTHING
"""


def create_configurations(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for name, (source, dictionary) in CONFIGURATIONS.items():
        schema_editor.execute(
            f"""
            DO $$ BEGIN
                IF NOT EXISTS (
                    SELECT 1 FROM pg_ts_config
                    WHERE cfgname = '{name}'
                      AND cfgnamespace = current_schema()::regnamespace
                ) THEN
                    CREATE TEXT SEARCH CONFIGURATION {name} (COPY = {source});
                END IF;
            END $$
            """
        )
        schema_editor.execute(
            f"ALTER TEXT SEARCH CONFIGURATION {name} "
            f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {dictionary}"
        )


def drop_configurations(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in CONFIGURATIONS:
        schema_editor.execute(f"DROP TEXT SEARCH CONFIGURATION IF EXISTS {name}")


def create_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name, definition in INDEXES.items():
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {definition}")
    schema_editor.execute(FILL_VECTORS)


def drop_indexes(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for name in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):

    dependencies = [
        ('publications', '0006_pdf_versions_of_existing_pdfs'),
    ]

    operations = [
        migrations.RunPython(create_configurations, drop_configurations),
        migrations.CreateModel(
            name='SearchSuggestion',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term', models.CharField(help_text='What the link searches for, e.g. “energy transition”.', max_length=100, verbose_name='search')),
                ('language', models.CharField(blank=True, choices=[('en', 'English'), ('fr', 'French')], help_text='Show it only on the pages in this language; blank for both.', max_length=2, verbose_name='language')),
                ('order', models.PositiveSmallIntegerField(default=0, help_text='Suggestions are listed from the lowest number.', verbose_name='display order')),
                ('is_active', models.BooleanField(default=True, verbose_name='shown')),
            ],
            options={
                'verbose_name': 'search suggestion',
                'verbose_name_plural': 'search suggestions',
                'ordering': ['order', 'term'],
            },
        ),
        migrations.CreateModel(
            name='SearchTerm',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('word', models.CharField(help_text='Lowercase, no accents.', max_length=100, unique=True, verbose_name='word')),
                ('label', models.CharField(max_length=100, verbose_name='as written')),
            ],
            options={
                'verbose_name': 'search term',
                'verbose_name_plural': 'search terms',
            },
        ),
        migrations.AddField(
            model_name='publication',
            name='search_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True, verbose_name='search index'),
        ),
        migrations.CreateModel(
            name='SearchQueryStat',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('term', models.CharField(max_length=100, unique=True, verbose_name='search')),
                ('count', models.PositiveIntegerField(default=0, verbose_name='searches')),
                ('last_seen', models.DateField(default=django.utils.timezone.localdate, verbose_name='last searched')),
                ('is_hidden', models.BooleanField(default=False, help_text='Hidden searches are never shown to readers.', verbose_name='hidden')),
            ],
            options={
                'verbose_name': 'frequent search',
                'verbose_name_plural': 'frequent searches',
                'ordering': ['-count', 'term'],
                'indexes': [models.Index(condition=models.Q(('is_hidden', False)), fields=['-count', 'term'], name='search_query_top_idx')],
            },
        ),
        migrations.RunPython(create_indexes, drop_indexes),
    ]
