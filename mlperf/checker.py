"""The submission checker: a pure function of (files, round rules).

It walks ``<division>/<submitter>/results/<sys>/<bm>/<sc>`` as the v0.7
``submission-checker.py`` does (spec §10) and returns the systems and results
it accepts with every finding it made. Two modes:

- ``strict=True`` for uploads: every mandatory file must be there, as the
  official checker demands;
- ``strict=False`` for rounds that are already published: the public tree
  leaves out the multi-gigabyte logs, the measurement configs and the code,
  so a check whose files are absent is listed as not run (rule N1) instead of
  failing.
"""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any, Protocol

from .findings import Finding, Level
from .loadgen import DetailLogConsumer, RunLog
from .parsers import (
    IMPLEMENTATION_KEYS,
    JSONProblem,
    LogSummary,
    SystemSummary,
    load_json_object,
    parse_accuracy,
    parse_accuracy_lines,
    parse_summary,
    summarise_system,
    system_type_problems,
    verdict,
)
from .power import PowerSamplesConsumer
from .profiles import BenchmarkRules, RoundRules
from .tree import Handling, SubmissionTree

# The callbacks a result's checks report through: add(path, rule, level, message), and
# a run's fail(rule, message, where) and warn(rule, message, where), which is an error where
# the round's profile lists the rule as fatal.
Add = Callable[[str, str, Level, str], None]
Fail = Callable[..., Any]


class Warn(Protocol):
    """A run's check that the round logs or makes fatal (``Checker.run_warner``)."""

    def __call__(self, rule: str, message: str, where: str = ...) -> None: ...


SUMMARY = "mlperf_log_summary.txt"
DETAIL = "mlperf_log_detail.txt"
ACCURACY_JSON = "mlperf_log_accuracy.json"
ACCURACY_TXT = "accuracy.txt"
# The checker ignores these two names in results folders (§2.2).
IGNORED_RESULT_FILES = frozenset({"mlperf_log_trace.json", "results.json"})
MEASUREMENT_FILES = ("mlperf.conf", "user.conf", "README.md")
SEED_KEYS = ("qsl_rng_seed", "sample_index_rng_seed", "schedule_rng_seed")


@dataclass
class SystemRecord:
    division: str
    submitter: str  # the folder name, which keys the organisation (Q7)
    system_id: str
    path: str
    description: dict[str, Any]
    summary: SystemSummary
    category: str
    findings: list[Finding] = field(default_factory=list)


@dataclass
class ResultRecord:
    division: str
    submitter: str
    system_id: str
    model_folder: str
    scenario_folder: str
    benchmark: str
    scenario: str
    value: float
    unit: str
    accuracy: float | None
    accuracy_raw: str
    inferred: bool
    compliant: bool | None  # None where compliance does not apply (open)
    performance: dict[str, str] = field(default_factory=dict)
    run_values: list[float] = field(default_factory=list)
    implementation: dict[str, Any] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    # Every accuracy metric of the benchmark: metric, value, raw, target, upper, unit.
    accuracy_metrics: list[dict[str, Any]] = field(default_factory=list)
    # Typed figures beside the primary one: kind -> (value, unit), e.g. "power": (412.3, "W").
    measurements: dict[str, tuple[float, str]] = field(default_factory=dict)
    # False where the figure has fewer digits than the official checker's (summary log only).
    exact: bool = True
    # Files of this result that the published snapshot lacks (its MANIFEST.txt says so).
    absent: list[str] = field(default_factory=list)

    @property
    def power(self) -> tuple[float, str] | None:
        return self.measurements.get("power") or self.measurements.get("energy")

    @property
    def location(self) -> str:
        return (
            f"{self.division}/{self.submitter}/results/{self.system_id}/"
            f"{self.model_folder}/{self.scenario_folder}"
        )

    @property
    def system_key(self) -> tuple[str, str, str]:
        return (self.division, self.submitter, self.system_id)


@dataclass
class Rejection:
    path: str
    rule: str


@dataclass
class CheckReport:
    label: str
    version: str
    strict: bool
    systems: list[SystemRecord] = field(default_factory=list)
    results: list[ResultRecord] = field(default_factory=list)
    findings: list[Finding] = field(default_factory=list)
    rejected: list[Rejection] = field(default_factory=list)

    @property
    def errors(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.ERROR]

    @property
    def warnings(self) -> list[Finding]:
        return [f for f in self.findings if f.level is Level.WARNING]

    @property
    def acceptable(self) -> bool:
        return not self.errors and bool(self.results)

    def counts(self) -> dict[str, int]:
        return {
            "systems": len(self.systems),
            "results": len(self.results),
            "closed": sum(r.division == "closed" for r in self.results),
            "open": sum(r.division == "open" for r in self.results),
            "inferred": sum(r.inferred for r in self.results),
            "rejected": len(self.rejected),
            "errors": len(self.errors),
            "warnings": len(self.warnings),
        }

    def as_dict(self) -> dict[str, Any]:
        """The report as JSON-ready data: findings, rejections, systems and results."""
        warnings_by_location: dict[str, int] = {}
        for result in self.results:
            warnings_by_location[result.location] = sum(
                f.level is Level.WARNING for f in result.findings
            )
        return {
            "input": self.label,
            "round": self.version,
            "strict": self.strict,
            "acceptable": self.acceptable,
            "counts": self.counts(),
            "findings": [f.as_dict() for f in self.findings],
            "rejected": [{"path": r.path, "rule": r.rule} for r in self.rejected],
            "systems": [
                {
                    "division": s.division,
                    "submitter": s.submitter,
                    "system_id": s.system_id,
                    "name": s.summary.name,
                    "system_type": s.summary.system_type,
                    "category": s.category,
                    "status": s.summary.status,
                    "processor": s.summary.processor,
                    "processor_count": s.summary.processor_count,
                    "processor_cores": s.summary.processor_cores,
                    "accelerator": s.summary.accelerator,
                    "accelerator_count": s.summary.accelerator_count,
                    "nodes": s.summary.nodes,
                    "software": s.summary.software,
                    "operating_system": s.summary.operating_system,
                    "notes": s.summary.notes,
                }
                for s in self.systems
            ],
            "results": [
                {
                    "location": r.location,
                    "division": r.division,
                    "submitter": r.submitter,
                    "system_id": r.system_id,
                    "model_folder": r.model_folder,
                    "scenario_folder": r.scenario_folder,
                    "benchmark": r.benchmark,
                    "scenario": r.scenario,
                    "value": r.value,
                    "unit": r.unit,
                    "accuracy": r.accuracy,
                    "accuracy_raw": r.accuracy_raw,
                    "inferred": r.inferred,
                    "compliant": r.compliant,
                    "exact": r.exact,
                    "accuracy_metrics": r.accuracy_metrics,
                    "measurements": {
                        k: {"value": v, "unit": u} for k, (v, u) in r.measurements.items()
                    },
                    "absent_from_snapshot": r.absent,
                    "warnings": warnings_by_location[r.location],
                }
                for r in self.results
            ],
        }


