"""MLPerf Mobile: the app's published layout read into a check report.

The mobile suite is published in its own trees (``mobile_results_vX.Y``),
not in the inference layout: per submitter, ``systems/<sys>.json`` is a
free-form description of the phone or laptop (processor, accelerator, DRAM,
OS, SDK) and ``results/<sys>/result.json`` (v2.1: ``results.json``, and
for a submitter with one device ``results/results.json``) is the app's
report, one entry per benchmark with its LoadGen scenario, score and
accuracy. The figures of the published mobile tables are the app's, so this
reader takes them from that report as they are; it checks what the report
says about itself (LoadGen's validity), not the rules of the inference
checker. A device whose folder has no app report (the v4.0 Windows laptop)
gets its scores from the LoadGen summaries the app wrote, computed the way
the app computes them (SingleStream: 1 / the 90th-percentile latency;
Offline: samples per second), and no accuracy, since none is published.

The reading itself is ``tree.read_tree`` with ``MobileChecker.file_policy``,
so a hostile archive is refused exactly as an inference upload is.
"""

from __future__ import annotations

import json
import math
import posixpath
import re
from dataclasses import replace
from typing import Any

from .checker import SUMMARY, Checker, ResultRecord, SystemRecord
from .findings import Level
from .parsers import JSONProblem, SystemSummary, parse_summary
from .profiles import BenchmarkRules
from .tree import Handling

APP_REPORTS = ("result.json", "results.json")
SUITE = "mobile"
PHONES, NOTEBOOKS = "phones", "notebooks"
# A trailing comma before a closing brace or bracket (v5.0's published system JSONs).
_TRAILING_COMMA = re.compile(r",(\s*[}\]])")
_NUMBER = re.compile(r"[-+]?\d+(?:\.\d+)?")


def load_lenient_json(text: str) -> tuple[Any, bool]:
    """Parse JSON, forgiving trailing commas only; True when they had to be forgiven.

    Raises :class:`JSONProblem` (the strict parser's reason) for anything else.
    """
    try:
        return json.loads(text), False
    except json.JSONDecodeError as exc:
        strict = JSONProblem(f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}")
    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", text)), True
    except json.JSONDecodeError:
        raise strict from None


def _text(value: Any) -> str:
    return " ".join(value.split()) if isinstance(value, str) else ""


def _first(data: dict[str, Any], *keys: str) -> str:
    for key in keys:
        value = _text(data.get(key))
        if value:
            return value
    return ""


def _flatten(data: dict[str, Any]) -> dict[str, Any]:
    """v4.0 on nests the description in system/notes/software; v2.1 is flat."""
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            flat.update({k: v for k, v in value.items() if k not in flat})
        else:
            flat[key] = value
    return flat


def summarise_device(data: dict[str, Any], system_id: str, platform: str) -> SystemSummary:
    """The table columns of a phone or laptop, from its free-form description."""
    flat = _flatten(data)
    processor = _first(
        flat, "Processor Name", "Processor_name", "SoC_ID", "host_processor_model_name"
    )
    accelerator = _first(
        flat,
        "Accelerator type",
        "Accelerator_type_1",
        "Accelerator type 1",
        "accelerator_model_name",
    )
    device = _first(flat, "Phone summary", "System", "system_name")
    product = _first(flat, "SoC Product information")
    # Samsung's v4.0 description names the phone in "SoC Product information".
    if not device and product and product != processor:
        device = product
    name = device or processor or system_id
    if processor and re.search(r"(?i)reference design|\bqrd\b", device):
        # A reference design is named by its SoC ("Qualcomm QRD" alone says little).
        soc = re.sub(r"(?i)\s+(mobile\s+)?platform$", "", processor)
        name = f"{device} ({soc})"
    os_name = _first(flat, "OS Version", "OS_version", "Android_version", "operating_system")
    software = _first(flat, "Vendor SDK", "vendor SDK", "framework")
    notes = "; ".join(
        f"{key}: {_text(flat[key])}"
        for key in sorted(flat)
        if re.match(r"(?i)cpu_type|graphics|dram|memory|storage", key) and _text(flat[key])
    )
    return SystemSummary(
        name=name,
        system_type=SUITE,
        status=_first(flat, "status"),
        nodes=None,
        processor=processor,
        processors_per_node=None,
        processor_cores="",
        accelerator=accelerator,
        accelerators_per_node=1 if accelerator else None,
        software=software,
        operating_system=os_name or platform,
        notes=notes,
    )


