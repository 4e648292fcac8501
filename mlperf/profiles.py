"""Round profiles: a round's rules as one validated, versioned data file.

``rounds/<version>.json`` holds everything the checker needs to know about a
round (benchmarks with canonical ids and folder names, scenarios and their
metrics, suites with their required and optional scenarios, accuracy targets
as a list of metrics with lower and upper bounds, latency bounds, minimum
queries and duration, sample counts, system-description fields, compliance
tests, power rules) and names the checker class of its era (``checker``).

The site stores the document on its ``Round`` (staff edit it in the admin)
and mirrors from it only what the pages join on; the checker always reads
the document through ``RoundRules.from_dict``, which validates it and says
where it is wrong (``ProfileError``).

Schema 2 is this one. Schema 1 (the v0.7 file of the first release: one
accuracy metric per benchmark as an object, ``inferred`` as one object) is
upgraded on load by ``upgrade``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .parsers import OPTIONAL_SYSTEM_FIELDS, REQUIRED_SYSTEM_FIELDS

ROUNDS_DIR = Path(__file__).with_name("rounds")
SCHEMA = 2
SCENARIO_NAMES = ("SingleStream", "MultiStream", "Server", "Offline", "Interactive")


class ProfileError(ValueError):
    """A round profile that does not follow the schema; the message names the place."""


@dataclass(frozen=True)
class ScenarioRules:
    name: str
    label: str
    metric: str  # the log key of the figure (summary words in v0.7, detail keys later)
    unit: str
    scale: float
    better: str  # "higher" or "lower"
    min_query_count: int
    runs: int = 1
    min_samples_per_query: int | None = None
    early_stopping: bool = False
    # The scenario LoadGen logs for this folder, where it is another (v5.1 Interactive: Server).
    log_scenario: str | None = None


@dataclass(frozen=True)
class MetricRules:
    """The figure of one benchmark and scenario, where it is not the scenario's."""

    key: str
    unit: str
    scale: float = 1.0
    better: str = "higher"


@dataclass(frozen=True)
class BenchmarkScenarioRules:
    latency_bound_ms: float | None = None
    compliance: tuple[str, ...] = ()
    metric: MetricRules | None = None
    # LLMs (v4.0 on): the 99th-percentile time to first token and per output token must
    # stay strictly below these.
    ttft_ms: float | None = None
    tpot_ms: float | None = None
    # Offline from C40: the benchmark's own minimum samples per query (rounds §6.4), where
    # it is not the scenario's.
    min_samples_per_query: int | None = None


@dataclass(frozen=True)
class SuiteRules:
    required: tuple[str, ...] = ()
    optional: tuple[str, ...] = ()
    # At least one of these must be there (v5.1: Server or Interactive).
    one_of: tuple[str, ...] = ()

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
    upper: float | None = None  # a value above it fails too (a window)
    reported: bool = True  # False: a limit the checker applies but does not print

    @cached_property
    def regex(self) -> re.Pattern[str]:
        return re.compile(self.pattern)

    def describe(self) -> str:
        unit = self.unit
        window = f"{self.target:g}{unit}"
        if self.upper is not None:
            return f"{self.metric} between {window} and {self.upper:g}{unit}"
        return f"{self.metric} at least {window}"


@dataclass(frozen=True)
class BenchmarkRules:
    id: str
    folder: str
    name: str
    dataset: str
    qsl_size: int
    accuracy: tuple[AccuracyRules, ...]
    scenarios: dict[str, BenchmarkScenarioRules]
    suites: dict[str, SuiteRules]
    # Results of the same family, scenario and metric unit can be compared across rounds.
    family: str = ""
    # Files the accuracy folder must also hold (SDXL: accuracy/images/<id>.*, rounds §5.5).
    accuracy_files: tuple[str, tuple[str, ...]] | None = None

    @property
    def primary_accuracy(self) -> AccuracyRules:
        return self.accuracy[0]


@dataclass(frozen=True)
class CategoryRules:
    slug: str
    name: str
    statuses: tuple[str, ...]


@dataclass(frozen=True)
class InferredRule:
    """A result in ``scenario``'s folder computed from a run of ``source``."""

    scenario: str
    source: str
    metric: str
    factor: float = 1.0
    scale: float = 1.0


