"""The exact figures of a correction (issue 13, item 9): ``old_number`` and ``new_number``
beside the change log's texts, so that a dated snapshot restores a value as it was, not
rounded to the 6 significant digits of ``old_value``.

Rows recorded before this migration are filled from their texts where these parse
("88.8239 samples/s" -> 88.8239): they keep only 6 significant digits, the exact
figure was never stored. Rows whose text does not parse stay null.
"""

from django.db import migrations, models

# The kinds whose texts hold a figure (results.models.CorrectionKind), and which texts.
OLD = ("correct-value", "withdraw-result")
NEW = ("correct-value", "add-result")


def number(text):
    """The leading figure of "88.8239 samples/s, accuracy 76.1", or None."""
    try:
        value = float(text.split()[0].rstrip(","))
    except (IndexError, ValueError):
        return None
    return value if value == value and abs(value) != float("inf") else None  # no NaN/inf


def fill(apps, schema_editor):
    Correction = apps.get_model("results", "Correction")
    changed = []
    for correction in Correction.objects.filter(kind__in={*OLD, *NEW}).iterator(chunk_size=2000):
        if correction.kind in OLD:
            correction.old_number = number(correction.old_value)
        if correction.kind in NEW:
            correction.new_number = number(correction.new_value)
        changed.append(correction)
    Correction.objects.bulk_update(changed, ["old_number", "new_number"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("results", "0013_round_links")]

    operations = [
        migrations.AddField(
            model_name="correction",
            name="old_number",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name="correction",
            name="new_number",
            field=models.FloatField(blank=True, null=True),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop),
    ]
