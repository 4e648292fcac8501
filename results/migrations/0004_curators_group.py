"""The "Curators" group: staff who may curate rounds, rules and results in the admin.

They may view, add and change the catalogue but delete nothing; corrections
and the admin log are read-only for them. Membership is given in the admin.
"""

from django.contrib.auth.management import create_permissions
from django.db import migrations

GROUP = "Curators"
CHANGE = [
    "round",
    "systemtype",
    "category",
    "benchmark",
    "scenario",
    "benchmarkscenario",
    "suitescenario",
    "submitter",
    "processor",
    "accelerator",
    "system",
    "entry",
    "result",
]
VIEW_ONLY = ["correction"]


def forwards(apps, schema_editor):
    # Permissions are made after migrations; make these now so the group can hold them.
    for label in ("results", "admin"):
        app_config = apps.get_app_config(label)
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    codenames = [f"{action}_{model}" for model in CHANGE for action in ("view", "add", "change")]
    codenames += [f"view_{model}" for model in VIEW_ONLY]
    group, _ = Group.objects.get_or_create(name=GROUP)
    group.permissions.add(
        *Permission.objects.filter(content_type__app_label="results", codename__in=codenames)
    )
    # Who changed what and when: Django's admin log.
    admin_log = Permission.objects.filter(content_type__app_label="admin", codename="view_logentry")
    group.permissions.add(*admin_log)


def backwards(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0003_publication_and_corrections"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("admin", "0003_logentry_add_action_flag_choices"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
