"""Publications' tags through a real foreign key (TaggedPublication) instead
of taggit's generic TaggedItem: every publication tag is copied over, then
the generic rows are deleted. Reversible: going back copies them back."""

import django.db.models.deletion
import taggit.managers
from django.db import migrations, models


BATCH = 5000


def _publication_type(apps, schema_editor, create=False):
    ContentType = apps.get_model("contenttypes", "ContentType")
    manager = ContentType.objects.db_manager(schema_editor.connection.alias)
    if create:
        return manager.get_or_create(app_label="publications", model="publication")[0]
    return manager.filter(app_label="publications", model="publication").first()


def to_foreign_key(apps, schema_editor):
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    TaggedPublication = apps.get_model("publications", "TaggedPublication")
    Publication = apps.get_model("publications", "Publication")
    alias = schema_editor.connection.alias
    content_type = _publication_type(apps, schema_editor)
    if content_type is None:
        return  # no publication was ever tagged
    generic = TaggedItem.objects.using(alias).filter(content_type=content_type)
    # A generic row may name a publication deleted since: no key to keep.
    existing = Publication.objects.using(alias).values("pk")
    rows = generic.filter(object_id__in=existing).values_list("object_id", "tag_id")
    TaggedPublication.objects.using(alias).bulk_create(
        (
            TaggedPublication(content_object_id=pk, tag_id=tag)
            for pk, tag in rows.distinct().iterator()
        ),
        batch_size=BATCH,
    )
    generic.delete()


def to_generic(apps, schema_editor):
    TaggedItem = apps.get_model("taggit", "TaggedItem")
    TaggedPublication = apps.get_model("publications", "TaggedPublication")
    alias = schema_editor.connection.alias
    rows = TaggedPublication.objects.using(alias).values_list(
        "content_object_id", "tag_id"
    )
    if not rows.exists():
        return
    content_type = _publication_type(apps, schema_editor, create=True)
    TaggedItem.objects.using(alias).bulk_create(
        (
            TaggedItem(content_type=content_type, object_id=pk, tag_id=tag)
            for pk, tag in rows.iterator()
        ),
        batch_size=BATCH,
    )


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('publications', '0016_publication_images_private'),
        ('taggit', '0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx'),
    ]

    operations = [
        migrations.CreateModel(
            name='TaggedPublication',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('content_object', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tagged_items', to='publications.publication', verbose_name='publication')),
                ('tag', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='%(app_label)s_%(class)s_items', to='taggit.tag')),
            ],
            options={
                'verbose_name': 'topic of a publication',
                'verbose_name_plural': 'topics of publications',
            },
        ),
        migrations.AlterField(
            model_name='publication',
            name='tags',
            field=taggit.managers.TaggableManager(blank=True, help_text='Comma-separated, e.g. “Energy, Sahel, European Union”.', through='publications.TaggedPublication', to='taggit.Tag', verbose_name='topics and regions'),
        ),
        migrations.AddConstraint(
            model_name='taggedpublication',
            constraint=models.UniqueConstraint(fields=('content_object', 'tag'), name='unique_publication_tag'),
        ),
        migrations.RunPython(to_foreign_key, to_generic),
    ]
