"""A small submission tree in the layout of any round, written from its profile.

    root = write_tree(tmp_path, rules, [Case("resnet", "edge", {...})])

One submitter (closed/Acme), one system, the benchmarks and scenarios named,
with the files the round's checker reads: the system JSON with every field
the round requires, the measurement files, performance logs (the summary log
until v0.7; ``:::MLLOG`` detail logs from v1.0), accuracy.txt with a line per
accuracy metric inside its window, the compliance tests of the round, and
power files where a case asks for them. Where the files go follows the era:
``audit/`` (which v0.5's checker does not read) in v0.5, ``measurements/`` and
``compliance/`` beside ``results/`` until v5.1, inside the result folder from
v6.0 (rounds §2.1).

The mobile rounds have the MLPerf Mobile app's layout instead (data/README.md,
"The mobile suite"): ``systems/<id>.json`` describing a phone or a notebook,
the app's report ``results/<id>/result.json`` (v2.1: ``results.json``, a list
of runs) with a score and an accuracy per benchmark, and the LoadGen summary
of each run in ``results/<id>/<model>/<scenario>/log_performance/``.

The figures come from ``FIGURES``, one distinct number per log key, so a test
can say which key a result's figure was read from.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from mlperf.profiles import RoundRules

SUBMITTER = "Acme"
SYSTEM = "box1"
SYSTEM_NAME = "Acme Box 1"
IMPL = "impl"

# A distinct figure per log key (detail keys from v1.0, summary words until v0.7).
FIGURES = {
    "result_samples_per_second": 1001.0,
    "result_scheduled_samples_per_sec": 1002.0,
    "result_completed_samples_per_sec": 1003.0,
    "result_tokens_per_second": 2001.0,
    "result_completed_tokens_per_second": 2002.0,
    "result_inferred_tokens_per_second": 2003.0,
    "result_inferred_completed_tokens_per_second": 2004.0,
    "result_90.00_percentile_latency_ns": 2_000_000,
    "early_stopping_latency_ss": 3_000_000,
    "early_stopping_latency_ms": 4_000_000,
    "Samples per second": 1001.0,
    "Scheduled samples per second": 1002.0,
    "90th percentile latency (ns)": 2_000_000,
    "Samples per query": 16,
    # The MLPerf Mobile app's score, as its report writes it (performance_run.throughput).
    "throughput": 1153.7072652407614,
}
# Legacy MultiStream (v0.5 to v1.1) reports its streams: the samples per query.
STREAMS = 16
OFFLINE_SAMPLES_PER_QUERY = 24576
WATTS = 300.0
POWER_SECONDS = 10
QUERY_COUNT = 1000
QPS_WITH_OVERHEAD = 100.0

SUMMARY_SCENARIO = {
    "SingleStream": "Single Stream",
    "MultiStream": "Multi Stream",
    "Server": "Server",
    "Offline": "Offline",
}

# A line of accuracy.txt that each metric's pattern reads (rounds §5.1 shows the shapes).
DICT_KEYS = {
    "ROUGE1": "rouge1",
    "ROUGE2": "rouge2",
    "ROUGEL": "rougeL",
    "ROUGELSUM": "rougeLsum",
    "GEN_LEN": "gen_len",
    "TOKENS_PER_SAMPLE": "tokens_per_sample",
    "gsm8k_accuracy": "gsm8k",
    "mbxp_accuracy": "mbxp",
    "exact_match": "exact_match",
    "CLIP_SCORE": "CLIP_SCORE",
    "FID_SCORE": "FID_SCORE",
    "vbench_score": "vbench_score",
}
LINES = {
    "Top-1": "accuracy={}%, good=1, total=1",
    "acc": "accuracy={}%, good=1, total=1",
    "mAP": "mAP={}%",
    "BLEU": "BLEU: {}",
    "F1": '{{"exact_match": 80.0, "f1": {}}}',
    "AUC": "AUC={}",
    "Accuracy (100 - WER)": "Word Error Rate: 7.0%, accuracy={}%",
    "ACCURACY": "Word Error Rate: 2.0%, accuracy={}%",
    "DICE": "Accuracy: mean = {}",
    "Mean DICE": "Accuracy: mean = {}",
    "F1_HIERARCHICAL": '{{"f1": {}}}',
    "DLRM_NE": "WARNING:main:metric/lifetime_ne/rating: {}",
    "DLRM_ACC": "WARNING:main:metric/lifetime_accuracy/rating: {}",
    "DLRM_AUC": "WARNING:main:metric/lifetime_gauc/rating: {}",
    "E2E_ACCURACY": "Accuracy: {}",
}


class NoTreeBuilder(LookupError):
    """The round's layout or one of its accuracy metrics is not one this module writes."""


