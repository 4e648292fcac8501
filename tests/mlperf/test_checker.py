"""The checker over real submission trees, and over real trees with one thing broken."""

import csv
import json
from pathlib import Path

import pytest

from mlperf import Level, check_tree, read_tree

from .conftest import BUNDLE, REPO

SUMMARIES = REPO / "tests" / "data" / "submitter_summaries"


@pytest.fixture(scope="module")
def whole_round():
    from mlperf import load_round_rules

    return check_tree(read_tree(BUNDLE), load_round_rules("v0.7"))


def test_whole_round_matches_the_official_checker_counts(whole_round):
    # The S1 checker over the published tree: Results=1205, NoResults=0 (spec §0, §11).
    assert whole_round.counts() | {"warnings": 0} == {
        "systems": 111,
        "results": 1205,
        "closed": 733,
        "open": 472,
        "inferred": 230,
        "rejected": 0,
        "errors": 0,
        "warnings": 0,
    }
    suites = {(r.division, s.summary.system_type) for s in whole_round.systems for r in [s]}
    assert suites == {
        ("closed", "datacenter"),
        ("closed", "edge"),
        ("open", "datacenter"),
        ("open", "edge"),
    }


def test_whole_round_notes_the_checks_it_could_not_run(whole_round):
    nettrix = next(
        r
        for r in whole_round.results
        if r.location == "closed/Nettrix/results/T4x16_TRT/bert-99.9/Server"
    )
    note = next(f for f in nettrix.findings if f.rule == "N1")
    assert note.level is Level.INFO
    assert "P3 (performance detail logs)" in note.message


def test_whole_round_flags_known_oddities(whole_round):
    by_rule = {}
    for finding in whole_round.findings:
        by_rule.setdefault(finding.rule, []).append(finding)
    # 26 measurement folders whose JSON does not start with the system id (§4.3)
    assert len(by_rule["M2"]) == 26
    # 378 + 2 open results below the closed accuracy target (§11.5)
    assert len([f for f in by_rule["A2"] if f.level is Level.INFO]) == 380
    assert [f.path for f in by_rule["S2"]] == ["closed/DellEMC/systems/R740_vT4x4_TRT.json"]
    # Dividiti's inferred Offline results have no compliance folder (§8.4)
    assert sum("no compliance folder" in f.message for f in by_rule["C1"]) == 11


def read_submitter_summaries():
    """Rows of the six results_summary.csv files submitters shipped in their folders."""
    rows = []
    for path in sorted(SUMMARIES.rglob("*.csv")):
        division, org = path.relative_to(SUMMARIES).parts[:2]
        for row in csv.DictReader(path.open()):
            if "Location" in row:  # the checker's own CSV format
                rows.append((path.name, row["Location"], float(row["Result"]), row["Accuracy"]))
            else:  # NVIDIA's format: raw log figures, SingleStream in ns
                value = float(row["perf_value"])
                if row["scenario"] == "SingleStream":
                    value /= 1e6
                location = (
                    f"{division}/{org}/results/{row['system_id']}/"
                    f"{row['benchmark']}/{row['scenario']}"
                )
                rows.append((path.name, location, value, None))
    return rows


# Rows where Inspur's own CSV disagrees with the tree it published: results that
# are not in the tree, and four 3D U-Net rows whose logs say otherwise.
INSPUR_STALE = {
    "open/Inspur/results/A100-PCIex8_TRT/resnet50/Offline": None,
    "closed/Inspur/results/T4x1_TRT/3d-unet-99.9/Offline": None,
    "closed/Inspur/results/T4x1_TRT/3d-unet-99.9/SingleStream": None,
    "closed/Inspur/results/T4x1_TRT/3d-unet-99/Offline": None,
    "closed/Inspur/results/T4x1_TRT/3d-unet-99/SingleStream": None,
    "closed/Inspur/results/DGX-A100_A100-SXM4x8_TRT/3d-unet-99.9/Offline": 333.525,
    "closed/Inspur/results/DGX-A100_A100-SXM4x8_TRT/3d-unet-99/Offline": 333.525,
    "closed/Inspur/results/T4x8_TRT/3d-unet-99.9/Offline": 59.1081,
    "closed/Inspur/results/T4x8_TRT/3d-unet-99/Offline": 59.1081,
}