def device_category(summary: SystemSummary, platform: str) -> str:
    """A Windows (or macOS) machine is a notebook; everything else the app runs on, a phone."""
    text = f"{summary.operating_system} {platform}".lower()
    return NOTEBOOKS if "windows" in text or "macos" in text else PHONES


def _figure(value: Any) -> float | None:
    """The app writes a score as a number (v2.1) or as {"value": number} (v4.0 on)."""
    if isinstance(value, dict):
        value = value.get("value")
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    number = float(value)
    return number if math.isfinite(number) and number > 0 else None


def _accuracy_text(run: Any) -> tuple[str, float | None]:
    """The accuracy as the app prints it ("75.30%") and its normalised value."""
    if not isinstance(run, dict) or not isinstance(run.get("accuracy"), dict):
        return "", None
    accuracy = run["accuracy"]
    raw = _first(accuracy, "formatted", "string")
    normalized = accuracy.get("normalized", accuracy.get("value"))
    if isinstance(normalized, bool) or not isinstance(normalized, (int, float)):
        normalized = None
    return raw, float(normalized) if normalized is not None else None


def _validity(run: dict[str, Any]) -> bool | None:
    loadgen = run.get("loadgen")
    if isinstance(loadgen, dict) and isinstance(loadgen.get("is_result_valid"), bool):
        return bool(loadgen["is_result_valid"])
    valid = run.get("loadgen_validity")
    return valid if isinstance(valid, bool) else None


