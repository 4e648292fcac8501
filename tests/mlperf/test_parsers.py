"""Parsers over real files from the published v0.7 tree (tests/data/samples)."""

import json

import pytest

from mlperf.parsers import (
    JSONProblem,
    clean_int,
    clean_text,
    load_json_object,
    parse_accuracy,
    parse_summary,
    summarise_system,
    system_type_problems,
    verdict,
)

from .conftest import SAMPLES


def summary(name):
    return parse_summary((SAMPLES / "summary" / name).read_text(encoding="utf-8"))


@pytest.mark.parametrize(
    ("name", "scenario", "key", "value"),
    [
        ("offline_atos_resnet50.txt", "Offline", "Samples per second", "11762.3"),
        ("server_nettrix_bert999_run5.txt", "Server", "Scheduled samples per second", "2947.35"),
        (
            "singlestream_atos_resnet50.txt",
            "SingleStream",
            "90th percentile latency (ns)",
            "1258096",
        ),
        ("multistream_nvidia_t4x1_resnet50.txt", "MultiStream", "Samples per query", "272"),
        ("inferred_offline_dividiti_firefly.txt", "SingleStream", "QPS w/o loadgen overhead", None),
        ("submission_mode_fujitsu.txt", "Offline", "Mode", "Submission"),
    ],
)
def test_summary_metric_lines(name, scenario, key, value):
    parsed = summary(name)
    assert parsed.valid
    assert parsed.scenario == scenario  # "Multi Stream" loses its space (§1.1)
    if value is None:
        assert parsed.number(key) > 0
    else:
        assert parsed.get(key) == value


def test_summary_reads_test_parameters():
    parsed = summary("offline_atos_resnet50.txt")
    assert parsed.integer("performance_sample_count") == 2048
    assert parsed.integer("min_duration (ms)") == 60000
    assert parsed.get("qsl_rng_seed") == "12786827339337101903"
    assert parsed.get("99.00 percentile latency (ns)") == "67763350002"
    assert parsed.get("target_latency (ns)") == "0"


def test_summary_with_nul_bytes_in_sut_name():
    parsed = summary("nul_bytes_dividiti_openvino.txt")
    assert "\x00" in (SAMPLES / "summary" / "nul_bytes_dividiti_openvino.txt").read_text()
    assert parsed.valid
    assert parsed.scenario == "SingleStream"
    assert parsed.number("90th percentile latency (ns)") > 0


def test_accuracy_folder_summary_has_no_result_line():
    parsed = summary("accuracy_trailer_only.txt")
    assert not parsed.valid
    assert parsed.scenario is None


@pytest.mark.parametrize(
    ("text", "valid"),
    [
        ("Result is : VALID\n", True),
        ("Result is : INVALID\n", False),
        ("Result is: VALID\n", True),
        ("  Result is : VALID\n", False),  # the checker anchors the line
        ("", False),
    ],
)
def test_validity_line(text, valid):
    assert parse_summary(text).valid is valid


def test_value_stops_at_punctuation():
    # §6.2: '-', '%', ':' and '"' end a value; a later duplicate key wins.
    parsed = parse_summary("a : 12-3\nb : x%y\nc : 1\nc : 2\n")
    assert parsed.values == {"a": "12", "b": "x", "c": "2"}


@pytest.mark.parametrize(
    ("name", "bench_id", "raw", "hashes"),
    [
        ("resnet.txt", "resnet", "75.918", 1),
        ("ssd-large.txt", "ssd-large", "20.111", 1),
        ("rnnt.txt", "rnnt", "92.5545108119687", 1),  # 100 - WER, not WER
        ("bert-99.txt", "bert-99", "90.41426333537149", 1),  # F1, not exact match
        ("dlrm-99.txt", "dlrm-99", "80.185", 1),
        ("dlrm-99.9_intel_manual_auc.txt", "dlrm-99.9", "80.26857129194714", 2),  # Q19
        ("3d-unet-99.txt", "3d-unet-99", "0.85323", 1),  # a fraction, non-ASCII text (Q20)
        ("3d-unet-99_three_hashes.txt", "3d-unet-99", "0.85367", 3),
    ],
)
def test_accuracy_files(rules, name, bench_id, raw, hashes):
    text = (SAMPLES / "accuracy" / name).read_text(encoding="utf-8")
    reading = parse_accuracy(text, rules.benchmarks[bench_id].primary_accuracy.regex)
    assert reading.raw == raw
    assert len(reading.hashes) == hashes


def test_accuracy_without_metric_or_hash(rules):
    reading = parse_accuracy("nothing here\n", rules.benchmarks["resnet"].primary_accuracy.regex)
    assert reading.raw is None and reading.value is None and reading.hashes == []


def load_system(name):
    return json.loads((SAMPLES / "systems" / name).read_text(encoding="utf-8"))


def test_system_summary_strings():
    summary = summarise_system(load_system("atos_T4x2_TRT.json"), "T4x2_TRT")
    assert summary.name == "BullSequana Edge server (2 x T4)"
    assert summary.system_type == "edge"
    assert summary.processor == "Intel(R) Xeon(R) D-2187NT CPU @ 2.00GHz"
    assert summary.processor_count == 1
    assert summary.accelerator == "NVIDIA T4"
    assert summary.accelerator_count == 2
    assert summary.software == "CUDA 11.0"
    assert summary.notes == "Hyper-Threading On"


def test_system_summary_integers_and_dash_markers():
    data = load_system("centaur_0_ints.json")
    assert system_type_problems(data) == []  # ints are fine in numeric fields (Q1)
    summary = summarise_system(data, "0")
    assert (summary.nodes, summary.processors_per_node, summary.accelerator_count) == (1, 1, 1)
    assert summary.processor_cores == "8"


def test_system_summary_cpu_only_and_big_little():
    summary = summarise_system(load_system("dividiti_big_little.json"), "firefly")
    assert summary.processor_cores == "2 (big); 4 (LITTLE)"  # kept as text (Q9)
    assert summary.accelerator == "" and summary.accelerator_count == 0


def test_system_type_problems_for_text_fields():
    data = load_system("atos_T4x2_TRT.json")
    data["system_name"] = 7
    data["accelerators_per_node"] = [2]
    data["hw_notes"] = None
    assert system_type_problems(data) == [
        "accelerators_per_node is list, expected a string",
        "hw_notes is null, expected a string",
        "system_name is int, expected a string",
    ]


@pytest.mark.parametrize(
    ("value", "text", "number"),
    [
        (" 4 ", "4", 4),
        (4, "4", 4),
        ("-", "", None),
        ("N/A", "", None),
        (" ", "", None),
        ("none", "", None),
        ("128 GB DDR4 + 512 GB AEP  ", "128 GB DDR4 + 512 GB AEP", None),
        (True, "True", None),
    ],
)
def test_clean_values(value, text, number):
    assert clean_text(value) == text
    assert clean_int(value) == number


@pytest.mark.parametrize("text", ["{", "[1, 2]", '"x"', ""])
def test_load_json_object_rejects(text):
    with pytest.raises(JSONProblem):
        load_json_object(text)


@pytest.mark.parametrize(
    ("name", "outcome"),
    [
        ("accuracy_pass.txt", True),
        ("performance_pass.txt", True),
        ("performance_fail.txt", False),
        ("performance_no_verdict.txt", None),
    ],
)
def test_verdicts(name, outcome):
    assert verdict((SAMPLES / "verify" / name).read_text()) is outcome