# The layout of each checker era this module can write.
LAYOUTS = {
    "v0.5": "audit",
    "mobile": "mobile",
    "v0.7": "summary",
    "v1.0": "detail",
    "v2.0": "detail",
    "v4.0": "detail",
    "v5.1": "detail",
    "v6.0": "merged",
}
# The layouts whose figures are read from the summary log (until v0.7).
SUMMARY_LAYOUTS = ("audit", "summary")
# v0.5's audit tests, in audit/ beside results/ (rounds §2.1); its checker reads none.
AUDIT_TESTS = ("TEST01", "TEST03", "TEST04-A", "TEST04-B", "TEST05")


@dataclass
class Case:
    benchmark: str
    suite: str
    # scenario -> (the log key its figure must come from, the unit), from the round's rules
    figures: dict[str, tuple[str, str]]
    # the scenario measured for power and the unit its figure must have
    power: tuple[str, str] | None = None
    folder: str = ""
    scenario_folders: dict[str, str] = field(default_factory=dict)


def accuracy_value(rule) -> float:
    if rule.upper is not None:
        return (max(rule.target, 0) + rule.upper) / 2
    return rule.target * 1.001 if rule.target else 1.0


def accuracy_text(rules: RoundRules, benchmark: str) -> tuple[str, dict[str, float]]:
    """accuracy.txt for the benchmark: its metrics inside their windows, then a hash line."""
    bench = rules.benchmarks[benchmark]
    values = {rule.metric: round(accuracy_value(rule), 4) for rule in bench.accuracy}
    lines, in_dict = [], {}
    for rule in bench.accuracy:
        value = values[rule.metric]
        if rule.metric in DICT_KEYS:
            in_dict[DICT_KEYS[rule.metric]] = value
        elif rule.metric in LINES:
            lines.append(LINES[rule.metric].format(f"{value:.4f}"))
        else:
            raise NoTreeBuilder(f"no accuracy.txt line for {benchmark}'s {rule.metric}")
    if in_dict:
        lines.append("{" + ", ".join(f"'{k}': {v:.4f}" for k, v in in_dict.items()) + "}")
    text = "\n".join(lines) + "\nhash=0123456789abcdef\n"
    for rule in bench.accuracy:
        if not any(rule.regex.match(line) for line in text.splitlines()):
            raise NoTreeBuilder(f"{benchmark}'s {rule.metric}: {rule.pattern!r} reads no line")
    return text, values


def _mllog(key: str, value) -> str:
    return ":::MLLOG " + json.dumps({"key": key, "value": value, "time_ms": 0, "metadata": {}})