def test_values_match_the_submitters_own_summaries(whole_round):
    by_location = {r.location: r for r in whole_round.results}
    rows = read_submitter_summaries()
    assert len(rows) == 335
    checked = 0
    for _name, location, value, accuracy in rows:
        result = by_location.get(location)
        if location in INSPUR_STALE:
            expected = INSPUR_STALE[location]
            assert (result is None) if expected is None else result.value == expected
            continue
        assert result is not None, location
        assert result.value == pytest.approx(value, rel=1e-12), location
        if accuracy is not None:
            assert result.accuracy_raw == accuracy, location
        checked += 1
    assert checked == 325  # 335 rows, 10 of them stale (the open A100-PCIex8 row twice)


def test_server_reports_the_last_run(whole_round):
    result = next(
        r
        for r in whole_round.results
        if r.location == "closed/Nettrix/results/T4x16_TRT/bert-99.9/Server"
    )
    assert result.run_values == [2997.31] * 4 + [2947.35]
    assert result.value == 2947.35  # §2.3


def test_inferred_offline_uses_qps_without_loadgen_overhead(whole_round):
    result = next(
        r
        for r in whole_round.results
        if r.location == "closed/Dividiti/results/firefly-armnn-v20.08-neon/resnet50/offline"
    )
    assert result.inferred and result.scenario == "Offline" and result.unit == "samples/s"
    assert result.value == float(result.performance["QPS w/o loadgen overhead"])
    assert result.compliant is False  # no compliance folder


def test_singlestream_in_milliseconds_and_open_compliance_not_applicable(whole_round):
    result = next(
        r
        for r in whole_round.results
        if r.location == "open/InAccel/results/1xU250/resnet/SingleStream"
    )
    assert (result.value, result.unit, result.compliant) == (7.004864, "ms", None)


# --- one real submission, strictly checked, then broken one way at a time ------


@pytest.fixture
def strict_ivatech(ivatech, rules):
    code = ivatech / "closed" / "IVATech" / "code" / "resnet" / "v1"
    code.mkdir(parents=True)
    (code / "README.md").write_text("placeholder for the code folder\n")

    def check():
        return check_tree(read_tree(ivatech), rules, strict=True)

    return ivatech / "closed" / "IVATech", check


RESULT = "results/iva-fpga-1/resnet/Offline"


def test_ivatech_passes_the_strict_check(strict_ivatech):
    _, check = strict_ivatech
    report = check()
    assert report.acceptable
    assert report.counts()["results"] == 2
    assert report.warnings == []
    offline = next(r for r in report.results if r.scenario == "Offline")
    assert offline.accuracy_raw and offline.compliant is True
    assert offline.implementation["retraining"]


def rules_of(report, level=Level.ERROR):
    return {(f.rule, f.path.split("IVATech/", 1)[-1]) for f in report.findings if f.level is level}


def test_missing_accuracy_txt(strict_ivatech):
    org, check = strict_ivatech
    (org / RESULT / "accuracy" / "accuracy.txt").unlink()
    report = check()
    assert ("A1", f"{RESULT}/accuracy/accuracy.txt") in rules_of(report)
    # Offline is required on edge, so the benchmark folder goes too (F11).
    assert ("F11", "results/iva-fpga-1/resnet") in rules_of(report)
    assert report.results == [] and not report.acceptable


def test_invalid_run(strict_ivatech):
    org, check = strict_ivatech
    summary = org / RESULT / "performance" / "run_1" / "mlperf_log_summary.txt"
    summary.write_text(summary.read_text().replace("Result is : VALID", "Result is : INVALID"))
    assert ("P1", f"{RESULT}/performance/run_1/mlperf_log_summary.txt") in rules_of(check())


def test_accuracy_below_target(strict_ivatech):
    org, check = strict_ivatech
    path = org / RESULT / "accuracy" / "accuracy.txt"
    text = path.read_text()
    path.write_text("accuracy=70.000%, good=35000, total=50000\n" + text.split("\n", 1)[1])
    report = check()
    finding = next(f for f in report.errors if f.rule == "A2")
    assert "70.000% is below the target 75.6954%" in finding.message


def test_error_line_in_detail_log(strict_ivatech):
    org, check = strict_ivatech
    detail = org / RESULT / "performance" / "run_1" / "mlperf_log_detail.txt"
    with detail.open("a") as f:
        f.write('"pid": 1, "tid": 1, "ts": 5ns : ERROR : Something went wrong\n')
    finding = next(f for f in check().errors if f.rule == "P3")
    assert finding.path.endswith("performance/run_1/mlperf_log_detail.txt")
    assert "Something went wrong" in finding.message


