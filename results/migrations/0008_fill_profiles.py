"""Fill the round profiles and the new columns from the rows that exist.

Each round's profile document is rebuilt from its rule rows (so that staff
edits made before this migration are kept) and upgraded to schema 2; the
figures of results are not touched, only described: their accuracy metric,
the unit and comparison key of their benchmark and scenario, and the
canonical names of processors and accelerators.
"""

from django.db import migrations

# The families of the v0.7 benchmarks (mlperf/rounds/v0.7.json says the same).
V07_FAMILIES = {
    "resnet": "resnet50",
    "ssd-small": "ssd-mobilenet",
    "ssd-large": "ssd-resnet34",
    "3d-unet-99": "3d-unet-99-brats19",
    "3d-unet-99.9": "3d-unet-99.9-brats19",
}


def _document(round_, apps) -> dict:
    Benchmark = apps.get_model("results", "Benchmark")
    Scenario = apps.get_model("results", "Scenario")
    Category = apps.get_model("results", "Category")
    settings = dict(round_.checker_settings)
    benchmarks = []
    suites = set()
    for benchmark in Benchmark.objects.filter(round=round_).order_by("order", "slug"):
        suite_rules: dict[str, dict[str, list[str]]] = {}
        for row in benchmark.suites.select_related("system_type", "scenario"):
            suites.add(row.system_type.slug)
            rules = suite_rules.setdefault(row.system_type.slug, {"required": [], "optional": []})
            rules[row.requirement].append(row.scenario.name)
        benchmarks.append(
            {
                "id": benchmark.slug,
                "folder": benchmark.folder,
                "name": benchmark.name,
                "dataset": benchmark.dataset,
                "family": V07_FAMILIES.get(benchmark.slug, benchmark.slug),
                "qsl_size": benchmark.qsl_size,
                "accuracy": {
                    "metric": benchmark.accuracy_metric,
                    "unit": benchmark.accuracy_unit,
                    "pattern": benchmark.accuracy_pattern,
                    "reference": benchmark.accuracy_reference,
                    "fraction": benchmark.accuracy_fraction,
                    "target": benchmark.accuracy_target,
                },
                "scenarios": {
                    row.scenario.name: {
                        "latency_bound_ms": row.latency_bound_ms,
                        "compliance": row.compliance_tests,
                    }
                    for row in benchmark.scenarios.select_related("scenario")
                },
                "suites": suite_rules,
            }
        )
    return {
        **settings,
        "version": round_.version,
        "title": round_.title,
        "result_id_prefix": round_.result_id_prefix,
        "code_url": round_.code_url,
        "divisions": settings.get("divisions", ["closed", "open"]),
        "suites": sorted(suites),
        "categories": [
            {"slug": c.slug, "name": c.name, "statuses": c.statuses}
            for c in Category.objects.filter(round=round_).order_by("order")
        ],
        "scenarios": [
            {
                "name": s.name,
                "label": s.label,
                "metric": s.metric,
                "unit": s.unit,
                "scale": s.scale,
                "better": s.better,
                "min_query_count": s.min_query_count,
                "runs": s.runs,
                "min_samples_per_query": s.min_samples_per_query,
            }
            for s in Scenario.objects.filter(round=round_).order_by("order")
        ],
        "benchmarks": benchmarks,
    }


def forwards(apps, schema_editor):
    from mlperf.names import canonical_part_name
    from mlperf.profiles import upgrade

    Round = apps.get_model("results", "Round")
    Benchmark = apps.get_model("results", "Benchmark")
    BenchmarkScenario = apps.get_model("results", "BenchmarkScenario")
    Result = apps.get_model("results", "Result")
    for round_ in Round.objects.all():
        if not round_.rules:
            round_.rules = upgrade(_document(round_, apps))
            round_.save(update_fields=["rules"])
    for benchmark in Benchmark.objects.filter(family=""):
        benchmark.family = V07_FAMILIES.get(benchmark.slug, benchmark.slug)
        benchmark.save(update_fields=["family"])
    for row in BenchmarkScenario.objects.select_related("benchmark", "scenario"):
        row.unit = row.unit or row.scenario.unit
        row.better = row.better or row.scenario.better
        row.comparison_key = f"{row.benchmark.family}:{row.scenario.name}:{row.unit}"
        row.save(update_fields=["unit", "better", "comparison_key"])
    batch = []
    for result in Result.objects.filter(accuracy_metrics=[]).select_related("benchmark").iterator():
        if not result.accuracy_raw:
            continue
        b = result.benchmark
        result.accuracy_metrics = [
            {
                "metric": b.accuracy_metric,
                "value": result.accuracy,
                "raw": result.accuracy_raw,
                "target": b.accuracy_target,
                "upper": None,
                "unit": b.accuracy_unit,
            }
        ]
        batch.append(result)
        if len(batch) >= 500:
            Result.objects.bulk_update(batch, ["accuracy_metrics"])
            batch = []
    if batch:
        Result.objects.bulk_update(batch, ["accuracy_metrics"])
    for name in ("Processor", "Accelerator"):
        for part in apps.get_model("results", name).objects.filter(canonical_name=""):
            part.canonical_name = canonical_part_name(part.name)
            part.save(update_fields=["canonical_name"])


class Migration(migrations.Migration):
    dependencies = [("results", "0007_profiles_and_measurements")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