@dataclass(frozen=True)
class PowerRules:
    """How a round reports power: units per scenario, and what energy is counted per."""

    units: dict[str, str]
    energy_per: dict[str, str] = field(default_factory=dict)  # "query" or "sample"
    ptd_timezones: bool = False  # v1.0 adds client.json/server.json time zones
    positive_only: bool = False  # v3.1+ drop samples of 0 W or less
    energy_scale: float = 1.0  # 1000 from v3.0: mJ
    inferred_factor: dict[str, float] = field(default_factory=dict)

    def unit(self, scenario: str) -> str:
        return self.units.get(scenario, "")


@dataclass(frozen=True)
class SystemFieldRules:
    required: tuple[str, ...]
    optional: tuple[str, ...] = ()
    # Fields that must hold a value, not only be present (v3.1 on: "", 0, null, [] fail).
    non_empty: tuple[str, ...] = ()
    numeric: tuple[str, ...] = (
        "number_of_nodes",
        "host_processors_per_node",
        "host_processor_core_count",
        "accelerators_per_node",
    )

    @cached_property
    def known(self) -> frozenset[str]:
        return frozenset(self.required + self.optional)


# The checks whose severity is the round's to say (rounds §4.5, §2.5, §3.1): logged in
# some rounds, fatal in others. A profile's ``fatal`` lists those its checker made fatal.
SEVERABLE_RULES = {
    "P5": "the RNG seeds are the round's",
    "P6": "the 99th-percentile latency is within the bound (no early stopping)",
    "P7": "min_query_count reaches the minimum",
    "P8": "Offline samples_per_query reaches the minimum",
    "P9": "min_duration reaches the round's",
    "P12": "early stopping is met",
    "M1": "the measurement folder holds its files",
    "M2": "the implementation JSON is there, parses and has its keys",
    "C1": "the compliance tests pass",
    "S3": "the system description's non-empty fields have a value",
}


@dataclass(frozen=True)
class CheckingStatement:
    """What the round's own checker checked and did not, as the round's page says it."""

    source: str
    checked: tuple[str, ...]
    not_checked: tuple[str, ...]
    severity: str = ""


