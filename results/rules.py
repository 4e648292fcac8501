"""The checker's view of a round: its rules as staff keep them in the database."""

from __future__ import annotations

from mlperf import RoundRules

from .models import Benchmark, Category, Round, Scenario


def round_rules_data(round_: Round) -> dict:
    """The round's rules in the shape of ``mlperf/rounds/<version>.json``."""
    settings = round_.checker_settings
    scenarios = list(Scenario.objects.filter(round=round_))
    benchmarks = Benchmark.objects.filter(round=round_).prefetch_related(
        "scenarios__scenario", "suites__scenario", "suites__system_type"
    )
    data_benchmarks = []
    suites: set[str] = set()
    for benchmark in benchmarks:
        suite_rules: dict[str, dict[str, list[str]]] = {}
        for row in benchmark.suites.all():
            suites.add(row.system_type.slug)
            rules = suite_rules.setdefault(row.system_type.slug, {"required": [], "optional": []})
            rules[row.requirement].append(row.scenario.name)
        data_benchmarks.append(
            {
                "id": benchmark.slug,
                "folder": benchmark.folder,
                "name": benchmark.name,
                "dataset": benchmark.dataset,
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
                    for row in benchmark.scenarios.all()
                },
                "suites": suite_rules,
            }
        )
    return {
        **settings,
        "version": round_.version,
        "divisions": settings.get("divisions", ["closed", "open"]),
        "suites": sorted(suites),
        "categories": [
            {"slug": c.slug, "name": c.name, "statuses": c.statuses}
            for c in Category.objects.filter(round=round_)
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
            for s in scenarios
        ],
        "benchmarks": data_benchmarks,
    }


def rules_for_round(round_: Round) -> RoundRules:
    return RoundRules.from_dict(round_rules_data(round_))
