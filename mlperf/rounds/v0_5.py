"""The v0.5 era (2019): the first round, whose checker checked far less than later ones.

v0.5's checker (``v0.5/tools/submission/submission-checker.py`` at 675557a5,
rounds §2.7) writes no summary and has two outcomes only: a result has *no
result* when its performance summary cannot be read, and any other problem
is an error that leaves the result counted. The site imports what it counted
and shows each of its errors as a warning on the result (a reviewer's waiver,
findings.py). What changes in kind from the v0.7 era:

- no system types (no datacenter and edge suites): every scenario is optional;
  the system description is compared with the round's template, where an
  unknown field is an error, and submitter and division must equal their
  folders, case included; ``status`` is only required to be there;
- performance runs are ``run_N``, else ``runN``, else the files directly in
  ``performance/``; a result's figure is its first run's (the round's own
  result table reads ``run_1``);
- no latency bound, minimum query count or duration; ERROR lines of the detail
  logs are ignored (the checker's ignore test is always true);
- accuracy: the first line with ``accuracy=``, ``mAP=`` or ``BLEU:``, against
  the target in both divisions; no hash and no truncation;
- compliance: the audit tests are in ``audit/`` and the checker does not read
  them, so no result is marked compliant or not.

The profile holds the numbers (targets, sample counts, seeds, fields) and the
statement of what was and was not checked that the round's page shows.
"""

from __future__ import annotations

import dataclasses
import posixpath
import re
from decimal import Decimal
from typing import Any

from ..checker import (
    ACCURACY_JSON,
    ACCURACY_TXT,
    DETAIL,
    IGNORED_RESULT_FILES,
    MEASUREMENT_FILES,
    SHOWN_SYSTEM_FIELDS,
    SUMMARY,
    Add,
    Checker,
    Fail,
    SystemRecord,
    Warn,
    _Run,
)
from ..findings import Finding, Level
from ..loadgen import RunLog
from ..parsers import (
    IMPLEMENTATION_KEYS,
    JSONProblem,
    load_json_object,
    parse_summary,
    summarise_system,
    system_type_problems,
    verdict,
)
from ..profiles import BenchmarkRules
from .v1_0 import LATENCY_KEYS

ERRORED = "v0.5's checker reports this as an error and still counts the result"
# The files v0.5's checks read whose absence from the snapshot matters (the others it only
# lists, and the compact tree drops them anyway).
READ_NAMES = frozenset({SUMMARY, ACCURACY_TXT})