def test_cas_failed_lines_are_ignored(strict_ivatech):
    org, check = strict_ivatech
    detail = org / RESULT / "performance" / "run_1" / "mlperf_log_detail.txt"
    with detail.open("a") as f:
        f.write('"pid": 1, "tid": 1, "ts": 5ns : ERROR : CAS failed\n')
    assert check().acceptable


def edit_system(org, **changes):
    path = org / "systems" / "iva-fpga-1.json"
    data = json.loads(path.read_text())
    for key, value in changes.items():
        if value is None:
            data.pop(key)
        else:
            data[key] = value
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    ("changes", "rule", "words"),
    [
        ({"division": None}, "F4", "missing required field(s): division"),
        ({"division": "Closed"}, "F4", "division 'Closed' does not match"),
        ({"submitter": "Someone"}, "F4", "submitter 'Someone' does not match"),
        ({"status": "soon"}, "F2", "status 'soon' is not one of"),
        ({"system_type": "mobile"}, "F3", "system_type is 'mobile'"),
        ({"system_type": None}, "F3", "system_type is missing"),
        ({"system_name": ["a"]}, "S1", "system_name is list, expected a string"),
    ],
)
def test_system_json_rules(strict_ivatech, changes, rule, words):
    org, check = strict_ivatech
    edit_system(org, **changes)
    report = check()
    finding = next(f for f in report.errors if f.rule == rule)
    assert finding.path == "closed/IVATech/systems/iva-fpga-1.json"
    assert words in finding.message
    assert report.results == []


def test_system_json_that_is_not_json(strict_ivatech):
    org, check = strict_ivatech
    (org / "systems" / "iva-fpga-1.json").write_bytes(b"\x89PNG\r\n\x1a\n garbage")
    finding = next(f for f in check().errors if f.rule == "S1")
    assert "not UTF-8" in finding.message or "not valid JSON" in finding.message


def test_missing_system_json(strict_ivatech):
    org, check = strict_ivatech
    (org / "systems" / "iva-fpga-1.json").unlink()
    assert ("F1", "results/iva-fpga-1") in rules_of(check())


def test_status_spellings_map_to_categories(strict_ivatech):
    org, check = strict_ivatech
    for status, category in [
        ("RDI", "rdi"),
        ("on-premise", "available"),
        ("Research, Development, or Internal", "rdi"),
        ("Preview", "preview"),
    ]:
        edit_system(org, status=status)
        assert check().systems[0].category == category


def test_benchmark_outside_the_suite(strict_ivatech):
    org, check = strict_ivatech
    edit_system(org, system_type="datacenter")
    (org / "results/iva-fpga-1/resnet").rename(org / "results/iva-fpga-1/ssd-mobilenet")
    finding = next(f for f in check().errors if f.rule == "F6")
    assert "ssd-small is not a benchmark of the datacenter suite" in finding.message


def test_closed_folder_that_is_no_benchmark(strict_ivatech):
    org, check = strict_ivatech
    (org / "results/iva-fpga-1/resnet").rename(org / "results/iva-fpga-1/bert")
    assert ("F5", "results/iva-fpga-1/bert") in rules_of(check())


def test_scenario_not_allowed_in_closed(strict_ivatech):
    org, check = strict_ivatech
    (org / "results/iva-fpga-1/resnet/SingleStream").rename(
        org / "results/iva-fpga-1/resnet/Server"
    )
    report = check()
    assert ("F7", "results/iva-fpga-1/resnet/Server") in rules_of(report)
    assert ("F11", "results/iva-fpga-1/resnet") in rules_of(report)


def test_lowercase_scenario_folders_are_canonicalised(strict_ivatech):
    org, check = strict_ivatech
    for area in ("results", "measurements", "compliance"):
        base = org / area / "iva-fpga-1" / "resnet"
        (base / "Offline").rename(base / "offline")
    report = check()
    assert report.acceptable
    offline = next(r for r in report.results if r.scenario == "Offline")
    assert offline.scenario_folder == "offline"


def test_unknown_scenario_spelling(strict_ivatech):
    org, check = strict_ivatech
    (org / "results/iva-fpga-1/resnet/Offline").rename(org / "results/iva-fpga-1/resnet/OFFLINE")
    assert ("B2", "results/iva-fpga-1/resnet/OFFLINE") in rules_of(check())


