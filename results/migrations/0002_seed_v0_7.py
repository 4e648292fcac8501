"""The system types, and round v0.7 with its rules (spec tables).

Rules come from ``frozen/v0.7-schema1.json``, the file as it was when this
migration was written; later rounds are loaded with ``load_round_rules``.
"""

import json
from pathlib import Path

from django.db import migrations


def _frozen_v07_rules() -> dict:
    path = Path(__file__).with_name("frozen") / "v0.7-schema1.json"
    return json.loads(path.read_text(encoding="utf-8"))


def forwards(apps, schema_editor):
    from results.seed import seed_round

    def get_model(name):
        return apps.get_model("results", name)

    Round = get_model("Round")
    if not Round.objects.filter(version="v0.7").exists():
        seed_round(_frozen_v07_rules(), get_model)


def backwards(apps, schema_editor):
    apps.get_model("results", "Round").objects.filter(version="v0.7").delete()


class Migration(migrations.Migration):
    dependencies = [("results", "0001_initial")]

    operations = [migrations.RunPython(forwards, backwards)]
