"""Power from the raw files (v1.0 on): an intact submitter folder, and broken power files."""

import json
import shutil
import tarfile
from pathlib import Path

import pytest

from mlperf import check_tree, load_round_rules, read_tree
from mlperf.loadgen import _from_f2, round6
from mlperf.power import parse_samples, parse_time, window_average

REPO = Path(__file__).resolve().parents[2]
BUNDLE = REPO / "data" / "inference_results_v1.0.tar.xz"
QUALCOMM = "closed/Qualcomm"


@pytest.fixture(scope="session")
def v10_qualcomm(tmp_path_factory):
    """closed/Qualcomm of the v1.0 tree (12 results, all measured for power), unpacked once."""
    target = tmp_path_factory.mktemp("v1.0")
    with tarfile.open(BUNDLE) as archive:
        members = [m for m in archive if m.name.startswith(QUALCOMM + "/")]
        archive.extractall(target, members=members, filter="data")
    return target


@pytest.fixture
def intact(v10_qualcomm, tmp_path):
    """The folder with what the compact bundle leaves out put back, as an upload has it."""
    root = tmp_path / "upload"
    shutil.copytree(v10_qualcomm, root)
    results = root / QUALCOMM / "results"
    for power in results.glob("*/*/*/performance/power"):
        performance = power.parent
        (power / "ptd_logs.txt").write_text("ptd log\n")
        for name in ("mlperf_log_detail.txt", "spl.txt"):
            shutil.copy(performance / "run_1" / name, performance / "ranging" / name)
        accuracy = performance.parent / "accuracy"
        (accuracy / "mlperf_log_accuracy.json").write_text("[]\n")
        shutil.copy(performance / "run_1" / "mlperf_log_detail.txt", accuracy)
    return root


def check(root, strict=True):
    rules = load_round_rules("v1.0")
    return check_tree(read_tree(root, rules=rules), rules, strict=strict)


def test_an_intact_submitter_folder_with_power_is_acceptable(intact):
    report = check(intact)
    assert report.errors == [], [str(f) for f in report.errors]
    assert report.acceptable
    assert len(report.results) == 12
    assert all(r.power is not None for r in report.results)
    units = {r.scenario: r.power[1] for r in report.results}
    assert units == {"Offline": "W", "Server": "W", "SingleStream": "J/query"}


def _first(root, pattern):
    return sorted((root / QUALCOMM / "results").glob(pattern))[0]


def test_a_missing_spl_txt_names_the_file_and_the_rule(intact):
    spl = _first(intact, "*/*/offline/performance/run_1/spl.txt")
    spl.unlink()
    report = check(intact)
    (finding,) = [f for f in report.errors if f.rule == "PW1"]
    assert finding.path.endswith(str(spl.relative_to(intact)))
    assert "spl.txt" in finding.message


def test_samples_outside_the_run_window_are_refused(intact):
    spl = _first(intact, "*/*/offline/performance/run_1/spl.txt")
    # The same samples a day later: none falls between power_begin and power_end.
    lines = []
    for line in spl.read_text().splitlines():
        fields = line.split(",")
        day = int(fields[1][3:5])
        fields[1] = f"{fields[1][:3]}{day + 1:02d}{fields[1][5:]}"
        lines.append(",".join(fields))
    spl.write_text("\n".join(lines) + "\n")
    report = check(intact)
    (finding,) = [f for f in report.errors if f.rule == "PW2"]
    assert finding.path.endswith(str(spl.relative_to(intact)))
    assert "no power samples between power_begin" in finding.message


def test_the_power_logs_of_another_run_are_refused(intact):
    results = intact / QUALCOMM / "results"
    ours = _first(intact, "*/*/offline/performance/power/client.json")
    other = next(
        p
        for p in sorted(results.glob("*/*/*/performance/power/client.json"))
        if json.loads(p.read_text())["session_name"] != json.loads(ours.read_text())["session_name"]
    )
    shutil.copy(other, ours)
    report = check(intact)
    (finding,) = [f for f in report.errors if f.rule == "PW3"]
    assert finding.path.endswith(str(ours.relative_to(intact)))
    assert "power logs of another run" in finding.message


def test_the_published_bundle_reports_what_it_could_not_check(v10_qualcomm):
    report = check(v10_qualcomm, strict=False)
    assert report.errors == []
    assert len(report.results) == 12
    notes = [f.message for r in report.results for f in r.findings if f.rule == "N1"]
    assert notes and all("PW1 (power/ptd_logs.txt)" in n for n in notes)


@pytest.mark.parametrize(
    ("printed", "expected", "exact"),
    [
        ("184983.73", 184984.0, True),  # 8 digits: rounds to the detail log's 6
        ("36990.65", 36990.65, False),  # a tie: the detail log may say .6 or .7
        ("380.87", 380.87, False),  # 5 digits: fewer than the detail log's
        ("11491.25", 11491.25, False),
        ("1000000.00", 1000000.0, True),
    ],
)
def test_two_decimal_summary_figures(printed, expected, exact):
    assert _from_f2(printed) == (expected, exact)


def test_round6_is_how_the_detail_log_prints_doubles():
    assert round6(1e9 / 37717) == 26513.2
    assert round6(184983.73) == 184984.0


def test_the_window_excludes_its_ends_and_applies_time_zones():
    samples = parse_samples(
        "Time,01-01-2021 00:00:00.000,Watts,1.0,Volts,1,Amps,1,PF,1,Mark,s_testing\n"
        "Time,01-01-2021 00:00:01.000,Watts,2.0,Volts,1,Amps,1,PF,1,Mark,s_testing\n"
        "Time,01-01-2021 00:00:02.000,Watts,4.0,Volts,1,Amps,1,PF,1,Mark,s_testing\n"
        "Time,01-01-2021 01:00:01.000,Watts,8.0,Volts,1,Amps,1,PF,1,Mark,s_testing\n"
    )
    begin, end = parse_time("01-01-2021 00:00:00.000"), parse_time("01-01-2021 00:00:02.000")
    window = window_average(samples, begin, end)
    assert (window.average_watts, window.samples, window.duration_s) == (2.0, 1, 2.0)
    # LoadGen's clock an hour ahead of the analyzer's (v1.0 adds both time zones).
    shifted = window_average(samples, begin, end, loadgen_offset_s=3600)
    assert shifted.average_watts == 8.0
    assert samples.marks == {"s_testing"}
