"""Curators review uploads and keep memberships (the group is made in results 0004)."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CODENAMES = [
    "view_submission",
    "change_submission",
    "view_submissionforreview",
    "change_submissionforreview",
    "view_membership",
    "add_membership",
    "change_membership",
    "delete_membership",
    # Memberships are kept on the user page too.
    "view_user",
    "add_user",
    "change_user",
]


def forwards(apps, schema_editor):
    for label in ("submissions", "auth"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name="Curators")
    group.permissions.add(*Permission.objects.filter(codename__in=CODENAMES))


def backwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    for group in Group.objects.filter(name="Curators"):
        group.permissions.remove(*Permission.objects.filter(codename__in=CODENAMES))


class Migration(migrations.Migration):
    dependencies = [
        ("submissions", "0002_review_queue"),
        ("results", "0004_curators_group"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