def detail_log(rules: RoundRules, benchmark: str, scenario: str, *, power: bool) -> str:
    bench = rules.benchmarks[benchmark]
    logged = rules.scenarios[scenario].log_scenario or scenario
    values: dict[str, object] = {
        "effective_scenario": logged,
        "result_validity": "VALID",
        "early_stopping_met": True,
        "effective_performance_sample_count": bench.qsl_size,
        "effective_min_duration_ms": max(rules.min_duration_ms, 600000),
        "effective_min_query_count": 270336,
        "result_query_count": QUERY_COUNT,
        "result_qps_with_loadgen_overhead": QPS_WITH_OVERHEAD,
        "generated_query_count": QUERY_COUNT,
        "generated_samples_per_query": 1,
        "result_mean_latency_ns": 1_500_000,
        "result_50.00_percentile_latency_ns": 1_000_000,
        "result_99.00_percentile_latency_ns": 2_500_000,
        "effective_samples_per_query": (
            OFFLINE_SAMPLES_PER_QUERY
            if scenario == "Offline"
            else STREAMS
            if scenario == "MultiStream"
            else 1
        ),
        "requested_use_token_latencies": True,
    }
    values.update((k, v) for k, v in FIGURES.items() if "_" in k)  # the detail keys
    values.update({f"effective_{k}": int(v) for k, v in rules.seeds.items()})
    limits = bench.scenarios.get(scenario)
    if limits is not None and limits.min_samples_per_query:  # per model from v4.0 (§6.4)
        values["effective_samples_per_query"] = max(
            OFFLINE_SAMPLES_PER_QUERY, limits.min_samples_per_query
        )
    if limits is not None and limits.ttft_ms is not None:
        values["result_first_token_99.00_percentile_latency_ns"] = int(limits.ttft_ms * 0.5e6)
    if limits is not None and limits.tpot_ms is not None:
        values["result_time_per_output_token_99.00_percentile_ns"] = int(limits.tpot_ms * 0.5e6)
    if power:
        values["power_begin"] = "03-18-2021 21:29:00.000"
        values["power_end"] = f"03-18-2021 21:29:{POWER_SECONDS:02d}.000"
    return "\n".join(_mllog(k, v) for k, v in values.items()) + "\n"


def summary_log(rules: RoundRules, benchmark: str, scenario: str) -> str:
    """The summary log in v0.7's words (later rounds keep it for display only)."""
    bench = rules.benchmarks[benchmark]
    metric = rules.scenarios[scenario].metric
    figure = FIGURES.get(metric, 1.0)
    seeds = "".join(f"{k} : {v}\n" for k, v in rules.seeds.items())
    return (
        "================================================\n"
        "MLPerf Results Summary\n"
        "================================================\n"
        "SUT name : SUT\n"
        f"Scenario : {SUMMARY_SCENARIO[rules.scenarios[scenario].log_scenario or scenario]}\n"
        "Mode     : PerformanceOnly\n"
        f"{metric} : {figure}\n"
        "Result is : VALID\n\n"
        "================================================\n"
        "Test Parameters Used\n"
        "================================================\n"
        f"samples_per_query : {OFFLINE_SAMPLES_PER_QUERY if scenario == 'Offline' else 1}\n"
        "min_duration (ms): 600000\n"
        "min_query_count : 270336\n"
        f"{seeds}"
        f"performance_sample_count : {bench.qsl_size}\n\n"
        "No warnings encountered during test.\n\nNo errors encountered during test.\n"
    )


def system_json(rules: RoundRules, suite: str) -> dict:
    data: dict[str, object] = {name: "n/a" for name in rules.system_fields.required}
    data.update(
        division="closed",
        submitter=SUBMITTER,
        status="available",
        system_name=SYSTEM_NAME,
        system_type=suite,
        number_of_nodes=1,
        host_processors_per_node=2,
        host_processor_core_count=32,
        host_processor_model_name="Acme CPU 9000",
        accelerators_per_node=4,
        accelerator_model_name="Acme Accelerator A1",
        framework="AcmeRT 1.0",
        operating_system="Linux",
    )
    return data


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")


