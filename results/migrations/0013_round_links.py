"""Where each bundled round lives (issue 10): its results repository, its reference code
and the checker whose rules the site applies, added to the rules of the rounds stored
before their profiles named them. Frozen here, as the profiles said it on 2026-12-02."""

from django.db import migrations

LINKS = {
    "v0.5": (
        "inference_results_v0.5",
        "tree/r0.5",
        "blob/675557a5ea3f2c9012d488095270034d337f4088/v0.5/tools/submission/submission-checker.py",
    ),
    "v0.7": (
        "inference_results_v0.7",
        "tree/r0.7",
        "blob/cd105ff3a5c7f918ee0a153ef325a3610f59751f/tools/submission/submission-checker.py",
    ),
    "v1.0": (
        "inference_results_v1.0",
        "tree/v1.0.1",
        "blob/8b58587c93af2a5ee67722064f2540a2db15d42f/tools/submission/submission-checker.py",
    ),
    "v2.0": (
        "inference_results_v2.0",
        "tree/v2.0",
        "blob/33894a19c4af6207f7cfdda75f84570f04836de5/tools/submission/submission-checker.py",
    ),
    "v5.1": (
        "inference_results_v5.1",
        "tree/v5.1.1",
        "blob/6776245e99dce0600cfc9a6fb61efd310f87de3d/tools/submission/submission_checker.py",
    ),
    "v6.0": (
        "inference_results_v6.0",
        "tree/6d0cf9dcb1b470e1fed4c7cd913e6a345b1b658a",
        "tree/6d0cf9dcb1b470e1fed4c7cd913e6a345b1b658a/tools/submission/submission_checker",
    ),
}
GITHUB = "https://github.com/mlcommons/"


def add_links(apps, schema_editor):
    Round = apps.get_model("results", "Round")
    for round_ in Round.objects.filter(version__in=LINKS):
        if round_.rules and "links" not in round_.rules:
            results, code, checker = LINKS[round_.version]
            round_.rules = {
                **round_.rules,
                "links": {
                    "results": GITHUB + results,
                    "code": f"{GITHUB}inference/{code}",
                    "checker": f"{GITHUB}inference/{checker}",
                },
            }
            round_.save(update_fields=["rules"])


class Migration(migrations.Migration):
    dependencies = [("results", "0012_round_pages_changed_at")]

    operations = [migrations.RunPython(add_links, migrations.RunPython.noop)]
