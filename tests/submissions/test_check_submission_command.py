"""`manage.py check_submission PATH --round v0.7 [--json]`: the issue's acceptance cases.

An archive of closed/IVATech (with a placeholder code folder) is acceptable;
each of five breakages gives its named error and exit status 1; input that
cannot be read gives exit status 2.
"""

import io
import json

import pytest
from django.core.management import call_command

from .conftest import pack

RESULT = "closed/IVATech/results/iva-fpga-1/resnet/Offline"


def check(path, *args):
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(
            "check_submission", str(path), "--round", "v0.7", *args, stdout=out, stderr=err
        )
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue(), err.getvalue()


@pytest.mark.django_db
@pytest.mark.parametrize("as_archive", [True, False], ids=["archive", "folder"])
def test_ivatech_is_acceptable(ivatech_tree, tmp_path, as_archive):
    path = pack(ivatech_tree, tmp_path / "ivatech.tar.gz") if as_archive else ivatech_tree
    code, out, _ = check(path)
    assert code == 0, out
    assert "2 results from 1 systems; 0 errors, 0 warnings: submission acceptable." in out


def remove_accuracy_txt(org):
    (org / "results/iva-fpga-1/resnet/Offline/accuracy/accuracy.txt").unlink()


def invalid_run(org):
    path = org / "results/iva-fpga-1/resnet/Offline/performance/run_1/mlperf_log_summary.txt"
    path.write_text(path.read_text().replace("Result is : VALID", "Result is : INVALID"))


def lower_accuracy(org):
    path = org / "results/iva-fpga-1/resnet/Offline/accuracy/accuracy.txt"
    text = path.read_text()
    path.write_text("accuracy=70.000%, good=35000, total=50000\n" + text.split("\n", 1)[1])


def error_in_detail_log(org):
    path = org / "results/iva-fpga-1/resnet/Offline/performance/run_1/mlperf_log_detail.txt"
    with path.open("a") as f:
        f.write('"pid": 1, "tid": 1, "ts": 5ns : ERROR : Something went wrong\n')


def remove_division(org):
    path = org / "systems/iva-fpga-1.json"
    data = json.loads(path.read_text())
    del data["division"]
    path.write_text(json.dumps(data))


CASES = [
    (
        remove_accuracy_txt,
        "A1",
        f"{RESULT}/accuracy/accuracy.txt",
        "missing accuracy.txt",
    ),
    (
        invalid_run,
        "P1",
        f"{RESULT}/performance/run_1/mlperf_log_summary.txt",
        "the run is not VALID",
    ),
    (
        lower_accuracy,
        "A2",
        f"{RESULT}/accuracy/accuracy.txt",
        "Top-1 70.000% is below the target 75.6954%",
    ),
    (
        error_in_detail_log,
        "P3",
        f"{RESULT}/performance/run_1/mlperf_log_detail.txt",
        "1 ERROR line(s), e.g.",
    ),
    (
        remove_division,
        "F4",
        "closed/IVATech/systems/iva-fpga-1.json",
        "missing required field(s): division",
    ),
]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("breakage", "rule", "path", "words"), CASES, ids=[case[0].__name__ for case in CASES]
)
def test_each_breakage_gives_its_named_error_and_exit_1(
    ivatech_tree, tmp_path, breakage, rule, path, words
):
    breakage(ivatech_tree / "closed" / "IVATech")
    archive = pack(ivatech_tree, tmp_path / "broken.tar.gz")
    code, out, _ = check(archive)
    assert code == 1
    line = next(line for line in out.splitlines() if f"[{rule} " in line and path in line)
    assert line.startswith("ERROR")
    assert words in line
    assert "submission has errors." in out

    code, out, _ = check(archive, "--json")
    assert code == 1
    report = json.loads(out)
    assert report["acceptable"] is False and report["strict"] is True
    finding = next(f for f in report["findings"] if f["rule"] == rule and f["path"] == path)
    assert finding["level"] == "error" and words in finding["message"]
    assert finding["section"].startswith("§")


@pytest.mark.django_db
def test_unreadable_input_exits_2(tmp_path):
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"this is not an archive\n" * 20)
    code, out, err = check(junk)
    assert code == 2
    assert "junk.tar.gz" in err and "rule IN1" in err
    code, out, _ = check(junk, "--json")
    assert code == 2
    assert json.loads(out) == {"acceptable": False, "unreadable": json.loads(out)["unreadable"]}
    assert "rule IN1" in json.loads(out)["unreadable"]


@pytest.mark.django_db
def test_missing_path_exits_2(tmp_path):
    code, _, err = check(tmp_path / "nothing-here")
    assert code == 2 and "no such file or folder" in err


@pytest.mark.django_db
def test_json_lists_the_accepted_results(ivatech_tree, tmp_path):
    code, out, _ = check(pack(ivatech_tree, tmp_path / "ok.zip", "w"), "--json")
    assert code == 0
    report = json.loads(out)
    assert report["counts"]["results"] == 2
    assert {r["scenario"] for r in report["results"]} == {"Offline", "SingleStream"}
    # The same serialiser as the upload report: accuracy as a number beside the
    # figure as printed, and the systems the results belong to.
    result = report["results"][0]
    assert isinstance(result["accuracy"], float)
    assert float(result["accuracy_raw"]) == result["accuracy"]
    assert {s["system_id"] for s in report["systems"]} == {
        r["system_id"] for r in report["results"]
    }