def write_tree(root: Path, rules: RoundRules, cases: list[Case]) -> Path:
    layout = LAYOUTS.get(rules.checker)
    if layout is None:
        raise NoTreeBuilder(f"{rules.version}: no tree builder for the {rules.checker} era")
    suites = {case.suite for case in cases}
    if len(suites) != 1:
        raise ValueError("one system: every case in one suite")
    if layout == "mobile":
        return write_mobile_tree(root, rules, cases, suites.pop())
    base = root / "closed" / SUBMITTER
    write(base / "systems" / f"{SYSTEM}.json", json.dumps(system_json(rules, suites.pop())))
    for case in cases:
        bench = rules.benchmarks[case.benchmark]
        model = case.folder or bench.folder
        code = base / ("src" if layout == "merged" else "code") / model / IMPL
        write(code / "README.md", "How to run it.\n")
        acc_text, _ = accuracy_text(rules, case.benchmark)
        for scenario in case.figures:
            folder = case.scenario_folders.get(scenario, scenario)
            result = base / "results" / SYSTEM / model / folder
            power = case.power is not None and case.power[0] == scenario
            # Only a folder spelled as its scenario has the scenario's runs (Server: 5 in v0.5).
            runs = rules.scenarios[scenario].runs if folder == scenario else 1
            _write_result(rules, layout, base, result, model, folder, case.benchmark, scenario)
            _write_runs(
                rules, layout, result / "performance", case.benchmark, scenario, power, runs
            )
            accuracy = result / "accuracy"
            write(accuracy / "accuracy.txt", acc_text)
            write(accuracy / "mlperf_log_accuracy.json", "[]\n")
            write(accuracy / "mlperf_log_summary.txt", summary_log(rules, case.benchmark, scenario))
            if layout in SUMMARY_LAYOUTS:
                write(accuracy / "mlperf_log_detail.txt", "No errors.\n")
            else:
                write(
                    accuracy / "mlperf_log_detail.txt",
                    detail_log(rules, case.benchmark, scenario, power=False),
                )
            if layout == "audit":
                _write_audit(
                    rules, base / "audit" / SYSTEM / model / folder, case.benchmark, scenario
                )
                continue
            compliance = (
                result if layout == "merged" else base / "compliance" / SYSTEM / model / folder
            )
            _write_compliance(rules, layout, compliance, case.benchmark, scenario)
    return root


def _write_result(rules, layout, base, result, model, folder, benchmark, scenario) -> None:
    implementation = {
        "starting_weights_filename": "model.onnx",
        "weight_transformations": "none",
        "weight_data_types": "int8",
        "input_data_types": "int8",
        "retraining": "no",
    }
    if layout == "merged":
        where = result
        write(where / "measurements.json", json.dumps(implementation))
    else:
        where = base / "measurements" / SYSTEM / model / folder
        write(where / f"{SYSTEM}_{IMPL}_{folder}.json", json.dumps(implementation))
    write(where / "mlperf.conf", "*.Offline.min_query_count = 1\n")
    write(where / "user.conf", f"*.{scenario}.target_qps = 1000\n")
    write(where / "README.md", "Acme's result.\n")


def _write_run(rules, layout, run, benchmark, scenario, power) -> None:
    write(run / "mlperf_log_summary.txt", summary_log(rules, benchmark, scenario))
    if layout == "audit":  # v0.5's checker wants the three logs in a run folder (rounds §2.7)
        write(run / "mlperf_log_accuracy.json", "[]\n")
    if layout in SUMMARY_LAYOUTS:
        write(run / "mlperf_log_detail.txt", "No errors.\n")
    else:
        write(run / "mlperf_log_detail.txt", detail_log(rules, benchmark, scenario, power=power))


def _write_runs(rules, layout, performance, benchmark, scenario, power, runs=1) -> None:
    for index in range(1, runs + 1):
        _write_run(rules, layout, performance / f"run_{index}", benchmark, scenario, power)
    if not power:
        return
    samples = "".join(
        f"Time,03-18-2021 21:29:{second:02d}.500,Watts,{WATTS:f},Volts,230.0,Amps,1.3,"
        "PF,0.99,Mark,acme_testing\n"
        for second in range(POWER_SECONDS)
    )
    for name in ("run_1", "ranging"):
        write(performance / name / "spl.txt", samples)
    _write_run(rules, layout, performance / "ranging", benchmark, scenario, True)
    power_dir = performance / "power"
    write(power_dir / "client.json", json.dumps({"session_name": "acme", "timezone": 0}))
    write(power_dir / "server.json", json.dumps({"timezone": 0}))
    for name in ("client.log", "server.log", "ptd_logs.txt"):
        write(power_dir / name, "ok\n")


