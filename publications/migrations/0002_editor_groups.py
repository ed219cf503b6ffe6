"""The two staff groups: Editors (all content) and Uploaders (files only)."""

from django.db import migrations

CONTENT_APPS = ("centers", "authors", "publications", "taggit")
UPLOADER_PERMISSIONS = (
    ("publications", "view_publication"),
    ("publications", "upload_publication_files"),
)


def create_groups(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after all migrations ran; the groups
    # need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(
        *Permission.objects.filter(content_type__app_label__in=CONTENT_APPS)
    )
    uploaders, _ = Group.objects.get_or_create(name="Uploaders")
    for app_label, codename in UPLOADER_PERMISSIONS:
        uploaders.permissions.add(
            Permission.objects.get(
                content_type__app_label=app_label, codename=codename
            )
        )


def remove_groups(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(
        name__in=["Editors", "Uploaders"]
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("publications", "0001_initial"),
        ("centers", "0001_initial"),
        ("authors", "0001_initial"),
        ("taggit", "0006_rename_taggeditem_content_type_object_id_taggit_tagg_content_8fc721_idx"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(create_groups, remove_groups)]
