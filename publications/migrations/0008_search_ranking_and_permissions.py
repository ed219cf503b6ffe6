"""The small vector search results are ranked by (publications/search.py):
the title, teaser, authors and topics only, without the body and PDF text
that ranking would otherwise have to read for every match. And the Editors'
permissions on frequent searches and search suggestions."""

import django.contrib.postgres.search
from django.db import migrations

# As publications/search.py computed it when this migration was written.
FILL_RANK_VECTORS = """
WITH source AS (
    SELECT p.id,
        CASE WHEN p.language = 'fr' THEN 'french_unaccent'
             ELSE 'english_unaccent' END::regconfig AS config,
        p.title || ' ' || p.subtitle AS title,
        p.teaser,
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
        ), '') AS tags
    FROM publications_publication p
)
UPDATE publications_publication AS p SET search_rank_vector =
    setweight(to_tsvector(s.config, s.title), 'A')
    || setweight(to_tsvector('simple_unaccent', s.title), 'A')
    || setweight(to_tsvector(s.config, s.teaser || ' ' || s.names
                                       || ' ' || s.tags), 'B')
    || setweight(to_tsvector('simple_unaccent', s.names || ' ' || s.tags), 'B')
FROM source s
WHERE p.id = s.id
"""


SEARCH_MODELS = ("searchquerystat", "searchsuggestion")


def fill_rank_vectors(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FILL_RANK_VECTORS)


def give_editors_search_permissions(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran.
    app_config = apps.get_app_config("publications")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors = Group.objects.filter(name="Editors").first()
    if editors is not None:
        editors.permissions.add(
            *Permission.objects.filter(
                content_type__app_label="publications",
                content_type__model__in=SEARCH_MODELS,
            )
        )


class Migration(migrations.Migration):

    dependencies = [
        ('publications', '0007_search'),
        ('auth', '0012_alter_user_first_name_max_length'),
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.AddField(
            model_name='publication',
            name='search_rank_vector',
            field=django.contrib.postgres.search.SearchVectorField(editable=False, null=True, verbose_name='search ranking index'),
        ),
        migrations.RunPython(fill_rank_vectors, migrations.RunPython.noop),
        migrations.RunPython(
            give_editors_search_permissions, migrations.RunPython.noop
        ),
    ]
