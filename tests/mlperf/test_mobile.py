"""The MLPerf Mobile reader: the app's layout, small hand-built trees, hostile input."""

import io
import json
import tarfile

import pytest

from mlperf import bundled_versions, check_tree, load_round_rules, read_tree
from mlperf.mobile import MobileChecker
from mlperf.names import canonical_part_name
from mlperf.registry import checker_class
from tests.round_trees import PHONE
from tests.round_trees import app_report as report
from tests.round_trees import legacy_mobile_entry as legacy_entry
from tests.round_trees import mobile_entry as entry

ORG = "closed/Qualcomm"


def good_tree():
    return {
        f"{ORG}/systems/SD8G3.json": json.dumps(PHONE),
        f"{ORG}/results/SD8G3/result.json": json.dumps(
            report(
                entry("image_classification_v2", "SingleStream", 1153.7072652407614),
                entry("image_classification_offline_v2", "Offline", 1637.9, "82.18%"),
                entry("super_resolution", "SingleStream", 161.92, "33.39 dB"),
            )
        ),
    }


def write(root, files):
    for path, text in files.items():
        target = root / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(text if isinstance(text, bytes) else text.encode())
    return root


def check(tmp_path, files, version="mobile-v4.0"):
    rules = load_round_rules(version)
    return check_tree(read_tree(write(tmp_path / "tree", files), rules=rules), rules)


def errors(result):
    return [(f.path, f.rule, f.message) for f in result.errors]


def test_the_mobile_profiles_are_bundled_and_name_the_mobile_era():
    versions = bundled_versions()
    assert {"mobile-v2.1", "mobile-v4.0", "mobile-v5.0"} <= set(versions)
    # Inference rounds first, by number; the mobile rounds with them by number.
    assert versions.index("v0.7") < versions.index("mobile-v2.1")
    for version in ("mobile-v2.1", "mobile-v4.0", "mobile-v5.0"):
        rules = load_round_rules(version)
        assert checker_class(rules) is MobileChecker
        assert rules.suites == ("mobile",)
        assert [c.slug for c in rules.categories] == ["phones", "notebooks"]


def test_a_device_report_gives_the_apps_scores_and_accuracies(tmp_path):
    result = check(tmp_path, good_tree())
    assert errors(result) == []
    (system,) = result.systems
    assert system.category == "phones"
    assert system.summary.name == "Vivo IQOO 12"
    assert system.summary.processor == "Qualcomm Snapdragon 8 Gen 3 Mobile Platform"
    assert system.summary.accelerator == "Qualcomm Hexagon(TM) NPU"
    by = {(r.benchmark, r.scenario): r for r in result.results}
    assert set(by) == {
        ("image_classification_v2", "SingleStream"),
        ("image_classification_v2", "Offline"),
        ("super_resolution", "SingleStream"),
    }
    ic = by["image_classification_v2", "SingleStream"]
    assert (ic.value, ic.unit) == (1153.7072652407614, "queries/s")
    assert (ic.accuracy, ic.accuracy_raw) == (82.14, "82.14")
    assert ic.accuracy_metrics[0]["metric"] == "Top-1"
    assert ic.performance["accuracy_formatted"] == "82.14%"
    assert ic.compliant is None and ic.model_folder == "image_classification_v2"
    assert by["image_classification_v2", "Offline"].unit == "samples/s"
    sr = by["super_resolution", "SingleStream"]
    assert (sr.accuracy, sr.accuracy_metrics[0]["metric"]) == (33.39, "PSNR")