@dataclass(frozen=True)
class RoundRules:
    version: str
    divisions: tuple[str, ...]
    suites: tuple[str, ...]
    categories: tuple[CategoryRules, ...]
    scenarios: dict[str, ScenarioRules]
    benchmarks: dict[str, BenchmarkRules]
    system_fields: SystemFieldRules
    checker: str = "v0.7"
    title: str = ""
    aliases: dict[str, str] = field(default_factory=dict)
    guesses: tuple[tuple[tuple[str, ...], str], ...] = ()
    seeds: dict[str, str] = field(default_factory=dict)
    min_duration_ms: int = 60000
    accuracy_log_max_bytes: int = 10240
    detail_log_error_exceptions: tuple[str, ...] = ()
    # How accuracy.txt is read: "last-before-hash" (v0.7 to v3.0: one metric, the last
    # match before a metric and a hash were seen) or "every-line" (v3.1 on: every matching
    # line of every metric must pass).
    accuracy_reading: str = "last-before-hash"
    inferred: tuple[InferredRule, ...] = ()
    power: PowerRules | None = None
    # System-JSON spellings of a suite that mean another ("edge,datacenter").
    suite_aliases: dict[str, str] = field(default_factory=dict)
    # The site's system type of each suite, where its slug differs from the suite's name.
    system_types: dict[str, str] = field(default_factory=dict)
    # A round whose checker checks less than the site's usual rules says so (v0.5).
    checking: CheckingStatement | None = None
    # Where the round lives: "results" (the published tree), "code" (the round's tag or
    # branch of mlcommons/inference), "checker" (the checker source the profile follows).
    links: dict[str, str] = field(default_factory=dict)
    # How the round differs from its neighbours, and what the profile cannot say.
    notes: tuple[str, ...] = ()
    # Which of SEVERABLE_RULES the round's checker made fatal; the others are warnings.
    # A profile without the key has none, as every round had before it existed.
    fatal: frozenset[str] = frozenset()

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> RoundRules:
        """Validate a profile document (schema 1 or 2) and build the rules."""
        return _build(upgrade(data))

    def is_fatal(self, rule: str) -> bool:
        """Whether the round's checker rejects the item for ``rule`` (else it logs it)."""
        return rule in self.fatal

    def inferred_rule(self, folder_scenario: str, logged: str) -> InferredRule | None:
        for rule in self.inferred:
            if rule.scenario == folder_scenario and rule.source == logged:
                return rule
        return None

    def category_for_status(self, status: str) -> str | None:
        key = " ".join(status.split()).lower()
        for category in self.categories:
            if key in category.statuses:
                return category.slug
        return None

    def suite_of(self, system_type: str) -> str | None:
        """The suite a system JSON's ``system_type`` names, or None."""
        name = self.suite_aliases.get(system_type, system_type)
        return name if name in self.suites else None

    def system_type_slug(self, suite: str) -> str:
        return self.system_types.get(suite, suite)

    def canonical_scenario(self, folder: str) -> str | None:
        """Exact names, or their all-lowercase spelling; nothing else (§1.1)."""
        if folder in self.scenarios:
            return folder
        for name in self.scenarios:
            if folder == name.lower():
                return name
        return None

    def map_benchmark(
        self, folder: str, submitter_map: dict[str, str] | None = None
    ) -> tuple[str | None, str]:
        """Map a benchmark folder name to a benchmark id, as the checker does (§1.2).

        ``submitter_map`` is an open submitter's own ``model_mapping.json``
        (v3.0 on). Returns the id (or None) and how it was found: "exact",
        "alias", "submitter", "guess" or "none".
        """
        if folder in self.benchmarks:
            return folder, "exact"
        if folder in self.aliases:
            return self.aliases[folder], "alias"
        if submitter_map and submitter_map.get(folder) in self.benchmarks:
            return submitter_map[folder], "submitter"
        for needles, benchmark in self.guesses:
            if any(needle in folder for needle in needles):
                return benchmark, "guess"
        return None, "none"

    def metric(self, benchmark: BenchmarkRules, scenario: str) -> MetricRules:
        """The figure a result of ``benchmark`` in ``scenario`` reports."""
        override = benchmark.scenarios.get(scenario)
        if override is not None and override.metric is not None:
            return override.metric
        rules = self.scenarios[scenario]
        return MetricRules(rules.metric, rules.unit, rules.scale, rules.better)

    def comparison_key(self, benchmark: BenchmarkRules, scenario: str) -> str:
        """Results with the same key measure the same thing, whatever the round."""
        metric = self.metric(benchmark, scenario)
        return f"{benchmark.family or benchmark.id}:{scenario}:{metric.unit}"


# Schema 1: the system-description fields every early round knew (v0.7 §3.2).
V07_REQUIRED_FIELDS = REQUIRED_SYSTEM_FIELDS
V07_OPTIONAL_FIELDS = OPTIONAL_SYSTEM_FIELDS


def upgrade(data: dict[str, Any]) -> dict[str, Any]:
    """A schema 1 document in schema 2 (a copy); schema 2 documents are returned as they are."""
    if not isinstance(data, dict):
        raise ProfileError("a round profile is a JSON object")
    schema = data.get("schema", 1)
    if schema == SCHEMA:
        return data
    if schema != 1:
        raise ProfileError(f"schema: {schema!r} is not a known version (1 or {SCHEMA})")
    data = json.loads(json.dumps(data))
    data["schema"] = SCHEMA
    data.setdefault("checker", "v0.7")
    inferred = data.get("inferred")
    if isinstance(inferred, dict):
        data["inferred"] = [inferred] if inferred else []
    data.setdefault(
        "system_fields",
        {"required": list(V07_REQUIRED_FIELDS), "optional": list(V07_OPTIONAL_FIELDS)},
    )
    for benchmark in data.get("benchmarks", []):
        if isinstance(benchmark, dict) and isinstance(benchmark.get("accuracy"), dict):
            benchmark["accuracy"] = [benchmark["accuracy"]]
    return data


def _need(data: dict[str, Any], key: str, kind: Any, where: str) -> Any:
    if key not in data:
        raise ProfileError(f"{where}: '{key}' is missing")
    value = data[key]
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        raise ProfileError(f"{where}.{key}: expected {_kind_name(kind)}, found {value!r}")
    return value