@dataclass
class _Run:
    path: str
    summary: LogSummary | None = None
    value: float | None = None
    inferred: bool = False
    fatal: list[Finding] = field(default_factory=list)
    other: list[Finding] = field(default_factory=list)
    exact: bool = True
    logged: str = ""  # the scenario of the log
    measurements: dict[str, tuple[float, str]] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)  # what the result keeps of the log


# Compliance tests judged by one verdict file (v6.0 on; rounds §2.5).
VERDICT_ONLY_TESTS = {
    "TEST07": "verify_accuracy.txt",
    "TEST08": "verify_accuracy.txt",
    "TEST09": "verify_output_len.txt",
}
# Names of the files some era parses, wherever they are.
PARSED_NAMES = frozenset(
    {
        SUMMARY,
        ACCURACY_TXT,
        "verify_accuracy.txt",
        "verify_performance.txt",
        "verify_output_len.txt",
        "measurements.json",
        "baseline_accuracy.txt",
        "compliance_accuracy.txt",
    }
)
DIVISION_NAMES = ("closed", "open", "network")
# The system-description fields the tables and pages read (parsers.summarise_system).
SHOWN_SYSTEM_FIELDS = frozenset(
    {
        "division",
        "submitter",
        "status",
        "system_name",
        "system_type",
        "number_of_nodes",
        "host_processor_model_name",
        "host_processors_per_node",
        "host_processor_core_count",
        "accelerator_model_name",
        "accelerators_per_node",
        "framework",
        "operating_system",
        "hw_notes",
        "sw_notes",
    }
)


