"""The system types, and round v0.7 with its rules (spec tables, via rounds/v0.7.json)."""

from django.db import migrations


def forwards(apps, schema_editor):
    from mlperf import load_round_data
    from results.seed import seed_round

    def get_model(name):
        return apps.get_model("results", name)

    Round = get_model("Round")
    if not Round.objects.filter(version="v0.7").exists():
        seed_round(load_round_data("v0.7"), get_model)


def backwards(apps, schema_editor):
    apps.get_model("results", "Round").objects.filter(version="v0.7").delete()


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
