"""A round's rules as plain data.

The v0.7 rules ship as ``rounds/v0.7.json`` (taken from the spec's tables).
The site seeds its database from that file and staff edit the rows in the
admin; ``results.rules.rules_for_round`` rebuilds a :class:`RoundRules` from
the database so the checker always applies what staff see.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path

ROUNDS_DIR = Path(__file__).with_name("rounds")


@dataclass(frozen=True)
class ScenarioRules:
    name: str
    label: str
    metric: str
    unit: str
    scale: float
    better: str  # "higher" or "lower"
    min_query_count: int
    runs: int = 1
    min_samples_per_query: int | None = None


@dataclass(frozen=True)
class BenchmarkScenarioRules:
    latency_bound_ms: float | None = None
    compliance: tuple[str, ...] = ()


@dataclass(frozen=True)
class SuiteRules:
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()

    @property
    def allowed(self) -> tuple[str, ...]:
        return self.required + self.optional


@dataclass(frozen=True)
class AccuracyRules:
    metric: str
    unit: str
    pattern: str
    reference: float
    fraction: float
    target: float

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern)


@dataclass(frozen=True)
class BenchmarkRules:
    id: str
    folder: str
    name: str
    dataset: str
    qsl_size: int
    accuracy: AccuracyRules
    scenarios: dict[str, BenchmarkScenarioRules]
    suites: dict[str, SuiteRules]


@dataclass(frozen=True)
class CategoryRules:
    slug: str
    name: str
    statuses: tuple[str, ...]


@dataclass(frozen=True)
class RoundRules:
    version: str
    divisions: tuple[str, ...]
    suites: tuple[str, ...]
    categories: tuple[CategoryRules, ...]
    scenarios: dict[str, ScenarioRules]
    benchmarks: dict[str, BenchmarkRules]
    aliases: dict[str, str] = field(default_factory=dict)
    guesses: tuple[tuple[tuple[str, ...], str], ...] = ()
    seeds: dict[str, str] = field(default_factory=dict)
    min_duration_ms: int = 60000
    accuracy_log_max_bytes: int = 10240
    detail_log_error_exceptions: tuple[str, ...] = ()
    inferred_scenario: str | None = None
    inferred_from: str | None = None
    inferred_metric: str | None = None

    @classmethod
    def from_dict(cls, data: dict) -> RoundRules:
        inferred = data.get("inferred") or {}
        return cls(
            version=data["version"],
            divisions=tuple(data["divisions"]),
            suites=tuple(data["suites"]),
            categories=tuple(
                CategoryRules(c["slug"], c["name"], tuple(s.lower() for s in c["statuses"]))
                for c in data["categories"]
            ),
            scenarios={s["name"]: ScenarioRules(**s) for s in data["scenarios"]},
            benchmarks={b["id"]: _benchmark_from_dict(b) for b in data["benchmarks"]},
            aliases=dict(data.get("aliases", {})),
            guesses=tuple((tuple(g["contains"]), g["benchmark"]) for g in data.get("guesses", [])),
            seeds=dict(data.get("seeds", {})),
            min_duration_ms=data.get("min_duration_ms", 60000),
            accuracy_log_max_bytes=data.get("accuracy_log_max_bytes", 10240),
            detail_log_error_exceptions=tuple(data.get("detail_log_error_exceptions", [])),
            inferred_scenario=inferred.get("scenario"),
            inferred_from=inferred.get("from"),
            inferred_metric=inferred.get("metric"),
        )

    def category_for_status(self, status: str) -> str | None:
        key = " ".join(status.split()).lower()
        for category in self.categories:
            if key in category.statuses:
                return category.slug
        return None

    def canonical_scenario(self, folder: str) -> str | None:
        """Exact names, or their all-lowercase spelling; nothing else (§1.1)."""
        if folder in self.scenarios:
            return folder
        for name in self.scenarios:
            if folder == name.lower():
                return name
        return None

    def map_benchmark(self, folder: str) -> tuple[str | None, str]:
        """Map a benchmark folder name to a benchmark id, as the checker does (§1.2).

        Returns the id (or None) and how it was found: "exact", "alias",
        "guess" or "none".
        """
        if folder in self.benchmarks:
            return folder, "exact"
        if folder in self.aliases:
            return self.aliases[folder], "alias"
        for needles, benchmark in self.guesses:
            if any(needle in folder for needle in needles):
                return benchmark, "guess"
        return None, "none"


def _benchmark_from_dict(data: dict) -> BenchmarkRules:
    return BenchmarkRules(
        id=data["id"],
        folder=data["folder"],
        name=data["name"],
        dataset=data["dataset"],
        qsl_size=data["qsl_size"],
        accuracy=AccuracyRules(**data["accuracy"]),
        scenarios={
            name: BenchmarkScenarioRules(
                latency_bound_ms=s.get("latency_bound_ms"),
                compliance=tuple(s.get("compliance", ())),
            )
            for name, s in data["scenarios"].items()
        },
        suites={
            name: SuiteRules(tuple(s.get("required", ())), tuple(s.get("optional", ())))
            for name, s in data["suites"].items()
        },
    )


def load_round_data(version: str) -> dict:
    path = ROUNDS_DIR / f"{version}.json"
    if not path.is_file():
        raise KeyError(f"no bundled rules for round {version!r}")
    return json.loads(path.read_text(encoding="utf-8"))


def load_round_rules(version: str) -> RoundRules:
    return RoundRules.from_dict(load_round_data(version))