class Checker:
    """The checker of the v0.7 era (the summary log is the source).

    Other eras subclass it and override the hooks: ``file_policy`` (which
    files to keep while reading), ``check_run`` (one performance run),
    ``run_folders`` and ``reported_run``, ``check_accuracy``,
    ``check_compliance`` and ``check_power``.
    """

    # What a result lacking files of the published snapshot says after naming them (N4).
    absent_note = "the official checker could not check this result, and neither can we"

    @classmethod
    def check(
        cls,
        tree: SubmissionTree,
        rules: RoundRules,
        *,
        strict: bool = False,
        submitters: set[str] | None = None,
    ) -> CheckReport:
        return cls(tree, rules, strict, submitters).run()

    @classmethod
    def file_policy(cls, path: str) -> Handling:
        """What to keep of a file while reading: 'keep', 'size' or a consumer factory."""
        parts = path.split("/")
        name = parts[-1]
        if name == DETAIL:
            return DetailLogConsumer
        if name == "spl.txt":
            return PowerSamplesConsumer
        if name in PARSED_NAMES:
            return "keep"
        if name == "MANIFEST.txt" and len(parts) <= 3:
            return "keep"  # a published bundle's list of files absent from the snapshot
        if name == "model_mapping.json":
            return "keep"  # an open submitter's own names for its models (v3.0 on)
        # The root may sit below wrapper folders, so find the division first.
        for i, part in enumerate(parts[:4]):
            if part in DIVISION_NAMES:
                rel = parts[i + 1 :]  # <org>/<area>/...
                break
        else:
            return "size"
        if len(rel) >= 3 and rel[1] in ("systems", "measurements") and name.endswith(".json"):
            return "keep"
        if len(rel) == 3 and rel[1] == "code":
            return "keep"  # code/<bm> as a one-line pointer file (§4.1)
        if len(rel) >= 4 and rel[-2] == "power" and name.endswith(".json"):
            return "keep"  # the PTD client's and server's reports
        return "size"

    def __init__(
        self,
        tree: SubmissionTree,
        rules: RoundRules,
        strict: bool,
        submitters: set[str] | None,
    ) -> None:
        self.tree: SubmissionTree = tree
        self.rules: RoundRules = rules
        self.strict: bool = strict
        self.only = {s.lower() for s in submitters} if submitters else None
        self.report = CheckReport(tree.label, rules.version, strict)
        self.report.findings.extend(tree.findings)
        self.absent = _absent_from_snapshot(tree)

    # -- helpers -----------------------------------------------------------

    def note(self, path: str, rule: str, level: Level, message: str) -> Finding:
        finding = Finding(path, rule, level, message)
        self.report.findings.append(finding)
        return finding

    def severity(self, rule: str) -> Level:
        """ERROR where the round's checker made ``rule`` fatal (its profile's ``fatal``)."""
        return Level.ERROR if self.rules.is_fatal(rule) else Level.WARNING

    def run_warner(self, run: _Run, default: str) -> Warn:
        """What a run's checks call for a condition the round may log or make fatal."""

        def warn(rule: str, message: str, where: str = default) -> None:
            level = self.severity(rule)
            (run.fatal if level is Level.ERROR else run.other).append(
                Finding(where, rule, level, message)
            )

        return warn

    def reject(self, path: str, rule: str, message: str) -> Finding:
        self.report.rejected.append(Rejection(path, rule))
        return self.note(path, rule, Level.ERROR, message)

    def reject_results_of(self, results_dir: str, description: str, rule: str) -> None:
        """Name every result a rejected system description takes with it."""
        for model in self.tree.subdirs(results_dir):
            for scenario in self.tree.subdirs(f"{results_dir}/{model}"):
                self.reject(
                    f"{results_dir}/{model}/{scenario}",
                    rule,
                    f"not checked: its system description {description} breaks rule {rule}",
                )

    def text(self, path: str) -> str | None:
        entry = self.tree.get(path)
        return entry.text() if entry is not None else None

    # -- walk --------------------------------------------------------------

    # Where a tree's results live, for the "nothing found" finding (T1).
    RESULTS_WHERE = "<division>/<submitter>/results/"

    def run(self) -> CheckReport:
        tree = self.tree
        if not tree.subdirs(""):
            folders = " or ".join(f"{d}/" for d in self.rules.divisions)
            self.note("", "IN1", Level.ERROR, f"the input is empty: no {folders} folder")
        for name in tree.subdirs(""):
            if name not in self.rules.divisions:
                if name != ".git":
                    self.note(
                        name,
                        "IN6",
                        Level.WARNING,
                        f"'{name}' is not a division of {self.rules.version} "
                        f"({', '.join(self.rules.divisions)}); skipped",
                    )
                continue
            for org in tree.subdirs(name):
                if self.only is not None and org.lower() not in self.only:
                    self.note(
                        f"{name}/{org}",
                        "IN6",
                        Level.ERROR,
                        f"folder of another submitter ({org}); not checked",
                    )
                    continue
                self.check_submitter(name, org)
        if tree.subdirs("") and not self.report.results and not self.report.errors:
            self.note("", "T1", Level.ERROR, f"no results were found under {self.RESULTS_WHERE}")
        return self.report

    def check_submitter(self, division: str, org: str) -> None:
        base = f"{division}/{org}"
        results = f"{base}/results"
        if not self.tree.is_dir(results):
            self.note(
                base,
                "T1",
                Level.ERROR if self.strict else Level.WARNING,
                "no results/ folder in this submitter folder",
            )
            return
        systems_with_results = set(self.tree.subdirs(results))
        for name in self.tree.subfiles(results):
            self.note(f"{results}/{name}", "T2", Level.INFO, "file in results/ ignored")
        for system_id in sorted(systems_with_results):
            self.check_system(division, org, system_id)
        for name in self.tree.subfiles(f"{base}/systems"):
            stem, ext = posixpath.splitext(name)
            if ext != ".json":
                self.note(f"{base}/systems/{name}", "T2", Level.INFO, "not a system JSON; ignored")
            elif stem not in systems_with_results:
                self.note(
                    f"{base}/systems/{name}",
                    "T2",
                    Level.INFO,
                    "system description without results; ignored",
                )
        self.report_orphans(base, "measurements")
        if division == "closed":
            self.report_orphans(base, "compliance")

    def report_orphans(self, base: str, area: str) -> None:
        """Folders under measurements/ or compliance/ that match nothing in results/ (Q26)."""
        root = f"{base}/{area}"

        def walk(rel: str, depth: int) -> None:
            for name in self.tree.subdirs(posixpath.join(root, rel) if rel else root):
                sub = posixpath.join(rel, name) if rel else name
                if not self.tree.is_dir(f"{base}/results/{sub}"):
                    self.note(
                        f"{root}/{sub}",
                        "T2",
                        Level.INFO,
                        f"no matching folder results/{sub}; ignored",
                    )
                elif depth < 3:
                    walk(sub, depth + 1)

        walk("", 1)

    # -- systems -----------------------------------------------------------

    def check_system(self, division: str, org: str, system_id: str) -> None:
        base = f"{division}/{org}"
        path = f"{base}/systems/{system_id}.json"
        results_dir = f"{base}/results/{system_id}"
        entry = self.tree.get(path)
        if entry is None:
            self.reject(results_dir, "F1", f"no systems/{system_id}.json for these results")
            return
        try:
            text = (entry.data or b"").decode("utf-8")
        except UnicodeDecodeError:
            self.reject(path, "S1", "not UTF-8 text")
            return
        try:
            data = load_json_object(text)
        except JSONProblem as exc:
            self.reject(path, "S1", str(exc))
            return
        errors: list[tuple[str, str]] = []
        fields = self.rules.system_fields
        # A field the tables read must be text (or a number where one is expected); any
        # other field of an odd type is only noted, as the official checkers do not type it.
        for problem in system_type_problems(data, SHOWN_SYSTEM_FIELDS, fields.numeric):
            errors.append(("S1", problem))
        odd = system_type_problems(data, fields.known - SHOWN_SYSTEM_FIELDS, fields.numeric)
        missing = [key for key in fields.required if key not in data]
        if missing:
            errors.append(("F4", "missing required field(s): " + ", ".join(missing)))
        # Present but falsy, as the checker tests it: the string "0" has a value, 0 has none.
        empty = [key for key in fields.non_empty if key in data and not data[key]]
        empty_message = "empty field(s) that need a value: " + ", ".join(empty)
        if not errors:
            status = data["status"]
            if self.rules.category_for_status(status) is None:
                known = sorted({s for c in self.rules.categories for s in c.statuses})
                errors.append(("F2", f"status {status!r} is not one of: " + ", ".join(known)))
            system_type = data.get("system_type")
            if not isinstance(system_type, str) or self.rules.suite_of(system_type) is None:
                shown = "missing" if system_type is None else repr(system_type)
                errors.append(
                    (
                        "F3",
                        f"system_type is {shown}; expected one of " + ", ".join(self.rules.suites),
                    )
                )
            if str(data["submitter"]).strip().lower() != org.lower():
                errors.append(
                    ("F4", f"submitter {data['submitter']!r} does not match the folder {org!r}")
                )
            if data["division"] != division:
                errors.append(
                    ("F4", f"division {data['division']!r} does not match the folder {division!r}")
                )
        if empty and self.severity("S3") is Level.ERROR:
            errors.append(("S3", empty_message))
        if errors:
            for rule, message in errors:
                self.reject(path, rule, message)
            self.reject_results_of(results_dir, path, errors[0][0])
            return
        findings = [self.note(path, "S1", Level.WARNING, problem) for problem in odd]
        if empty:
            findings.append(self.note(path, "S3", Level.WARNING, empty_message))
        unknown = sorted(set(data) - fields.known)
        if unknown:
            findings.append(
                self.note(path, "S2", Level.WARNING, "unknown field(s): " + ", ".join(unknown))
            )
        summary = summarise_system(data, system_id)
        system = SystemRecord(
            division=division,
            submitter=org,
            system_id=system_id,
            path=path,
            description=data,
            summary=summary,
            category=self.rules.category_for_status(data["status"]) or "",
            findings=findings,
        )
        before = len(self.report.results)
        closed_benchmarks: dict[str, str] = {}
        for model_folder in self.tree.subdirs(results_dir):
            self.check_benchmark(system, model_folder, closed_benchmarks)
        for name in self.tree.subfiles(results_dir):
            self.note(f"{results_dir}/{name}", "T2", Level.INFO, "file ignored")
        if len(self.report.results) > before:
            self.report.systems.append(system)

    # -- benchmarks --------------------------------------------------------

    def check_benchmark(
        self, system: SystemRecord, model_folder: str, closed_benchmarks: dict[str, str]
    ) -> None:
        rules = self.rules
        closed = system.division != "open"  # network is held to the closed rules
        path = f"{system.division}/{system.submitter}/results/{system.system_id}/{model_folder}"
        benchmark_id, how = rules.map_benchmark(
            model_folder, self.submitter_map(system) if not closed else None
        )
        if benchmark_id is None or benchmark_id not in rules.benchmarks:
            if closed:
                self.reject(
                    path,
                    "F5",
                    f"'{model_folder}' is not a {rules.version} benchmark "
                    "(expected one of " + ", ".join(rules.benchmarks) + " or an alias)",
                )
            else:
                where = f"{system.division}/{system.submitter}/model_mapping.json"
                self.reject(
                    path,
                    "F6",
                    f"'{model_folder}' maps to no {rules.version} benchmark"
                    + ("" if self.tree.is_file(where) else f" (and there is no {where})"),
                )
            return
        bench = rules.benchmarks[benchmark_id]
        suite_name = rules.suite_of(system.summary.system_type) or system.summary.system_type
        suite = bench.suites.get(suite_name)
        if suite is None:
            self.reject(path, "F6", f"{benchmark_id} is not a benchmark of the {suite_name} suite")
            return
        if closed:
            if how == "guess":
                self.note(
                    path,
                    "B1",
                    Level.WARNING,
                    f"'{model_folder}' maps to {benchmark_id} only by substring guessing",
                )
            if benchmark_id in closed_benchmarks:
                self.reject(
                    path,
                    "B3",
                    f"{benchmark_id} is already submitted in '{closed_benchmarks[benchmark_id]}'",
                )
                return
            closed_benchmarks[benchmark_id] = model_folder

        accepted: list[ResultRecord] = []
        seen: dict[str, str] = {}
        for folder in self.tree.subdirs(path):
            scenario = rules.canonical_scenario(folder)
            sc_path = f"{path}/{folder}"
            if scenario is None:
                self.reject(
                    sc_path,
                    "B2",
                    f"'{folder}' is not a scenario (expected one of "
                    + ", ".join(rules.scenarios)
                    + ", or in lowercase)",
                )
                continue
            if scenario in seen:
                self.reject(sc_path, "B2", f"{scenario} is already submitted in '{seen[scenario]}'")
                continue
            seen[scenario] = folder
            if closed and scenario not in suite.allowed:
                self.reject(
                    sc_path,
                    "F7",
                    f"{scenario} is neither required nor optional for "
                    f"{benchmark_id} on {suite_name} systems",
                )
                continue
            result = self.check_scenario(system, model_folder, bench, folder, scenario)
            if result is not None:
                accepted.append(result)
        if closed:
            have = {r.scenario for r in accepted}
            missing = [s for s in suite.required if s not in have]
            if suite.one_of and not have & set(suite.one_of):
                missing.append("(one of) " + " or ".join(suite.one_of))
            if missing:
                for result in accepted:
                    self.report.rejected.append(Rejection(result.location, "F11"))
                self.note(
                    path,
                    "F11",
                    Level.ERROR,
                    f"{benchmark_id} on {suite_name} needs a valid "
                    + " and ".join(missing)
                    + " result; the folder's results are rejected",
                )
                return
        self.report.results.extend(accepted)

    def submitter_map(self, system: SystemRecord) -> dict[str, str]:
        """The submitter's model_mapping.json (folder name -> benchmark id), if it has one."""
        entry = self.tree.get(f"{system.division}/{system.submitter}/model_mapping.json")
        if entry is None:
            return {}
        try:
            data = load_json_object(entry.text())
        except JSONProblem:
            return {}
        return {str(k): str(v) for k, v in data.items() if isinstance(v, str)}

    # -- one result --------------------------------------------------------

    def check_scenario(
        self,
        system: SystemRecord,
        model_folder: str,
        bench: BenchmarkRules,
        folder: str,
        scenario: str,
    ) -> ResultRecord | None:
        base = f"{system.division}/{system.submitter}"
        rel = f"{system.system_id}/{model_folder}/{folder}"
        location = f"{base}/results/{rel}"
        findings: list[Finding] = []
        fatal = False
        not_checked: list[str] = []

        def add(path: str, rule: str, level: Level, message: str) -> None:
            nonlocal fatal
            findings.append(self.note(path, rule, level, message))
            if level is Level.ERROR:
                fatal = True

        absent = sorted(p for p in self.absent if p.startswith(location + "/"))
        if absent:
            add(
                location,
                "N4",
                Level.INFO,
                "the published snapshot lacks "
                + ", ".join(p[len(location) + 1 :] for p in absent)
                + "; "
                + self.absent_note,
            )

        # Measurements (§2.2, §4).
        implementation = self.check_measurements(system, model_folder, folder, add, not_checked)

        # Performance runs (§2.3, §6).
        scenario_rules = self.rules.scenarios[scenario]
        # Only a folder spelled exactly "Server" gets the 5-run loop (§2.3).
        run_count = scenario_rules.runs if folder == scenario else 1
        runs: list[_Run] = []
        for index, run_path in enumerate(self.run_folders(location, run_count), start=1):
            if not self.tree.is_dir(run_path):
                if index == 1:
                    runs.append(
                        _Run(
                            run_path,
                            fatal=[
                                Finding(run_path, "P4", Level.ERROR, "no performance/run_1 folder")
                            ],
                        )
                    )
                else:
                    add(run_path, "P10", Level.WARNING, f"missing run_{index} of {run_count}")
                continue
            runs.append(self.check_run(run_path, bench, scenario, not_checked))
        valid_runs = [run for run in runs if not run.fatal]
        for run in runs:
            for finding in run.other:
                add(finding.path, finding.rule, finding.level, finding.message)
            for finding in run.fatal:
                # A failing Server run does not sink the result if another run is valid.
                level = Level.WARNING if valid_runs else Level.ERROR
                add(finding.path, finding.rule, level, finding.message)
        reported = self.reported_run(valid_runs)
        if reported is not None and reported.inferred:
            rule = self.rules.inferred_rule(scenario, reported.logged)
            add(
                location,
                "N2",
                Level.INFO,
                f"{scenario} inferred from a {reported.logged} run"
                + (f" ({rule.metric})" if rule else ""),
            )
        if reported is not None and not reported.exact:
            add(
                f"{location}/performance/run_1/{SUMMARY}",
                "N3",
                Level.INFO,
                f"the figure {reported.value:g} is as the summary log prints it; the detail "
                "log, which the official checker reads and which has more digits, is not in "
                "this tree",
            )

        # Power (§8 of the rounds' notes), from v1.0 on.
        measurements = dict(reported.measurements) if reported is not None else {}
        if reported is not None:
            measurements.update(
                self.check_power(location, bench, scenario, reported, add, not_checked)
            )

        # Accuracy (§7).
        metrics = self.check_accuracy(system, bench, f"{location}/accuracy", add, not_checked)
        primary = metrics[0] if metrics else {}

        # Compliance (§8), closed only; None where the round's checker judges none.
        compliant: bool | None = None
        if system.division != "open":
            compliant = self.check_compliance(base, rel, bench, scenario, add, not_checked)

        if not_checked:
            unique = list(dict.fromkeys(not_checked))
            add(
                location,
                "N1",
                Level.INFO,
                "not checked, as the files are not in this tree: " + "; ".join(unique),
            )

        if fatal or reported is None or reported.value is None:
            first = next(f.rule for f in findings if f.level is Level.ERROR)
            self.report.rejected.append(Rejection(location, first))
            return None
        metric = self.rules.metric(bench, scenario)
        return ResultRecord(
            division=system.division,
            submitter=system.submitter,
            system_id=system.system_id,
            model_folder=model_folder,
            scenario_folder=folder,
            benchmark=bench.id,
            scenario=scenario,
            value=reported.value,
            unit=metric.unit,
            accuracy=primary.get("value"),
            accuracy_raw=primary.get("raw") or "",
            inferred=reported.inferred,
            compliant=compliant,
            performance=reported.values
            or (dict(reported.summary.values) if reported.summary else {}),
            run_values=[run.value for run in valid_runs if run.value is not None],
            implementation=implementation,
            findings=findings,
            accuracy_metrics=[
                {k: v for k, v in m.items() if k != "reported"}
                for m in metrics
                if m.get("raw") is not None and m["reported"]
            ],
            measurements=measurements,
            exact=reported.exact,
            absent=[p[len(location) + 1 :] for p in absent],
        )

    def run_folders(self, location: str, count: int) -> list[str]:
        """The performance run folders of a result, in order: run_1 to run_<count>."""
        return [f"{location}/performance/run_{index}" for index in range(1, count + 1)]

    def reported_run(self, valid_runs: list[_Run]) -> _Run | None:
        """The run whose figure is the result's: the last valid one (v0.7 §2.3)."""
        return valid_runs[-1] if valid_runs else None

    def check_power(
        self,
        location: str,
        bench: BenchmarkRules,
        scenario: str,
        run: _Run,
        add: Add,
        not_checked: list[str],
    ) -> dict[str, tuple[float, str]]:
        """Power measurements of a result; rounds before v1.0 have none."""
        return {}

    def check_measurements(
        self,
        system: SystemRecord,
        model_folder: str,
        folder: str,
        add: Add,
        not_checked: list[str],
    ) -> dict[str, Any]:
        base = f"{system.division}/{system.submitter}"
        path = f"{base}/measurements/{system.system_id}/{model_folder}/{folder}"
        if not self.tree.is_dir(path):
            add(path, "F8", Level.ERROR, "no measurements folder for this result")
            return {}
        names = self.check_measurement_files(path, MEASUREMENT_FILES, add, not_checked)
        candidates = sorted(
            n for n in names if n.startswith(system.system_id) and n.endswith(".json")
        )
        if not candidates:
            others = sorted(n for n in names if n.endswith(".json"))
            also = f" (found {', '.join(others)})" if others else ""
            add(path, "M2", self.severity("M2"), f"is missing {system.system_id}*.json{also}")
            return {}
        if len(candidates) > 1:
            add(
                path,
                "M2",
                Level.WARNING,
                f"several implementation JSON files; using {candidates[0]}",
            )
        name = candidates[0]
        try:
            data = load_json_object(self.text(f"{path}/{name}") or "")
        except JSONProblem as exc:
            add(f"{path}/{name}", "M2", self.severity("M2"), str(exc))
            return {}
        missing = [key for key in IMPLEMENTATION_KEYS if key not in data]
        if missing:
            add(
                f"{path}/{name}",
                "M2",
                self.severity("M2"),
                "missing key(s): " + ", ".join(missing),
            )
        impl = name[len(system.system_id) :].removesuffix(".json").removesuffix(f"_{folder}")
        impl = impl.removeprefix("_")
        self.check_code(system, model_folder, impl, add, not_checked)
        return {"file": name, "implementation": impl, **data}

    def check_measurement_files(
        self, path: str, required: tuple[str, ...], add: Add, not_checked: list[str]
    ) -> set[str]:
        """The files a result's measurement folder must hold (M1); returns what it holds."""
        names = set(self.tree.subfiles(path))
        for name in required:
            if name not in names:
                if self.strict:
                    add(f"{path}/{name}", "M1", self.severity("M1"), f"missing {name}")
                else:
                    not_checked.append(f"M1 ({name})")
        return names

    def check_code(
        self,
        system: SystemRecord,
        model_folder: str,
        impl: str,
        add: Add,
        not_checked: list[str],
    ) -> None:
        code = f"{system.division}/{system.submitter}/code"
        if not self.tree.exists(code) and not self.strict:
            not_checked.append("M3 (code/)")
            return
        target = f"{code}/{model_folder}"
        pointer = self.tree.get(target)
        if pointer is not None:  # a one-line file naming the real folder (§4.1)
            target = f"{code}/{pointer.text().strip().strip('/')}"
        if impl and self.tree.is_dir(f"{target}/{impl}"):
            return
        if self.tree.is_dir(target):
            return
        add(target, "M3", Level.WARNING, f"no code folder code/{model_folder}/{impl}")

    def check_run(
        self, path: str, bench: BenchmarkRules, scenario: str, not_checked: list[str]
    ) -> _Run:
        run = _Run(path)
        rules = self.rules

        def fail(rule: str, message: str, where: str = path) -> _Run:
            run.fatal.append(Finding(where, rule, Level.ERROR, message))
            return run

        warn = self.run_warner(run, f"{path}/{SUMMARY}")

        text = self.text(f"{path}/{SUMMARY}")
        if text is None:
            return fail("P4", f"missing {SUMMARY}")
        extra = sorted(
            set(self.tree.subfiles(path)) - IGNORED_RESULT_FILES - {SUMMARY, DETAIL, ACCURACY_JSON}
        )
        if extra:
            warn("P4", "unexpected file(s): " + ", ".join(extra), path)
        detail = self.tree.get(f"{path}/{DETAIL}")
        if detail is None:
            if self.strict:
                fail("P4", f"missing {DETAIL}")
            else:
                not_checked.append("P3 (performance detail logs)")
        else:
            errors = self.significant_errors(detail.error_lines or [])
            if errors:
                fail(
                    "P3",
                    f"{detail.error_line_count} ERROR line(s), e.g. {errors[0]!r}",
                    f"{path}/{DETAIL}",
                )

        summary = parse_summary(text)
        run.summary = summary
        where = f"{path}/{SUMMARY}"
        if not summary.valid:
            return fail("P1", "the run is not VALID (no 'Result is : VALID' line)", where)
        logged = summary.scenario
        if logged is None or logged not in rules.scenarios:
            return fail("P4", f"no known Scenario line (found {summary.get('Scenario')!r})", where)
        run.logged = logged
        inferred_rule = None
        if logged != scenario:
            inferred_rule = rules.inferred_rule(scenario, logged)
            if inferred_rule is None:
                return fail("P11", f"the log is a {logged} run in a {scenario} folder", where)
            run.inferred = True
        logged_rules = rules.scenarios[logged]
        metric = inferred_rule.metric if inferred_rule else logged_rules.metric
        value = summary.number(metric)
        if value is None:
            return fail("P4", f"no '{metric}' figure", where)
        if not run.inferred and logged_rules.scale != 1:
            # In decimal, so that 7004864 ns is 7.004864 ms and not 7.0048639999999995.
            value = float(Decimal(summary.get(metric) or "0") * Decimal(repr(logged_rules.scale)))
        if value <= 0:
            return fail("P4", f"'{metric}' is {summary.get(metric)}, not a positive figure", where)
        run.value = value

        log = RunLog(None, summary)
        if not self.check_samples_and_seeds(log, bench, fail, warn, where):
            return run
        self.check_run_limits(log, bench, logged, warn)
        return run

    def check_samples_and_seeds(
        self, log: RunLog, bench: BenchmarkRules, fail: Fail, warn: Warn, where: str
    ) -> bool:
        """The sample count (fatal) and the seeds (P5, fatal per round); False without a count."""
        sample_count = log.integer("effective_performance_sample_count")
        if sample_count is None:
            fail("P4", "no performance_sample_count", where)
            return False
        if sample_count < bench.qsl_size:
            fail(
                "P2",
                f"performance_sample_count is {sample_count}; {bench.id} needs at least "
                f"{bench.qsl_size}",
                where,
            )
        for key in SEED_KEYS:
            expected = self.rules.seeds.get(key)
            found = log.text(f"effective_{key}")
            if expected and found != expected:
                warn("P5", f"{key} is {found}; the round's is {expected}")
        return True

    def check_run_limits(self, log: RunLog, bench: BenchmarkRules, logged: str, warn: Warn) -> None:
        """Limits the round's checker logs, or fails on where its profile's ``fatal`` says."""
        rules = self.rules
        scenario_rules = rules.scenarios[logged]
        bench_scenario = bench.scenarios.get(logged)
        if bench_scenario is not None and not scenario_rules.early_stopping:
            bound = bench_scenario.latency_bound_ms
            p99 = log.number("result_99.00_percentile_latency_ns")
            if bound is not None and p99 is not None and p99 > bound * 1e6:
                warn(
                    "P6",
                    f"99th percentile latency {p99 / 1e6:.3f} ms is over the {bound:g} ms bound",
                )
            queries = log.integer("effective_min_query_count")
            if queries is not None and queries < scenario_rules.min_query_count:
                warn(
                    "P7",
                    f"min_query_count is {queries}; {logged} needs "
                    f"{scenario_rules.min_query_count}",
                )
        minimum = (
            bench_scenario.min_samples_per_query if bench_scenario is not None else None
        ) or scenario_rules.min_samples_per_query
        if minimum:
            per_query = log.integer("effective_samples_per_query")
            if per_query is not None and per_query < minimum:
                warn("P8", f"samples_per_query is {per_query}; {bench.id} {logged} needs {minimum}")
        duration = log.integer("effective_min_duration_ms")
        if duration is not None and duration < rules.min_duration_ms:
            warn("P9", f"min_duration is {duration} ms; the round needs {rules.min_duration_ms}")

    def significant_errors(self, lines: list[str]) -> list[str]:
        exceptions = self.rules.detail_log_error_exceptions
        return [line for line in lines if not any(e in line for e in exceptions)]

    def check_accuracy(
        self,
        system: SystemRecord,
        bench: BenchmarkRules,
        path: str,
        add: Add,
        not_checked: list[str],
    ) -> list[dict[str, Any]]:
        """Every accuracy metric of the benchmark, each against its target (and upper bound)."""
        closed = system.division != "open"
        # Closed fails where open only logs (§7.2).
        severe = Level.ERROR if closed else Level.WARNING
        txt_path = f"{path}/{ACCURACY_TXT}"
        entry = self.tree.get(txt_path)
        if entry is None:
            add(txt_path, "A1", Level.ERROR, f"missing {ACCURACY_TXT}")
            return []
        try:
            text = (entry.data or b"").decode("utf-8")
        except UnicodeDecodeError:
            add(txt_path, "IN5", Level.WARNING, "not UTF-8; undecodable bytes were replaced")
            text = entry.text()
        metrics = []
        hashes: list[str] = []
        every_line = None
        if self.rules.accuracy_reading == "every-line":
            every_line = parse_accuracy_lines(text, {r.metric: r.regex for r in bench.accuracy})
            hashes = every_line["hashes"]
        for rules in bench.accuracy:
            if every_line is not None:
                figures = every_line["figures"][rules.metric]
            else:
                reading = parse_accuracy(text, rules.regex)
                hashes = hashes or reading.hashes
                figures = [reading.raw] if reading.raw is not None else []
            raw = figures[-1] if figures else None
            metrics.append(
                {
                    "metric": rules.metric,
                    "value": float(raw) if raw is not None else None,
                    "raw": raw,
                    "target": rules.target,
                    "upper": rules.upper,
                    "unit": rules.unit,
                    "reported": rules.reported,
                }
            )
            unit = rules.unit
            if raw is None and not rules.reported:
                continue  # a limit on a figure the round does not require (rounds §5.3)
            if raw is None:
                add(
                    txt_path,
                    "A2",
                    severe,
                    f"no {rules.metric} line matching {rules.pattern!r}",
                )
                continue
            low = next((f for f in figures if float(f) < rules.target), None)
            high = next(
                (f for f in figures if rules.upper is not None and float(f) > rules.upper), None
            )
            if low is not None:
                message = (
                    f"{rules.metric} {low}{unit} is below the target "
                    f"{rules.target:g}{unit} ({rules.fraction:.1%} of {rules.reference:g})"
                )
            elif high is not None:
                message = f"{rules.metric} {high}{unit} is above its limit {rules.upper:g}{unit}"
            else:
                continue
            add(
                txt_path,
                "A2",
                Level.ERROR if closed else Level.INFO,
                message if closed else message + "; open results are not held to it",
            )
        if not hashes:
            add(txt_path, "A3", severe, "no hash= line")
        if bench.accuracy_files is not None:
            self.check_accuracy_files(path, bench, add, not_checked)

        json_entry = self.tree.get(f"{path}/{ACCURACY_JSON}")
        if json_entry is None:
            if self.strict:
                add(f"{path}/{ACCURACY_JSON}", "A4", severe, f"missing {ACCURACY_JSON}")
            else:
                not_checked.append("A4 (truncated accuracy log)")
        elif json_entry.size > self.rules.accuracy_log_max_bytes:
            add(
                f"{path}/{ACCURACY_JSON}",
                "A4",
                severe,
                f"{json_entry.size} bytes; truncate it to at most "
                f"{self.rules.accuracy_log_max_bytes} with truncate_accuracy_log.py",
            )
        detail = self.tree.get(f"{path}/{DETAIL}")
        if detail is None:
            if self.strict:
                add(f"{path}/{DETAIL}", "A5", severe, f"missing {DETAIL}")
            else:
                not_checked.append("A5 (accuracy detail log)")
        else:
            errors = self.significant_errors(detail.error_lines or [])
            if errors:
                add(
                    f"{path}/{DETAIL}",
                    "A5",
                    severe,
                    f"{detail.error_line_count} ERROR line(s), e.g. {errors[0]!r}",
                )
        expected = {SUMMARY, DETAIL, ACCURACY_TXT, ACCURACY_JSON}
        present = set(self.tree.subfiles(path)) - IGNORED_RESULT_FILES
        extra = sorted(present - expected)
        if extra:
            add(path, "A6", Level.WARNING, "unexpected file(s): " + ", ".join(extra))
        if SUMMARY not in present:
            if self.strict:
                add(f"{path}/{SUMMARY}", "A6", Level.WARNING, f"missing {SUMMARY}")
            else:
                not_checked.append("A6 (accuracy summary)")
        return metrics

    def check_accuracy_files(
        self, path: str, bench: BenchmarkRules, add: Add, not_checked: list[str]
    ) -> None:
        """What the accuracy folder must hold besides the logs (SDXL's images, rounds §5.5)."""
        if bench.accuracy_files is None:
            return
        folder, ids = bench.accuracy_files
        where = f"{path}/{folder}"
        if not self.tree.is_dir(where):
            if self.strict:
                add(where, "A7", Level.ERROR, f"no {folder}/ folder in the accuracy run")
            else:
                not_checked.append(f"A7 (accuracy/{folder}/, never in the published tree)")
            return
        stems = {name.split(".", 1)[0] for name in self.tree.subfiles(where)}
        missing = [i for i in ids if i not in stems]
        if missing:
            add(where, "A7", Level.ERROR, f"no {folder}/ file for id(s) " + ", ".join(missing))

    def compliance_path(self, base: str, rel: str) -> str:
        """Where a result's compliance tests are: ``compliance/`` until v5.1."""
        return f"{base}/compliance/{rel}"

    def check_compliance(
        self,
        base: str,
        rel: str,
        bench: BenchmarkRules,
        scenario: str,
        add: Add,
        not_checked: list[str],
    ) -> bool | None:
        path = self.compliance_path(base, rel)
        tests = bench.scenarios.get(scenario)
        required = tests.compliance if tests else ()
        if not required:
            return True
        if not self.tree.is_dir(path):
            add(path, "C1", self.severity("C1"), "no compliance folder")
            return False
        passed = True
        for test in required:
            test_path = f"{path}/{test}"
            run_1 = f"{test_path}/performance/run_1"
            if test == "TEST04-B":
                # Only its logs are required; the published tree drops such folders.
                if not self.tree.is_dir(run_1):
                    if self.strict:
                        add(
                            test_path,
                            "C1",
                            self.severity("C1"),
                            f"{test}: no performance/run_1",
                        )
                        passed = False
                    else:
                        not_checked.append("C1 (TEST04-B logs)")
                continue
            if not self.tree.is_dir(test_path):
                add(test_path, "C1", self.severity("C1"), f"missing {test}")
                passed = False
                continue
            if test == "TEST06":
                passed &= self.check_test06(test_path, add)
                continue
            if test in VERDICT_ONLY_TESTS:
                passed &= self.check_verdict_file(test_path, test, add)
                continue
            text = self.text(f"{test_path}/verify_performance.txt")
            if text is None:
                add(test_path, "C1", self.severity("C1"), f"{test}: no verify_performance.txt")
                passed = False
            else:
                outcome = verdict(text)
                if outcome is not True:
                    add(
                        f"{test_path}/verify_performance.txt",
                        "C1",
                        self.severity("C1"),
                        f"{test} performance: "
                        + (
                            "TEST FAIL"
                            if outcome is False
                            else "no verdict (the run did not finish)"
                        ),
                    )
                    passed = False
            if not self.tree.is_dir(run_1):
                if self.strict:
                    add(test_path, "C1", self.severity("C1"), f"{test}: no performance/run_1")
                    passed = False
                else:
                    not_checked.append("C1 (compliance logs)")
            if test == "TEST01":
                passed &= self.check_test01_accuracy(test_path, add, not_checked)
        return passed

    def check_verdict_file(self, path: str, test: str, add: Add) -> bool:
        """TEST07/08 (verify_accuracy.txt) and TEST09 (verify_output_len.txt): TEST PASS."""
        name = VERDICT_ONLY_TESTS[test]
        text = self.text(f"{path}/{name}")
        if text is None:
            add(path, "C1", self.severity("C1"), f"{test}: no {name}")
            return False
        if "TEST PASS" not in {line.strip() for line in text.splitlines()}:
            add(f"{path}/{name}", "C1", self.severity("C1"), f"{test}: no TEST PASS line")
            return False
        return True

    def check_test06(self, path: str, add: Add) -> bool:
        """LLM output consistency (v4.0 on): three lines of verify_accuracy.txt (rounds §2.5)."""
        text = self.text(f"{path}/verify_accuracy.txt")
        if text is None:
            add(path, "C1", self.severity("C1"), "TEST06: no verify_accuracy.txt")
            return False
        lines = {line.strip() for line in text.splitlines()}
        wanted = [
            ("First token check pass: True", "First token check pass: Skipped"),
            ("EOS check pass: True",),
            ("Sample length check pass: True",),
        ]
        missing = [options[0] for options in wanted if not lines & set(options)]
        if missing:
            add(
                f"{path}/verify_accuracy.txt",
                "C1",
                self.severity("C1"),
                "TEST06: no line " + ", ".join(repr(m) for m in missing),
            )
            return False
        return True

    def check_test01_accuracy(self, path: str, add: Add, not_checked: list[str]) -> bool:
        text = self.text(f"{path}/verify_accuracy.txt")
        if text is None:
            add(path, "C1", self.severity("C1"), "TEST01: no verify_accuracy.txt")
            return False
        outcome = verdict(text)
        if outcome is True:
            return True
        what = "outputs differ" if outcome is False else "check has no verdict"
        explained = all(
            self.tree.is_file(f"{path}/accuracy/{n}")
            for n in ("baseline_accuracy.txt", "compliance_accuracy.txt")
        )
        if explained:
            # The policy then compares the two scores; both files are there for a reviewer.
            add(
                f"{path}/verify_accuracy.txt",
                "C1",
                Level.INFO,
                f"TEST01 accuracy {what}; baseline and compliance accuracy are given",
            )
            return True
        if not self.strict:
            not_checked.append("C1 (TEST01 baseline and compliance accuracy)")
            add(
                f"{path}/verify_accuracy.txt",
                "C1",
                Level.INFO,
                f"TEST01 accuracy {what}; the baseline and compliance accuracy files that "
                "explain it are not in this tree",
            )
            return True
        add(
            f"{path}/verify_accuracy.txt",
            "C1",
            self.severity("C1"),
            f"TEST01 accuracy {what} and no baseline/compliance accuracy is given",
        )
        return False


def _absent_from_snapshot(tree: SubmissionTree) -> set[str]:
    """The files a published bundle's MANIFEST.txt lists as absent from the snapshot."""
    entry = tree.get("MANIFEST.txt")
    if entry is None:
        return set()
    absent: set[str] = set()
    listing = False
    for line in entry.text().splitlines():
        if line.startswith("ABSENT"):
            listing = True
            continue
        if listing and line.startswith("  ") and "/" in line:
            absent.add(line.strip())
        elif listing and line.strip() and not line.startswith(" "):
            listing = False
    return absent