def test_strict_mode_wants_every_mandatory_file(strict_ivatech):
    org, check = strict_ivatech
    (org / RESULT / "accuracy" / "mlperf_log_accuracy.json").unlink()
    (org / RESULT / "performance" / "run_1" / "mlperf_log_detail.txt").unlink()
    errors = rules_of(check())
    assert ("A4", f"{RESULT}/accuracy/mlperf_log_accuracy.json") in errors
    assert ("P4", f"{RESULT}/performance/run_1") in errors


def test_published_mode_notes_what_it_could_not_check(strict_ivatech, rules):
    org, _ = strict_ivatech
    (org / RESULT / "accuracy" / "mlperf_log_accuracy.json").unlink()
    report = check_tree(read_tree(org.parent.parent), rules, strict=False)
    assert report.acceptable
    offline = next(r for r in report.results if r.scenario == "Offline")
    note = next(f for f in offline.findings if f.rule == "N1")
    assert "A4 (truncated accuracy log)" in note.message


def test_untruncated_accuracy_log(strict_ivatech):
    org, check = strict_ivatech
    (org / RESULT / "accuracy" / "mlperf_log_accuracy.json").write_bytes(b" " * 20000)
    finding = next(f for f in check().errors if f.rule == "A4")
    assert "20000 bytes" in finding.message


def test_compliance_failure_keeps_the_result_but_flags_it(strict_ivatech):
    org, check = strict_ivatech
    verify = org / "compliance/iva-fpga-1/resnet/Offline/TEST05/verify_performance.txt"
    verify.write_text("Verifying performance.\nTEST FAIL: Test score invalid\n")
    report = check()
    assert report.acceptable
    offline = next(r for r in report.results if r.scenario == "Offline")
    assert offline.compliant is False
    assert any(f.rule == "C1" and f.level is Level.WARNING for f in offline.findings)


def test_open_division_accepts_low_accuracy(extract, rules):
    root = extract("open/IVATech")
    path = next(root.rglob("accuracy.txt"))
    text = path.read_text()
    path.write_text("accuracy=10.000%, good=5000, total=50000\n" + text.split("\n", 1)[1])
    report = check_tree(read_tree(root), rules)
    assert report.acceptable
    assert any(f.rule == "A2" and f.level is Level.INFO for f in report.findings)


def test_performance_sample_count_below_qsl_size(strict_ivatech):
    org, check = strict_ivatech
    summary = org / RESULT / "performance" / "run_1" / "mlperf_log_summary.txt"
    text = summary.read_text()
    lines = [
        ("performance_sample_count : 500" if line.startswith("performance_sample_count") else line)
        for line in text.splitlines()
    ]
    summary.write_text("\n".join(lines) + "\n")
    finding = next(f for f in check().errors if f.rule == "P2")
    assert "is 500; resnet needs at least 1024" in finding.message


def test_only_the_named_submitter_is_checked(strict_ivatech, rules):
    org, _ = strict_ivatech
    report = check_tree(read_tree(org.parent.parent), rules, strict=True, submitters={"Acme"})
    finding = next(f for f in report.errors if f.rule == "IN6")
    assert "another submitter (IVATech)" in finding.message
    assert report.results == []


def test_empty_folder_is_an_error(tmp_path, rules):
    report = check_tree(read_tree(tmp_path), rules)
    assert [f.rule for f in report.errors] == ["IN1"]


def test_folder_without_results(tmp_path, rules):
    (tmp_path / "closed" / "Acme" / "systems").mkdir(parents=True)
    report = check_tree(read_tree(tmp_path), rules, strict=True)
    assert "T1" in {f.rule for f in report.errors}


def test_wrapper_folder_is_skipped(extract, tmp_path, rules):
    root = extract("open/IVATech")
    assert Path(root).name == "inference_results_v0.7"
    report = check_tree(read_tree(tmp_path), rules)  # one level above the tree
    assert report.counts()["results"] == 2


def test_a_rejected_system_description_names_every_result_it_breaks(ivatech, rules):
    system = ivatech / "closed" / "IVATech" / "systems" / "iva-fpga-1.json"
    system.write_text(system.read_text().replace('"status"', '"sttaus"'))
    report = check_tree(read_tree(ivatech), rules)
    assert not report.results
    named = {f.path for f in report.errors}
    assert "closed/IVATech/systems/iva-fpga-1.json" in named
    for scenario in ("SingleStream", "Offline"):
        location = f"closed/IVATech/results/iva-fpga-1/resnet/{scenario}"
        assert location in named
        (finding,) = [f for f in report.errors if f.path == location]
        assert "its system description closed/IVATech/systems/iva-fpga-1.json" in finding.message