class MobileChecker(Checker):
    """The app's report, per device, as a check report the import writes like any other."""

    @classmethod
    def file_policy(cls, path: str) -> Handling:
        parts = path.split("/")
        name = parts[-1]
        if name in APP_REPORTS or name == SUMMARY:
            return "keep"
        if name == "MANIFEST.txt" and len(parts) <= 3:
            return "keep"
        if name.endswith(".json") and ("systems" in parts or "measurements" in parts):
            return "keep"
        return "size"

    # -- walk --------------------------------------------------------------

    # The base walk (Checker.run) reaches each submitter folder; the app's layout has
    # its systems and results side by side under it.
    RESULTS_WHERE = "<division>/<submitter>/"

    def check_submitter(self, division: str, org: str) -> None:
        base = f"{division}/{org}"
        results = f"{base}/results"
        if not self.tree.is_dir(results):
            self.note(base, "T1", Level.WARNING, "no results/ folder in this submitter folder")
            return
        systems = sorted(
            posixpath.splitext(n)[0]
            for n in self.tree.subfiles(f"{base}/systems")
            if n.endswith(".json")
        )
        folders = set(self.tree.subdirs(results))
        shared = next(
            (f"{results}/{n}" for n in APP_REPORTS if self.tree.is_file(f"{results}/{n}")), None
        )
        claimed: set[str] = set()
        for system_id in systems:
            if system_id in folders:
                claimed.add(system_id)
                self.check_device(division, org, system_id, f"{results}/{system_id}")
            elif shared is not None and len(systems) == 1:
                # One device: its report and logs sit directly in results/ (Samsung, v2.1).
                claimed.update(folders)
                self.check_device(division, org, system_id, results, report=shared)
            else:
                self.note(
                    f"{base}/systems/{system_id}.json",
                    "T2",
                    Level.INFO,
                    "system description without results; ignored",
                )
        if shared is not None and len(systems) != 1:
            self.reject(
                shared,
                "F1",
                f"an app report directly in results/ needs exactly one systems/*.json "
                f"to belong to; found {len(systems)}",
            )
        for folder in sorted(folders - claimed):
            self.reject(f"{results}/{folder}", "F1", f"no systems/{folder}.json for these results")

    # -- one device --------------------------------------------------------

    def check_device(
        self, division: str, org: str, system_id: str, folder: str, report: str | None = None
    ) -> None:
        path = f"{division}/{org}/systems/{system_id}.json"
        description = self.load_object(path)
        if description is None:
            self.reject(folder, "S1", f"not read: its system description {path} is unreadable")
            return
        report = report or next(
            (f"{folder}/{n}" for n in APP_REPORTS if self.tree.is_file(f"{folder}/{n}")), None
        )
        runs: list[dict[str, Any]] = []
        if report is not None:
            runs = self.load_runs(report)
            if not runs:
                return
        platform = ""
        for run in runs:
            env = run.get("environment_info")
            if isinstance(env, dict):
                platform = _text(env.get("platform")) or _text(env.get("os_name")) or platform
        summary = summarise_device(description, system_id, platform)
        if not summary.accelerator:
            # Samsung's v2.1 description names none; the app's backend does ("samsung npu").
            named = {
                _text(item.get("backend_info", {}).get("accelerator_name"))
                for run in runs
                for item in run["results"]
                if isinstance(item, dict) and isinstance(item.get("backend_info"), dict)
            } - {""}
            if len(named) == 1:
                summary = replace(summary, accelerator=named.pop(), accelerators_per_node=1)
        system = SystemRecord(
            division=division,
            submitter=org,
            system_id=system_id,
            path=path,
            description=description,
            summary=summary,
            category=device_category(summary, platform),
        )
        before = len(self.report.results)
        if report is not None:
            self.results_from_report(system, report, runs)
        else:
            self.results_from_summaries(system, folder)
        if len(self.report.results) > before:
            self.report.systems.append(system)

    def load_object(self, path: str) -> dict[str, Any] | None:
        data = self.load(path)
        if data is None:
            return None
        if not isinstance(data, dict):
            self.reject(path, "S1", f"expected a JSON object, found {type(data).__name__}")
            return None
        return data

    def load(self, path: str) -> Any:
        """A JSON file of the tree, or None with the finding that names it."""
        entry = self.tree.get(path)
        if entry is None:
            self.reject(path, "F1", "the file is missing")
            return None
        if entry.truncated:
            self.reject(path, "IN4", "too large to read")
            return None
        try:
            text = (entry.data or b"").decode("utf-8")
        except UnicodeDecodeError:
            self.reject(path, "IN5", "not UTF-8 text")
            return None
        try:
            data, forgiven = load_lenient_json(text)
        except JSONProblem as exc:
            self.reject(path, "S1", str(exc))
            return None
        if forgiven:
            self.note(path, "S1", Level.WARNING, "trailing comma(s) in the JSON; read past them")
        return data

    def load_runs(self, path: str) -> list[dict[str, Any]]:
        """The app's report: one run (v4.0 on) or a list of runs (v2.1)."""
        data = self.load(path)
        if data is None:
            return []
        runs = data if isinstance(data, list) else [data]
        if not runs or not all(
            isinstance(r, dict) and isinstance(r.get("results"), list) for r in runs
        ):
            self.reject(path, "P4", "not an app report: expected an object with a 'results' list")
            return []
        return runs

    # -- results -----------------------------------------------------------

    def benchmark_of(self, key: str) -> BenchmarkRules | None:
        benchmark_id, _ = self.rules.map_benchmark(key)
        return self.rules.benchmarks.get(benchmark_id or "")

    def results_from_report(
        self, system: SystemRecord, path: str, runs: list[dict[str, Any]]
    ) -> None:
        seen: dict[tuple[str, str], str] = {}
        for r, run in enumerate(runs):
            build = run.get("build_info")
            app = _text(build.get("version")) if isinstance(build, dict) else ""
            for i, item in enumerate(run["results"]):
                where = f"{path} [{i}]" if len(runs) == 1 else f"{path} [{r}][{i}]"
                if not isinstance(item, dict):
                    self.reject(where, "P4", "a result entry is not an object")
                    continue
                record = self.result_from_entry(system, where, item, app)
                if record is None:
                    continue
                key = (record.benchmark, record.scenario)
                if key in seen:
                    self.reject(
                        where,
                        "B3",
                        f"{record.benchmark} {record.scenario} is already reported as "
                        f"'{seen[key]}'",
                    )
                    continue
                seen[key] = record.model_folder
                self.report.results.append(record)

    def result_from_entry(
        self, system: SystemRecord, where: str, item: dict[str, Any], app: str
    ) -> ResultRecord | None:
        app_id = _text(item.get("benchmark_id"))
        scenario = self.rules.canonical_scenario(_text(item.get("loadgen_scenario")))
        bench = self.benchmark_of(app_id)
        if bench is None:
            self.reject(
                where,
                "F5",
                f"benchmark_id {app_id or item.get('benchmark_id')!r} is not a "
                f"{self.rules.version} benchmark",
            )
            return None
        if scenario is None or scenario not in bench.suites[SUITE].allowed:
            self.reject(
                where,
                "B2",
                f"{app_id}: loadgen_scenario {item.get('loadgen_scenario')!r} is not one of "
                + ", ".join(bench.suites[SUITE].allowed),
            )
            return None
        performance = item.get("performance_run")
        if not isinstance(performance, dict):
            self.reject(where, "P4", f"{app_id}: no performance_run")
            return None
        value = _figure(performance.get("throughput"))
        if value is None:
            self.reject(
                where,
                "P4",
                f"{app_id}: throughput {performance.get('throughput')!r} is not a positive number",
            )
            return None
        findings = []
        valid = _validity(performance)
        if valid is False:
            self.reject(where, "P1", f"{app_id}: the app reports the performance run INVALID")
            return None
        if valid is None:
            findings.append(
                self.note(where, "N1", Level.WARNING, f"{app_id}: the app reports no validity")
            )
        raw, normalized = _accuracy_text(item.get("accuracy_run"))
        metrics, accuracy = self.accuracy_metrics(bench, raw, normalized)
        if accuracy is None:
            findings.append(
                self.note(where, "A1", Level.WARNING, f"{app_id}: the app reports no accuracy")
            )
        metric = self.rules.metric(bench, scenario)
        settings = item.get("backend_settings")
        settings = settings if isinstance(settings, dict) else {}
        loadgen = performance.get("loadgen")
        kept = {
            "app_version": app,
            "accelerator": _text(settings.get("accelerator_desc")),
            "framework": _first(settings, "framework", "configuration"),
            "model_path": _text(settings.get("model_path")),
            "measured_samples": str(performance.get("measured_samples", "")),
            "start_datetime": _text(performance.get("start_datetime")),
            "accuracy_formatted": raw,
        }
        if isinstance(loadgen, dict) and isinstance(loadgen.get("latency90"), (int, float)):
            kept["latency90_s"] = f"{loadgen['latency90']:g}"
        return ResultRecord(
            division=system.division,
            submitter=system.submitter,
            system_id=system.system_id,
            model_folder=app_id,
            scenario_folder=scenario,
            benchmark=bench.id,
            scenario=scenario,
            value=value * metric.scale,
            unit=metric.unit,
            accuracy=accuracy,
            accuracy_raw=metrics[0]["raw"] if metrics else "",
            inferred=False,
            compliant=None,
            performance={k: v for k, v in kept.items() if v},
            findings=findings,
            accuracy_metrics=metrics,
        )

    def accuracy_metrics(
        self, bench: BenchmarkRules, raw: str, normalized: float | None
    ) -> tuple[list[dict[str, Any]], float | None]:
        """The app's accuracy under the benchmark's metric name, as the app printed it.

        The figure is the number of the app's text ("75.30%" -> 75.30), read with the
        profile's pattern; no target is applied: the published tables show what the
        app reports (the profile's target is 0, and the record's is None).
        """
        rules = bench.primary_accuracy
        match = rules.regex.search(raw) if raw else None
        figure = match.group(1) if match else None
        if figure is None and raw:
            loose = _NUMBER.search(raw)
            figure = loose.group(0) if loose else None
        if figure is None and normalized is not None:
            figure = f"{normalized:g}"
        if figure is None:
            return [], None
        return [
            {
                "metric": rules.metric,
                "value": float(figure),
                "raw": figure,
                "target": None,
                "upper": None,
                "unit": rules.unit,
                "reported": True,
            }
        ], float(figure)

    def results_from_summaries(self, system: SystemRecord, folder: str) -> None:
        """No app report: the scores from the LoadGen summaries the app wrote, no accuracy."""
        missing = self.note(
            folder,
            "N1",
            Level.WARNING,
            "no app report (result.json) for this device: scores are computed from the "
            "LoadGen summaries as the app computes them; no accuracy is published",
        )
        seen: dict[tuple[str, str], str] = {}
        for path in sorted(p for p in self.tree.files if p.startswith(folder + "/")):
            parts = path[len(folder) + 1 :].split("/")
            if parts[-1] != SUMMARY:
                continue
            if len(parts) == 4 and parts[2] == "log_performance":
                key = parts[0]  # <model>/<Scenario>/log_performance/ (v4.0 Qualcomm)
            elif len(parts) == 2 and parts[0].endswith("-performance"):
                key = parts[0].removesuffix("-performance")  # <task>-performance/ (v5.0)
            else:
                continue
            record = self.result_from_summary(system, path, key)
            if record is None:
                continue
            record.findings.append(missing)  # shown beside each of these results
            pair = (record.benchmark, record.scenario)
            if pair in seen:
                self.reject(path, "B3", f"{pair[0]} {pair[1]} is already read from {seen[pair]}")
                continue
            seen[pair] = path
            self.report.results.append(record)

    def result_from_summary(self, system: SystemRecord, path: str, key: str) -> ResultRecord | None:
        bench = self.benchmark_of(key)
        if bench is None:
            self.reject(path, "F5", f"'{key}' is not a {self.rules.version} benchmark")
            return None
        log = parse_summary(self.text(path) or "")
        scenario = self.rules.canonical_scenario(log.scenario or "")
        if scenario is None or scenario not in bench.suites[SUITE].allowed:
            self.reject(path, "B2", f"scenario {log.scenario!r} is not one for {bench.id}")
            return None
        if not log.valid:
            self.reject(path, "P1", "the performance run is not VALID")
            return None
        if scenario == "SingleStream":
            latency = log.number("90th percentile latency (ns)")
            value = 1e9 / latency if latency else None
        else:
            value = log.number("Samples per second")
        if value is None or not math.isfinite(value) or value <= 0:
            self.reject(path, "P4", f"no {scenario} figure in the summary")
            return None
        metric = self.rules.metric(bench, scenario)
        return ResultRecord(
            division=system.division,
            submitter=system.submitter,
            system_id=system.system_id,
            model_folder=key,
            scenario_folder=scenario,
            benchmark=bench.id,
            scenario=scenario,
            value=value * metric.scale,
            unit=metric.unit,
            accuracy=None,
            accuracy_raw="",
            inferred=False,
            compliant=None,
            performance={"source": "mlperf_log_summary.txt"},
            findings=[],
            exact=False,
        )