def _kind_name(kind: Any) -> str:
    names = {str: "text", int: "an integer", float: "a number", list: "a list", dict: "an object"}
    if isinstance(kind, tuple):
        return " or ".join(names.get(k, k.__name__) for k in kind)
    return str(names.get(kind, kind.__name__))


NUMBER = (int, float)


def _number(data: dict[str, Any], key: str, where: str, *, positive: bool = True) -> float:
    value = float(_need(data, key, NUMBER, where))
    if positive and value <= 0:
        raise ProfileError(f"{where}.{key}: must be positive, found {value:g}")
    return value


def _choice(data: dict[str, Any], key: str, choices: tuple[str, ...], where: str) -> str:
    value = data.get(key, choices[0])
    if value not in choices:
        raise ProfileError(f"{where}.{key}: one of {', '.join(choices)}, found {value!r}")
    return str(value)


def _build(data: dict[str, Any]) -> RoundRules:
    where = "profile"
    version = _need(data, "version", str, where)
    where = version
    divisions = tuple(_need(data, "divisions", list, where))
    suites = tuple(_need(data, "suites", list, where))
    if not divisions or not all(isinstance(d, str) and d for d in divisions):
        raise ProfileError(f"{where}.divisions: a list of names, e.g. ['closed', 'open']")
    scenarios: dict[str, ScenarioRules] = {}
    for i, s in enumerate(_need(data, "scenarios", list, where)):
        at = f"{where}.scenarios[{i}]"
        if not isinstance(s, dict):
            raise ProfileError(f"{at}: expected an object")
        name = _need(s, "name", str, at)
        if name not in SCENARIO_NAMES:
            raise ProfileError(f"{at}.name: {name!r} is not one of {', '.join(SCENARIO_NAMES)}")
        better = _need(s, "better", str, at)
        if better not in ("higher", "lower"):
            raise ProfileError(f"{at}.better: 'higher' or 'lower', found {better!r}")
        scenarios[name] = ScenarioRules(
            name=name,
            label=_need(s, "label", str, at),
            metric=_need(s, "metric", str, at),
            unit=_need(s, "unit", str, at),
            scale=_number(s, "scale", at),
            better=better,
            min_query_count=int(_need(s, "min_query_count", int, at)),
            runs=int(s.get("runs", 1)),
            min_samples_per_query=s.get("min_samples_per_query"),
            early_stopping=bool(s.get("early_stopping", False)),
            log_scenario=s.get("log_scenario"),
        )
    suite_aliases = dict(data.get("suite_aliases", {}))
    for alias, target in suite_aliases.items():
        if target not in suites:
            raise ProfileError(f"{where}.suite_aliases.{alias}: {target!r} is not a suite")
    benchmarks: dict[str, BenchmarkRules] = {}
    for i, b in enumerate(_need(data, "benchmarks", list, where)):
        at = f"{where}.benchmarks[{i}]"
        if not isinstance(b, dict):
            raise ProfileError(f"{at}: expected an object")
        bench = _benchmark(b, at, scenarios, suites)
        if bench.id in benchmarks:
            raise ProfileError(f"{at}.id: {bench.id!r} twice")
        benchmarks[bench.id] = bench
    inferred = []
    for i, rule in enumerate(data.get("inferred", [])):
        at = f"{where}.inferred[{i}]"
        for key in ("scenario", "from"):
            if _need(rule, key, str, at) not in scenarios:
                raise ProfileError(f"{at}.{key}: {rule[key]!r} is not a scenario of the round")
        inferred.append(
            InferredRule(
                rule["scenario"],
                rule["from"],
                _need(rule, "metric", str, at),
                float(rule.get("factor", 1.0)),
                float(rule.get("scale", 1.0)),
            )
        )
    aliases = dict(data.get("aliases", {}))
    for alias, target in aliases.items():
        if target not in benchmarks:
            raise ProfileError(f"{where}.aliases.{alias}: {target!r} is not a benchmark")
    power = None
    if data.get("power"):
        p = data["power"]
        at = f"{where}.power"
        units = dict(_need(p, "units", dict, at))
        for name in units:
            if name not in scenarios:
                raise ProfileError(f"{at}.units.{name}: not a scenario of the round")
        power = PowerRules(
            units=units,
            energy_per=dict(p.get("energy_per", {})),
            ptd_timezones=bool(p.get("ptd_timezones", False)),
            positive_only=bool(p.get("positive_only", False)),
            energy_scale=float(p.get("energy_scale", 1.0)),
            inferred_factor={k: float(v) for k, v in p.get("inferred_factor", {}).items()},
        )
    fields = _need(data, "system_fields", dict, where)
    checking = _checking(data, where) if "checking" in data else None
    categories = []
    for i, c in enumerate(_need(data, "categories", list, where)):
        at = f"{where}.categories[{i}]"
        categories.append(
            CategoryRules(
                _need(c, "slug", str, at),
                _need(c, "name", str, at),
                tuple(s.lower() for s in _need(c, "statuses", list, at)),
            )
        )
    links = data.get("links", {})
    if not isinstance(links, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in links.items()
    ):
        raise ProfileError(f"{where}.links: an object of names and addresses")
    notes = data.get("notes", [])
    if not isinstance(notes, list) or not all(isinstance(n, str) for n in notes):
        raise ProfileError(f"{where}.notes: a list of texts")
    fatal = _fatal(data, where)
    non_empty = tuple(fields.get("non_empty", []))
    if not all(isinstance(name, str) and name for name in non_empty):
        raise ProfileError(f"{where}.system_fields.non_empty: a list of field names")
    return RoundRules(
        version=version,
        title=data.get("title", version),
        checker=data.get("checker", "v0.7"),
        divisions=divisions,
        suites=suites,
        categories=tuple(categories),
        scenarios=scenarios,
        benchmarks=benchmarks,
        system_fields=SystemFieldRules(
            tuple(_need(fields, "required", list, f"{where}.system_fields")),
            tuple(fields.get("optional", [])),
            non_empty,
        ),
        aliases=aliases,
        guesses=tuple((tuple(g["contains"]), g["benchmark"]) for g in data.get("guesses", [])),
        seeds=dict(data.get("seeds", {})),
        min_duration_ms=int(data.get("min_duration_ms", 60000)),
        accuracy_log_max_bytes=int(data.get("accuracy_log_max_bytes", 10240)),
        detail_log_error_exceptions=tuple(data.get("detail_log_error_exceptions", [])),
        accuracy_reading=_choice(
            data, "accuracy_reading", ("last-before-hash", "every-line"), where
        ),
        inferred=tuple(inferred),
        power=power,
        suite_aliases=suite_aliases,
        system_types=dict(data.get("system_types", {})),
        checking=checking,
        links=dict(links),
        notes=tuple(notes),
        fatal=fatal,
    )