class V05Checker(Checker):
    absent_note = (
        "v0.5's checker read it in the full tree; this tree cannot say what it holds, "
        "so what depends on it is not checked here"
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.absent = {
            p
            for p in self.absent
            if (name := posixpath.basename(p)) in READ_NAMES or name.startswith("verify_")
        }

    # -- systems -----------------------------------------------------------

    def check_system(self, division: str, org: str, system_id: str) -> None:
        base = f"{division}/{org}"
        path = f"{base}/systems/{system_id}.json"
        results_dir = f"{base}/results/{system_id}"
        entry = self.tree.get(path)
        if entry is None:
            # Not a verdict on the results: without a description there is no system,
            # category or table to show them in (v0.5's checker: "no such system id").
            self.reject(results_dir, "F1", f"no systems/{system_id}.json for these results")
            self.reject_results_of(results_dir, path, "F1")
            return
        try:
            data = load_json_object(entry.text())
        except JSONProblem as exc:
            self.reject(path, "S1", str(exc))
            self.reject_results_of(results_dir, path, "S1")
            return
        fields = self.rules.system_fields
        # The tables need text (or numbers) in the fields they show: the site's rule.
        problems = system_type_problems(data, SHOWN_SYSTEM_FIELDS, fields.numeric)
        status = data.get("status")
        category = self.rules.category_for_status(status) if isinstance(status, str) else None
        if problems or category is None:
            for problem in problems:
                self.reject(path, "S1", problem)
            if category is None:
                self.reject(
                    path, "F2", f"status {status!r} names no category of the round"
                )  # v0.5's checker reads no value, but a table row needs one
            self.reject_results_of(results_dir, path, "S1" if problems else "F2")
            return
        findings = []

        def warn(rule: str, message: str) -> None:
            findings.append(self.note(path, rule, Level.WARNING, f"{message}; {ERRORED}"))

        missing = [key for key in fields.required if key not in data]
        if missing:
            warn("F4", "missing field(s) of the round's template: " + ", ".join(missing))
        unknown = sorted(set(data) - fields.known)
        if unknown:
            warn("S2", "field(s) not in the round's template: " + ", ".join(unknown))
        if "submitter" in data and data["submitter"] != org:
            warn("F4", f"submitter {data['submitter']!r} is not the folder name {org!r}")
        if "division" in data and data["division"] != division:
            warn("F4", f"division {data['division']!r} is not the folder name {division!r}")
        # No system types in v0.5: every system is in the round's one suite.
        summary = dataclasses.replace(
            summarise_system(data, system_id), system_type=self.rules.suites[0]
        )
        system = SystemRecord(
            division=division,
            submitter=org,
            system_id=system_id,
            path=path,
            description=data,
            summary=summary,
            category=category,
            findings=findings,
        )
        before = len(self.report.results)
        closed_benchmarks: dict[str, str] = {}
        for model_folder in self.tree.subdirs(results_dir):
            self.check_benchmark(system, model_folder, closed_benchmarks)
        if len(self.report.results) > before:
            self.report.systems.append(system)

    def check_benchmark(
        self, system: SystemRecord, model_folder: str, closed_benchmarks: dict[str, str]
    ) -> None:
        if system.division == "closed" and model_folder not in self.rules.benchmarks:
            benchmark, _ = self.rules.map_benchmark(model_folder)
            if benchmark is not None:
                self.note(
                    f"{system.division}/{system.submitter}/results/{system.system_id}/"
                    f"{model_folder}",
                    "F5",
                    Level.WARNING,
                    f"'{model_folder}' is not one of the closed names "
                    f"({', '.join(self.rules.benchmarks)}); read as {benchmark}; {ERRORED}",
                )
        super().check_benchmark(system, model_folder, closed_benchmarks)

    def report_orphans(self, base: str, area: str) -> None:
        super().report_orphans(base, "audit" if area == "compliance" else area)

    # -- performance -------------------------------------------------------

    def run_folders(self, location: str, count: int) -> list[str]:
        performance = f"{location}/performance"
        for pattern in ("run_{}", "run{}"):
            if self.tree.is_dir(f"{performance}/{pattern.format(1)}"):
                return [f"{performance}/{pattern.format(i)}" for i in range(1, count + 1)]
        if self.tree.is_file(f"{performance}/{SUMMARY}"):
            return [performance]  # the logs directly in performance/
        return [f"{performance}/run_{i}" for i in range(1, count + 1)]

    def reported_run(self, valid_runs: list[_Run]) -> _Run | None:
        return valid_runs[0] if valid_runs else None

    def check_run(
        self, path: str, bench: BenchmarkRules, scenario: str, not_checked: list[str]
    ) -> _Run:
        run = _Run(path)
        rules = self.rules
        where = f"{path}/{SUMMARY}"

        def fail(rule: str, message: str, at: str = where) -> _Run:
            run.fatal.append(Finding(at, rule, Level.ERROR, message))
            return run

        # v0.5's checker fails a result only when its summary cannot be read (rounds §2.7).
        def warn(rule: str, message: str, where: str = where) -> None:
            run.other.append(Finding(where, rule, Level.WARNING, message))

        text = self.text(where)
        if text is None:
            return fail("P4", f"missing {SUMMARY}: no figure to read", path)
        files = set(self.tree.subfiles(path)) - IGNORED_RESULT_FILES
        absent = [name for name in (DETAIL, ACCURACY_JSON) if name not in files]
        if absent and self.strict:
            warn("P4", f"missing {', '.join(absent)}; {ERRORED}", path)
        elif absent:
            not_checked.append("P4 (the runs' detail and accuracy logs)")
        extra = sorted(files - {SUMMARY, DETAIL, ACCURACY_JSON})
        if extra:
            warn("P4", f"unexpected file(s): {', '.join(extra)}; {ERRORED}", path)

        summary = parse_summary(text)
        run.summary = summary
        if not summary.valid:
            warn("P1", f"the run is not VALID (no 'Result is : VALID' line); {ERRORED}")
        logged = summary.scenario
        if logged is None or logged not in rules.scenarios:
            return fail("P4", f"no known Scenario line (found {summary.get('Scenario')!r})")
        run.logged = logged
        if logged != scenario:
            return fail("P11", f"the log is a {logged} run in a {scenario} folder")
        metric = rules.scenarios[logged]
        raw = summary.get(metric.metric)
        if summary.number(metric.metric) is None or raw is None:
            return fail("P4", f"no '{metric.metric}' figure")
        # In decimal, so that 7004864 ns is 7.004864 ms; v0.5's checker itself left it in ns.
        value = float(Decimal(raw) * Decimal(repr(metric.scale)))
        if value <= 0:
            return fail("P4", f"'{metric.metric}' is {raw}, not a positive figure")
        run.value = value
        log = RunLog(None, summary)
        for kind, key in LATENCY_KEYS.items():
            figure = log.figure(key)
            if figure is not None:
                run.measurements[kind] = (figure.value / 1e6, "ms")
        self.check_samples_and_seeds(log, bench, fail, warn, where)
        return run

    def check_samples_and_seeds(
        self, log: RunLog, bench: BenchmarkRules, fail: Fail, warn: Warn, where: str
    ) -> bool:
        count = log.integer("effective_performance_sample_count")
        if count is None:
            fail("P4", "no performance_sample_count", where)
            return False
        if count < bench.qsl_size:
            warn(
                "P2",
                f"performance_sample_count is {count}; {bench.id} needs at least "
                f"{bench.qsl_size}; {ERRORED}",
            )
        for key, expected in self.rules.seeds.items():
            found = log.text(f"effective_{key}")
            if found != expected:
                warn("P5", f"{key} is {found}; the round's is {expected}")
        return True

    # -- accuracy ----------------------------------------------------------

    def check_accuracy(
        self,
        system: SystemRecord,
        bench: BenchmarkRules,
        path: str,
        add: Add,
        not_checked: list[str],
    ) -> list[dict[str, Any]]:
        """The first line of any of the round's metrics, against the target in both divisions."""
        txt_path = f"{path}/{ACCURACY_TXT}"
        rules = bench.primary_accuracy
        files = set(self.tree.subfiles(path)) - IGNORED_RESULT_FILES
        others = [n for n in (SUMMARY, DETAIL, ACCURACY_JSON) if n not in files]
        if others and self.strict:
            add(path, "A6", Level.WARNING, f"missing {', '.join(others)}; {ERRORED}")
        elif others:
            not_checked.append("A6 (the accuracy run's logs)")
        extra = sorted(files - {SUMMARY, DETAIL, ACCURACY_JSON, ACCURACY_TXT})
        if extra:
            add(path, "A6", Level.WARNING, f"unexpected file(s): {', '.join(extra)}; {ERRORED}")
        entry = self.tree.get(txt_path)
        if entry is None:
            if txt_path in self.absent:
                not_checked.append("A1, A2 (accuracy.txt is absent from the published snapshot)")
            else:
                add(txt_path, "A1", Level.WARNING, f"missing {ACCURACY_TXT}; {ERRORED}")
            return []
        patterns = self.accuracy_patterns()
        raw = None
        for line in entry.text().splitlines():
            match = next((m for p in patterns if (m := p.match(line))), None)
            if match is not None:
                raw = match.group(1)
                break
        try:
            value = float(raw) if raw is not None else None
        except ValueError:
            value = None
        if value is None:
            add(txt_path, "A2", Level.WARNING, f"no accuracy=, mAP= or BLEU: figure; {ERRORED}")
            return []
        if value < rules.target:
            add(
                txt_path,
                "A2",
                Level.WARNING,
                f"{rules.metric} {raw}{rules.unit} is below the target {rules.target:g}"
                f"{rules.unit} ({rules.fraction:.0%} of {rules.reference:g}); v0.5's checker "
                f"holds both divisions to it, reports this as an error and still counts the "
                "result",
            )
        return [
            {
                "metric": rules.metric,
                "value": value,
                "raw": raw,
                "target": rules.target,
                "upper": None,
                "unit": rules.unit,
                "reported": True,
            }
        ]

    def accuracy_patterns(self) -> list[re.Pattern[str]]:
        """Every metric's pattern of the round: v0.5's checker tries all three on each line."""
        seen: dict[str, re.Pattern[str]] = {}
        for bench in self.rules.benchmarks.values():
            for metric in bench.accuracy:
                seen.setdefault(metric.pattern, metric.regex)
        return list(seen.values())

    # -- measurements --------------------------------------------------------

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
            if self.strict:
                add(path, "F8", Level.WARNING, f"no measurements folder; {ERRORED}")
            else:
                # The compact tree keeps only the folder's JSON, conf and README files.
                not_checked.append("F8, M1, M2 (no measurement file of this result in this tree)")
            return {}
        names = set(self.tree.subfiles(path))
        missing = [n for n in MEASUREMENT_FILES if n not in names]
        if missing:
            add(path, "M1", Level.WARNING, f"missing {', '.join(missing)}; {ERRORED}")
        json_files = sorted(n for n in names if n.startswith(system.system_id))
        # The checker prefers <sys>_<impl>_<scenario>.json, then any <sys>*.json.
        name = next((n for n in json_files if n.endswith(f"_{folder}.json")), None)
        end = len(f"_{folder}.json")
        if name is None:
            name = next((n for n in json_files if n.endswith(".json")), None)
            end = len(".json")
        if name is None:
            add(path, "M2", Level.WARNING, f"is missing {system.system_id}*.json; {ERRORED}")
            return {}
        try:
            data = load_json_object(self.text(f"{path}/{name}") or "")
        except JSONProblem as exc:
            add(f"{path}/{name}", "M2", Level.WARNING, f"{exc}; {ERRORED}")
            return {}
        absent = [key for key in IMPLEMENTATION_KEYS if key not in data]
        unknown = sorted(set(data) - set(IMPLEMENTATION_KEYS))
        problems = [f"missing key(s) {', '.join(absent)}"] if absent else []
        problems += [f"key(s) not in the round's template: {', '.join(unknown)}"] if unknown else []
        if problems:
            add(f"{path}/{name}", "M2", Level.WARNING, "; ".join(problems) + f"; {ERRORED}")
        impl = (
            name[len(system.system_id) + 1 : -end]
            if len(name) > len(system.system_id) + end
            else ""
        )
        self.check_code(system, model_folder, impl, add, not_checked)
        return {"file": name, "implementation": impl, **data}

    # -- compliance ----------------------------------------------------------

    def compliance_path(self, base: str, rel: str) -> str:
        return f"{base}/audit/{rel}"

    def check_compliance(
        self,
        base: str,
        rel: str,
        bench: BenchmarkRules,
        scenario: str,
        add: Add,
        not_checked: list[str],
    ) -> bool | None:
        """None: v0.5's checker reads no audit test. What the audit files say is noted."""
        path = self.compliance_path(base, rel)
        tests = self.tree.subdirs(path)
        if not tests:
            add(path, "C1", Level.INFO, "no audit/ folder; v0.5's checker did not look for one")
            return None
        said = []
        for test in tests:
            outcomes = []
            for name in sorted(self.tree.subfiles(f"{path}/{test}")):
                if name.startswith("verify_") and name.endswith(".txt"):
                    outcome = verdict(self.text(f"{path}/{test}/{name}") or "")
                    shown = {True: "TEST PASS", False: "TEST FAIL", None: "no verdict"}[outcome]
                    outcomes.append(f"{name.removesuffix('.txt')} {shown}")
            said.append(f"{test} ({', '.join(outcomes) or 'no verify file'})")
        add(
            path,
            "C1",
            Level.INFO,
            "audit/ holds " + "; ".join(said) + ". v0.5's checker did not read them, so they "
            "decide nothing here",
        )
        return None
