"""Create a round and its rules from the plain data the checker reads.

Used by the data migration (with historical models) and by tests; the data
for v0.7 is ``mlperf/rounds/v0.7.json``.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils.dateparse import parse_datetime

SYSTEM_TYPES = [
    ("datacenter", "Datacenter", 10),
    ("edge", "Edge", 20),
    ("mobile-phone", "Mobile phones", 30),
    ("notebook", "Notebooks", 40),
]

# Round-wide settings kept in Round.checker_settings, as named in the data.
CHECKER_SETTINGS = (
    "divisions",
    "seeds",
    "min_duration_ms",
    "accuracy_log_max_bytes",
    "detail_log_error_exceptions",
    "aliases",
    "guesses",
    "inferred",
)


def seed_system_types(get_model: Callable) -> None:
    SystemType = get_model("SystemType")
    for slug, name, order in SYSTEM_TYPES:
        SystemType.objects.get_or_create(slug=slug, defaults={"name": name, "order": order})


def seed_round(data: dict, get_model: Callable):
    """Create the round described by ``data`` with its categories, benchmarks and scenarios."""
    Round = get_model("Round")
    Category = get_model("Category")
    Benchmark = get_model("Benchmark")
    Scenario = get_model("Scenario")
    BenchmarkScenario = get_model("BenchmarkScenario")
    SuiteScenario = get_model("SuiteScenario")
    SystemType = get_model("SystemType")

    seed_system_types(get_model)
    published_at = data.get("published_at")
    round_ = Round.objects.create(
        version=data["version"],
        title=data.get("title", data["version"]),
        result_id_prefix=data["result_id_prefix"],
        code_url=data.get("code_url", ""),
        published_at=parse_datetime(published_at) if published_at else None,
        checker_settings={key: data[key] for key in CHECKER_SETTINGS if key in data},
    )
    for order, category in enumerate(data["categories"], start=1):
        Category.objects.create(
            round=round_,
            slug=category["slug"],
            name=category["name"],
            order=order * 10,
            statuses=[s.lower() for s in category["statuses"]],
        )
    scenarios = {}
    for order, s in enumerate(data["scenarios"], start=1):
        scenarios[s["name"]] = Scenario.objects.create(
            round=round_,
            name=s["name"],
            label=s["label"],
            order=order * 10,
            metric=s["metric"],
            unit=s["unit"],
            scale=s["scale"],
            better=s["better"],
            min_query_count=s["min_query_count"],
            runs=s.get("runs", 1),
            min_samples_per_query=s.get("min_samples_per_query"),
        )
    system_types = {t.slug: t for t in SystemType.objects.all()}
    for order, b in enumerate(data["benchmarks"], start=1):
        accuracy = b["accuracy"]
        benchmark = Benchmark.objects.create(
            round=round_,
            slug=b["id"],
            folder=b["folder"],
            name=b["name"],
            dataset=b.get("dataset", ""),
            order=order * 10,
            qsl_size=b["qsl_size"],
            accuracy_metric=accuracy["metric"],
            accuracy_unit=accuracy["unit"],
            accuracy_pattern=accuracy["pattern"],
            accuracy_reference=accuracy["reference"],
            accuracy_fraction=accuracy["fraction"],
            accuracy_target=accuracy["target"],
        )
        for name, rules in b["scenarios"].items():
            BenchmarkScenario.objects.create(
                benchmark=benchmark,
                scenario=scenarios[name],
                latency_bound_ms=rules.get("latency_bound_ms"),
                compliance_tests=list(rules.get("compliance", [])),
            )
        for suite, rules in b["suites"].items():
            for requirement in ("required", "optional"):
                for name in rules.get(requirement, []):
                    SuiteScenario.objects.create(
                        benchmark=benchmark,
                        system_type=system_types[suite],
                        scenario=scenarios[name],
                        requirement=requirement,
                    )
    return round_
