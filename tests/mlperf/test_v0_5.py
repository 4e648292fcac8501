"""v0.5's own rules (mlperf/rounds/v0_5.py) on small real folders of the bundled v0.5 tree."""

import json
import shutil
import tarfile

import pytest

from mlperf import ProfileError, RoundRules, check_tree, load_round_rules, read_tree
from mlperf.profiles import load_round_data
from mlperf.registry import checker_class
from mlperf.rounds.v0_5 import V05Checker

from .conftest import REPO

BUNDLE = REPO / "data" / "inference_results_v0.5.tar.xz"
FOLDERS = (
    "closed/Tencent/",
    "closed/Hailo/",
    "closed/NVIDIA/systems/",
    "closed/NVIDIA/results/T4x8/gnmt/",
    "closed/NVIDIA/measurements/T4x8/gnmt/",
    "closed/NVIDIA/audit/T4x8/gnmt/",
    "MANIFEST.txt",
)
T4 = "closed/NVIDIA/results/T4x8/gnmt"


@pytest.fixture(scope="module")
def rules():
    return load_round_rules("v0.5")


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory):
    target = tmp_path_factory.mktemp("v0.5")
    with tarfile.open(BUNDLE) as archive:
        members = [m for m in archive.getmembers() if m.name.startswith(FOLDERS)]
        archive.extractall(target, members=members, filter="data")
    return target


@pytest.fixture
def tree(unpacked, tmp_path):
    root = tmp_path / "tree"
    shutil.copytree(unpacked, root)
    return root


def check(root, rules, **kwargs):
    return check_tree(read_tree(root, rules=rules), rules, **kwargs)


def by_location(report):
    return {r.location: r for r in report.results}


def test_the_era_is_v0_5s_and_the_profile_says_what_it_checks(rules):
    assert checker_class(rules) is V05Checker
    assert list(rules.benchmarks) == ["resnet", "mobilenet", "ssd-small", "ssd-large", "gnmt"]
    assert rules.suites == ("all",)
    assert rules.checking is not None
    assert any("audit/" in item for item in rules.checking.not_checked)
    assert rules.map_benchmark("ssdlite-mobilenet-v2") == ("ssd-small", "guess")
    assert rules.map_benchmark("mobilenet-v1-0.25-128") == ("mobilenet", "guess")


def test_a_checking_statement_must_be_sentences():
    data = load_round_data("v0.5")
    data["checking"]["checked"] = ["fine", 3]
    with pytest.raises(ProfileError, match=r"checking\.checked"):
        RoundRules.from_dict(data)


def test_runs_fall_back_to_the_files_in_performance(tree, rules):
    results = by_location(check(tree, rules))
    tencent = "closed/Tencent/results/clx-8255c-4s_pytorch-caffe2"
    # singlestream/ and offline/ keep their logs directly in performance/.
    assert results[f"{tencent}/resnet50/offline"].value == 5169.27
    single = results[f"{tencent}/mobilenet/singlestream"]
    assert single.scenario == "SingleStream" and single.unit == "ms"
    assert results[f"{tencent}/mobilenet/server"].scenario == "Server"


def test_server_reports_its_first_run_and_keeps_every_run(tree, rules):
    summary = tree / T4 / "Server/performance/run_3/mlperf_log_summary.txt"
    summary.write_text(
        summary.read_text().replace(
            "Scheduled samples per second : 1581.20", "Scheduled samples per second : 1490.00"
        )
    )
    server = by_location(check(tree, rules))[f"{T4}/Server"]
    assert server.value == 1581.2
    assert server.run_values == [1581.2, 1581.2, 1490.0, 1581.2, 1581.2]
    assert server.compliant is None  # v0.5's checker reads no audit test
    (note,) = [f for f in server.findings if f.rule == "C1"]
    assert note.level == "info" and "TEST01" in note.message


def test_singlestream_is_in_ms_with_its_latencies(tree, rules):
    single = by_location(check(tree, rules))[f"{T4}/SingleStream"]
    text = (tree / T4 / "SingleStream/performance/run_1/mlperf_log_summary.txt").read_text()
    ns = int(text.split("90th percentile latency (ns) : ")[1].split()[0])
    assert single.value == ns / 1e6
    assert single.measurements["latency_p90"] == (ns / 1e6, "ms")


def test_its_errors_are_warnings_on_a_kept_result(tree, rules):
    hailo = "closed/Hailo/results/Hailo8/ssd-small"
    report = check(tree, rules)
    results = by_location(report)
    kept = results[f"{hailo}/Offline"]  # no accuracy.txt in the repository
    assert kept.accuracy is None
    assert [f.level for f in kept.findings if f.rule == "A1"] == ["warning"]
    absent = results[f"{hailo}/SingleStream"]  # accuracy.txt absent from the snapshot
    assert absent.absent == ["accuracy/accuracy.txt"]
    assert not any(f.rule == "A1" for f in absent.findings)
    tencent = "closed/Tencent/results/clx-8255c-4s_pytorch-caffe2/resnet50"
    (named,) = [f for f in report.findings if f.path == tencent]
    assert (named.rule, named.level) == ("F5", "warning")


def test_accuracy_below_target_in_closed_is_a_warning(tree, rules):
    path = tree / T4 / "Offline/accuracy/accuracy.txt"
    path.write_text("BLEU: 22.1\n")
    result = by_location(check(tree, rules))[f"{T4}/Offline"]
    (finding,) = [f for f in result.findings if f.rule == "A2"]
    assert finding.level == "warning" and "below the target 23.661" in finding.message
    assert result.accuracy == 22.1


@pytest.mark.parametrize(
    ("change", "rule", "words"),
    [
        ({"division": "Open"}, "F4", "division 'Open'"),
        ({"submitter": "nvidia"}, "F4", "submitter 'nvidia'"),
        ({"python_version": "3.6"}, "S2", "python_version"),
    ],
)
def test_system_description_against_the_template(tree, rules, change, rule, words):
    path = tree / "closed/NVIDIA/systems/T4x8.json"
    data = json.loads(path.read_text())
    data.update(change)
    path.write_text(json.dumps(data))
    report = check(tree, rules)
    assert f"{T4}/Offline" in by_location(report)
    (finding,) = [f for f in report.findings if f.path.endswith("T4x8.json") and f.rule == rule]
    assert finding.level == "warning" and words in finding.message


def test_strict_mode_wants_the_logs_but_only_warns(tree, rules):
    report = check(tree, rules, strict=True)
    result = by_location(report)[f"{T4}/Offline"]
    levels = {f.rule: f.level for f in result.findings}
    assert levels["P4"] == "warning" and levels["A6"] == "warning"
    assert not [
        f for f in report.errors if not f.path.startswith(("closed/Hailo", "closed/Tencent"))
    ]