def test_v2_1_list_report_directly_in_results_belongs_to_the_only_device(tmp_path):
    v21 = report(legacy_entry("IC_tpu_uint8", "SingleStream", 3427.04, "75.39%", 0.7539))
    files = {
        "closed/Samsung/systems/exynos2300.json": json.dumps(
            {"status": "research", "system_name": "Exynos 2300 ERD"}
        ),
        "closed/Samsung/results/results.json": json.dumps([v21]),
        "closed/Samsung/results/mobilenetEdgeTPU/SingleStream/log_performance/"
        "mlperf_log_summary.txt": "Result is : VALID\n",
    }
    result = check(tmp_path, files, "mobile-v2.1")
    assert errors(result) == []
    (record,) = result.results
    assert (record.system_id, record.benchmark, record.value) == (
        "exynos2300",
        "image_classification",
        3427.04,
    )
    assert record.accuracy == 75.39
    (system,) = result.systems
    assert system.summary.status == "research"
    assert system.summary.accelerator == "HTP"  # the app's backend, the description has none


SUMMARY_SS = """Scenario : SingleStream
Mode     : PerformanceOnly
90th percentile latency (ns) : 1256200
Result is : VALID
"""
SUMMARY_OFFLINE = "Scenario : Offline\nSamples per second: 1105.8\nResult is : VALID\n"


def test_a_laptop_without_an_app_report_scores_from_its_summaries(tmp_path):
    laptop = json.loads(json.dumps(PHONE))
    laptop["software"]["OS Version"] = "Windows 11 - 24H2"
    base = f"{ORG}/results/SDX_Elite"
    files = {
        f"{ORG}/systems/SDX_Elite.json": json.dumps(laptop),
        f"{base}/mobilenetV4/SingleStream/log_performance/mlperf_log_summary.txt": SUMMARY_SS,
        f"{base}/mobilenetV4/SingleStream/log_accuracy/mlperf_log_summary.txt": "",
        f"{base}/mobilenetV4/Offline/log_performance/mlperf_log_summary.txt": SUMMARY_OFFLINE,
    }
    result = check(tmp_path, files)
    assert errors(result) == []
    (system,) = result.systems
    assert system.category == "notebooks"
    by = {r.scenario: r for r in result.results}
    assert by["SingleStream"].value == pytest.approx(1e9 / 1256200)
    assert by["Offline"].value == 1105.8
    assert all(r.accuracy is None and not r.exact for r in result.results)
    assert any(f.rule == "N1" and f.path == base for f in result.warnings)
    assert all([f.rule for f in r.findings] == ["N1"] for r in result.results)
    assert system.summary.name == "Vivo IQOO 12"


def test_trailing_commas_of_a_published_description_are_forgiven_with_a_warning(tmp_path):
    files = good_tree()
    files[f"{ORG}/systems/SD8G3.json"] = '{"system": {"Processor Name": "SD 8 Elite",},}'
    result = check(tmp_path, files)
    assert errors(result) == []
    assert [(f.path, f.rule) for f in result.warnings] == [(f"{ORG}/systems/SD8G3.json", "S1")]


def test_bad_json_is_refused_naming_the_file(tmp_path):
    files = good_tree()
    files[f"{ORG}/results/SD8G3/result.json"] = '{"results": [ {"benchmark_id": '
    result = check(tmp_path, files)
    assert result.results == [] and not result.acceptable
    ((path, rule, message),) = errors(result)
    assert (path, rule) == (f"{ORG}/results/SD8G3/result.json", "S1")
    assert "not valid JSON" in message and "line 1" in message


def test_a_report_that_is_not_the_apps_is_refused(tmp_path):
    files = good_tree()
    files[f"{ORG}/results/SD8G3/result.json"] = json.dumps({"benchmarks": []})
    ((path, rule, message),) = errors(check(tmp_path, files))
    assert (path, rule) == (f"{ORG}/results/SD8G3/result.json", "P4")
    assert "'results' list" in message


def test_a_missing_system_description_names_the_file_it_expects(tmp_path):
    files = good_tree()
    del files[f"{ORG}/systems/SD8G3.json"]
    files[f"{ORG}/systems/other.json"] = json.dumps(PHONE)
    result = check(tmp_path, files)
    assert (f"{ORG}/results/SD8G3", "F1", "no systems/SD8G3.json for these results") in errors(
        result
    )
    assert result.results == []


