"""Publishers: the group that approves, schedules, publishes and unpublishes.

Editors keep every other content permission: they write and submit for
review. Publishers get the editors' permissions and publishing.
"""

from django.db import migrations

PUBLISH = ("publications", "publish_publication")


def editors_and_publishing(apps):
    """The Editors group and the publish permission (either may be missing
    from a database an administrator changed)."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    publish = Permission.objects.filter(
        content_type__app_label=PUBLISH[0], codename=PUBLISH[1]
    ).first()
    return Group.objects.filter(name="Editors").first(), publish


def create_publishers(apps, schema_editor):
    editors, publish = editors_and_publishing(apps)
    Group = apps.get_model("auth", "Group")
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    if editors is not None:
        publishers.permissions.add(*editors.permissions.all())
        if publish is not None:
            editors.permissions.remove(publish)
    if publish is not None:
        publishers.permissions.add(publish)


def remove_publishers(apps, schema_editor):
    editors, publish = editors_and_publishing(apps)
    if editors is not None and publish is not None:
        editors.permissions.add(publish)
    apps.get_model("auth", "Group").objects.filter(name="Publishers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0020_workflow"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_publishers, remove_publishers)]