def _fatal(data: dict[str, Any], where: str) -> frozenset[str]:
    """``fatal``: e.g. ["P5", "C1"], each a rule of SEVERABLE_RULES."""
    items = data.get("fatal", [])
    if not isinstance(items, list):
        raise ProfileError(f"{where}.fatal: a list of rule codes, e.g. ['P5', 'C1']")
    for i, item in enumerate(items):
        if item not in SEVERABLE_RULES:
            raise ProfileError(
                f"{where}.fatal[{i}]: {item!r} is not one of " + ", ".join(SEVERABLE_RULES)
            )
        if item in items[:i]:
            raise ProfileError(f"{where}.fatal[{i}]: {item} twice")
    return frozenset(items)


def _checking(data: dict[str, Any], where: str) -> CheckingStatement:
    at = f"{where}.checking"
    c = _need(data, "checking", dict, where)
    lists = {}
    for key in ("checked", "not_checked"):
        items = _need(c, key, list, at)
        if not all(isinstance(item, str) and item for item in items):
            raise ProfileError(f"{at}.{key}: a list of sentences")
        lists[key] = tuple(items)
    return CheckingStatement(
        source=_need(c, "source", str, at),
        checked=lists["checked"],
        not_checked=lists["not_checked"],
        severity=str(c.get("severity", "")),
    )