def test_unknown_benchmarks_invalid_runs_and_odd_figures_are_refused_one_by_one(tmp_path):
    files = good_tree()
    files[f"{ORG}/results/SD8G3/result.json"] = json.dumps(
        report(
            entry("image_classification_v2", "SingleStream", 1153.7),
            entry("warp_drive", "SingleStream", 10.0),
            entry("object_detection", "SingleStream", 99.0, valid=False),
            entry("super_resolution", "SingleStream", "fast"),
            entry("image_segmentation_v2", "Offline", 10.0),
            entry("image_classification_v2", "SingleStream", 1.0),
            "not an object",
        )
    )
    result = check(tmp_path, files)
    path = f"{ORG}/results/SD8G3/result.json"
    assert [(p, rule) for p, rule, _ in errors(result)] == [
        (f"{path} [1]", "F5"),
        (f"{path} [2]", "P1"),
        (f"{path} [3]", "P4"),
        (f"{path} [4]", "B2"),
        (f"{path} [5]", "B3"),
        (f"{path} [6]", "P4"),
    ]
    assert [(r.benchmark, r.value) for r in result.results] == [("image_classification_v2", 1153.7)]


def test_a_result_without_accuracy_is_kept_with_a_warning(tmp_path):
    files = good_tree()
    files[f"{ORG}/results/SD8G3/result.json"] = json.dumps(
        report(entry("object_detection", "SingleStream", 2459.3, accuracy=None))
    )
    result = check(tmp_path, files)
    (record,) = result.results
    assert record.accuracy is None and record.accuracy_metrics == []
    assert [f.rule for f in result.warnings] == ["A1"]


def test_hostile_archives_are_refused_as_the_inference_reader_refuses_them(tmp_path):
    archive = tmp_path / "mobile.tar.gz"
    with tarfile.open(archive, "w:gz") as tar:
        for name, text in [*good_tree().items(), ("../../etc/evil.json", "{}")]:
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo(f"{ORG}/results/SD8G3/link.json")
        link.type, link.linkname = tarfile.SYMTYPE, "/etc/passwd"
        tar.addfile(link)
    rules = load_round_rules("mobile-v4.0")
    result = check_tree(read_tree(archive, rules=rules), rules)
    rules_hit = {f.rule for f in result.findings}
    assert {"IN2", "IN3"} <= rules_hit
    assert len(result.results) == 3  # what is safe is still read


def test_the_policy_keeps_the_apps_files_and_only_sizes_the_rest():
    policy = MobileChecker.file_policy
    assert policy(f"{ORG}/results/SD8G3/result.json") == "keep"
    assert policy("closed/Samsung/results/results.json") == "keep"
    assert policy(f"{ORG}/systems/SD8G3.json") == "keep"
    assert policy(f"{ORG}/results/SD8G3/EDSR/SingleStream/log_performance/mlperf_log_summary.txt")
    assert policy(f"{ORG}/results/SD8G3/screenshot.png") == "size"
    assert policy(f"{ORG}/results/SD8G3/mlperf_log_detail.txt") == "size"


@pytest.mark.parametrize(
    ("submitted", "canonical"),
    [
        ("Qualcomm Snapdragon 8s Gen 3 Mobile Platform", "Qualcomm Snapdragon 8s Gen 3"),
        ("Qualcomm Snapdragon 8+ Gen 1", "Qualcomm Snapdragon 8+ Gen 1"),
        ("Qualcomm Snapdragon X Elite Platform", "Qualcomm Snapdragon X Elite"),
        ("Qualcomm Snapdragon 8 Elite Mobile Platform", "Qualcomm Snapdragon 8 Elite"),
        ("exynos2300", "Samsung Exynos 2300"),
        ("Exynos 2400", "Samsung Exynos 2400"),
        ("Qualcomm Hexagon Processor: Hexagon Tensor Processor (HTP)", "Qualcomm Hexagon NPU"),
        ("samsung npu", "Samsung NPU"),
    ],
)
def test_mobile_parts_have_canonical_names(submitted, canonical):
    assert canonical_part_name(submitted) == canonical