def _write_compliance(rules, layout, compliance, benchmark, scenario) -> None:
    row = rules.benchmarks[benchmark].scenarios.get(scenario)
    for test in row.compliance if row else ():
        path = compliance / test
        if test == "TEST06":
            write(
                path / "verify_accuracy.txt",
                "First token check pass: True\nEOS check pass: True\n"
                "Sample length check pass: True\nTEST06 verification complete\n",
            )
            continue
        if test in ("TEST07", "TEST08"):
            write(path / "verify_accuracy.txt", "TEST PASS\n")
            continue
        if test == "TEST09":
            write(path / "verify_output_len.txt", "TEST PASS\n")
            continue
        _write_run(rules, layout, path / "performance" / "run_1", benchmark, scenario, False)
        if test == "TEST04-B":
            continue
        write(path / "verify_performance.txt", "TEST PASS\n")
        if test == "TEST01":
            write(path / "verify_accuracy.txt", "TEST PASS\n")


def _write_audit(rules, audit, benchmark, scenario) -> None:
    for test in AUDIT_TESTS:
        path = audit / test
        _write_run(rules, "audit", path / "performance" / "run_1", benchmark, scenario, False)
        if test == "TEST04-B":
            continue
        write(path / "verify_performance.txt", "TEST PASS\n")
        if test == "TEST01":
            write(path / "verify_accuracy.txt", "TEST PASS\n")


# -- the mobile suite: the MLPerf Mobile app's layout (data/README.md) ----------------------

# A phone's description as v4.0 on nests it (v2.1 writes it flat; the reader takes both).
PHONE = {
    "system": {
        "Processor Name": "Qualcomm Snapdragon 8 Gen 3 Mobile Platform",
        "Accelerator type": "Qualcomm Hexagon(TM) NPU",
        "DRAM": "2xLPDDr5 12+12GB",
    },
    "notes": {"Phone summary": "Vivo IQOO 12"},
    "software": {"OS Version": "Android 14", "Vendor SDK": "QNN SDK v2.20.0"},
}
# The operating system of each kind of device: a Windows (or macOS) machine is a notebook.
DEVICE_OS = {"phones": ("Android 14", "android"), "notebooks": ("Windows 11 - 24H2", "windows")}
# The accuracy as the app prints it (shapes from the published v4.0 reports) and normalised.
APP_ACCURACY = {
    "Top-1": ("82.14%", 0.8214),
    "mAP": ("0.2740 mAP", 0.274),
    "mIoU": ("0.5841 mIoU", 0.5841),
    "F1": ("94.4667", 0.944667),
    "PSNR": ("33.39 dB", 0.3339),
    "CLIP score": ("31.6502", 0.316502),
}
# The round whose app wrote results.json, a list of runs with bare numbers (data/README.md).
LIST_REPORTS = ("mobile-v2.1",)


def app_accuracy(rules: RoundRules, benchmark: str) -> tuple[str, str, float]:
    """The benchmark's metric, the app's text of it and the figure that text says."""
    metric = rules.benchmarks[benchmark].primary_accuracy.metric
    if metric not in APP_ACCURACY:
        raise NoTreeBuilder(f"no app accuracy text for {benchmark}'s {metric}")
    text = APP_ACCURACY[metric][0]
    return metric, text, float(text.split()[0].rstrip("%"))