def _benchmark(
    b: dict[str, Any], at: str, scenarios: dict[str, ScenarioRules], suites: tuple[str, ...]
) -> BenchmarkRules:
    accuracy = []
    for j, a in enumerate(_need(b, "accuracy", list, at)):
        where = f"{at}.accuracy[{j}]"
        pattern = _need(a, "pattern", str, where)
        try:
            compiled = re.compile(pattern)
        except re.error as exc:
            raise ProfileError(f"{where}.pattern: not a regular expression ({exc})") from None
        if compiled.groups < 1:
            raise ProfileError(f"{where}.pattern: needs a group that captures the figure")
        upper = a.get("upper")
        target = float(_need(a, "target", NUMBER, where))
        if upper is not None and float(upper) < target:
            raise ProfileError(f"{where}.upper: {upper} is below the target {target}")
        accuracy.append(
            AccuracyRules(
                metric=_need(a, "metric", str, where),
                unit=a.get("unit", ""),
                pattern=pattern,
                reference=float(a.get("reference", target)),
                fraction=float(a.get("fraction", 1.0)),
                target=target,
                upper=float(upper) if upper is not None else None,
                reported=bool(a.get("reported", True)),
            )
        )
    if not accuracy:
        raise ProfileError(f"{at}.accuracy: at least one metric")
    bench_scenarios = {}
    for name, s in _need(b, "scenarios", dict, at).items():
        where = f"{at}.scenarios.{name}"
        if name not in scenarios:
            raise ProfileError(f"{where}: not a scenario of the round")
        metric = None
        if s.get("metric"):
            m = s["metric"]
            metric = MetricRules(
                _need(m, "key", str, f"{where}.metric"),
                _need(m, "unit", str, f"{where}.metric"),
                float(m.get("scale", 1.0)),
                m.get("better", scenarios[name].better),
            )
        bench_scenarios[name] = BenchmarkScenarioRules(
            latency_bound_ms=s.get("latency_bound_ms"),
            compliance=tuple(s.get("compliance", ())),
            metric=metric,
            ttft_ms=s.get("ttft_ms"),
            tpot_ms=s.get("tpot_ms"),
            min_samples_per_query=s.get("min_samples_per_query"),
        )
    bench_suites = {}
    for name, s in _need(b, "suites", dict, at).items():
        where = f"{at}.suites.{name}"
        if name not in suites:
            raise ProfileError(f"{where}: not a suite of the round ({', '.join(suites)})")
        rules = SuiteRules(
            tuple(s.get("required", ())), tuple(s.get("optional", ())), tuple(s.get("one_of", ()))
        )
        for scenario in rules.allowed:
            if scenario not in bench_scenarios:
                raise ProfileError(f"{where}: {scenario} has no entry in the benchmark's scenarios")
        bench_suites[name] = rules
    return BenchmarkRules(
        id=_need(b, "id", str, at),
        folder=_need(b, "folder", str, at),
        name=_need(b, "name", str, at),
        dataset=b.get("dataset", ""),
        qsl_size=int(_need(b, "qsl_size", int, at)),
        accuracy=tuple(accuracy),
        scenarios=bench_scenarios,
        suites=bench_suites,
        family=b.get("family", b["id"]),
        accuracy_files=(
            (b["accuracy_files"]["folder"], tuple(str(i) for i in b["accuracy_files"]["ids"]))
            if b.get("accuracy_files")
            else None
        ),
    )


# "v2.1", and the mobile suite's rounds, published apart in the app's layout: "mobile-v2.1".
VERSION = re.compile(r"(?:mobile-)?v\d+\.\d+[\w.-]*")


def bundled_versions() -> list[str]:
    """The rounds that have a profile file in ``rounds/``, oldest first (mobile after)."""
    return sorted(
        (p.stem for p in ROUNDS_DIR.glob("*.json") if VERSION.fullmatch(p.stem)),
        key=lambda v: (tuple(int(x) for x in re.findall(r"\d+", v)), v.startswith("mobile-")),
    )


def load_round_data(version: str) -> dict[str, Any]:
    path = ROUNDS_DIR / f"{version}.json"
    if not VERSION.fullmatch(version) or not path.is_file():
        raise KeyError(f"no bundled rules for round {version!r}")
    data: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return data


def load_round_rules(version: str) -> RoundRules:
    return RoundRules.from_dict(load_round_data(version))
