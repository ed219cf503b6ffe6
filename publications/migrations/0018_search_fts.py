"""SQLite's full-text index of publications
(publications/search/backends/sqlite_index.py), filled from the publications
already there. Nothing on PostgreSQL, whose search documents (migration
0011) do this job."""

from django.db import migrations

from publications.search.backends import sqlite_index


def create_index(apps, schema_editor):
    sqlite_index.create(schema_editor)
    sqlite_index.refresh(using=schema_editor.connection.alias, apps=apps)


def drop_index(apps, schema_editor):
    sqlite_index.drop(schema_editor)


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0017_tagged_publication"),
    ]

    operations = [migrations.RunPython(create_index, drop_index)]