def mobile_entry(
    benchmark_id, scenario, throughput, accuracy="82.14%", valid=True, normalized=0.8214
):
    """One benchmark of the app's report as v4.0 on writes it."""
    return {
        "benchmark_id": benchmark_id,
        "benchmark_name": benchmark_id,
        "loadgen_scenario": scenario,
        "backend_settings": {"accelerator_desc": "HTP", "framework": "SNPE"},
        "backend_info": {"accelerator_name": "HTP"},
        "performance_run": {
            "throughput": {"value": throughput},
            "loadgen": {"latency90": 0.000866771, "is_result_valid": valid},
        },
        "accuracy_run": {
            "accuracy": {"normalized": normalized, "formatted": accuracy} if accuracy else None
        },
    }


def legacy_mobile_entry(benchmark_id, scenario, throughput, accuracy, normalized):
    """The same as v2.1's app wrote it: bare numbers, ``loadgen_validity``, ``string``."""
    item = mobile_entry(benchmark_id, scenario, throughput)
    item["performance_run"] = {"throughput": throughput, "loadgen_validity": True}
    item["accuracy_run"] = {"accuracy": {"value": normalized, "string": accuracy}}
    return item


def app_report(*entries, platform="android"):
    return {
        "meta": {"uuid": "x"},
        "results": list(entries),
        "environment_info": {"platform": platform},
        "build_info": {"version": "4.0.0"},
    }


def device_json(kind: str) -> dict:
    os_name, _ = DEVICE_OS[kind]
    return {
        "system": {"Processor Name": "Acme SoC 9 Mobile Platform", "Accelerator type": "Acme NPU"},
        "notes": {"Phone summary": SYSTEM_NAME},
        "software": {"OS Version": os_name, "Vendor SDK": "AcmeSDK 1.0"},
    }


def mobile_summary_log(scenario: str) -> str:
    """The run's LoadGen summary, with the summary words' own figures, not the app's score.

    The reader scores from it only when a device has no app report; a figure of
    1 / 2 ms = 500 queries/s (or 1001 samples/s) would say it read this instead.
    """
    key = "90th percentile latency (ns)" if scenario == "SingleStream" else "Samples per second"
    return (
        f"Scenario : {SUMMARY_SCENARIO[scenario]}\nMode     : PerformanceOnly\n"
        f"{key} : {FIGURES[key]}\nResult is : VALID\n"
    )


def write_mobile_tree(root: Path, rules: RoundRules, cases: list[Case], kind: str) -> Path:
    """One device of the kind (``phones`` or ``notebooks``, a case's suite) and its report.

    A case's ``scenario_folders`` name the app's benchmark_id of a scenario (its
    Offline id is another, "image_classification_offline_v2"); the default is the
    benchmark's own id.
    """
    if kind not in DEVICE_OS:
        raise ValueError(f"a mobile case's suite is the kind of device: {', '.join(DEVICE_OS)}")
    base = root / "closed" / SUBMITTER
    write(base / "systems" / f"{SYSTEM}.json", json.dumps(device_json(kind)))
    legacy = rules.version in LIST_REPORTS
    entries = []
    for case in cases:
        _, text, _ = app_accuracy(rules, case.benchmark)
        normalized = APP_ACCURACY[rules.benchmarks[case.benchmark].primary_accuracy.metric][1]
        for scenario, (key, _unit) in case.figures.items():
            app_id = case.scenario_folders.get(scenario, case.benchmark)
            make = legacy_mobile_entry if legacy else mobile_entry
            entries.append(make(app_id, scenario, FIGURES[key], text, normalized=normalized))
            logs = base / "results" / SYSTEM / (case.folder or app_id) / scenario
            write(logs / "log_performance" / "mlperf_log_summary.txt", mobile_summary_log(scenario))
            write(logs / "log_accuracy" / "mlperf_log_summary.txt", mobile_summary_log(scenario))
    report = app_report(*entries, platform=DEVICE_OS[kind][1])
    name, data = ("results.json", [report]) if legacy else ("result.json", report)
    write(base / "results" / SYSTEM / name, json.dumps(data, indent=1))
    return root
