"""The bundled v0.5 tree against the round's own result table (588 rows).

v0.5's checker writes no summary, so the reference is
``data/oracles/v0.5_submission_to_csv.csv``, what
``v0.5/tools/submission/submission-to-csv.py`` read from the full tree: one
row per result folder it could read, with no validity check. The site applies
v0.5's checker (``mlperf/rounds/v0_5.py``): it imports what that checker
counted (593 of the 595 folders, less the 6 it cannot place, below) and shows
that checker's errors as warnings. Where the two differ, the sources say why:

- 6 table rows have no system here: ``closed/Intel/results/ICL-I3-1005G1_OpenVINO-Windows``
  has no ``systems/ICL-I3-1005G1_OpenVINO-Windows.json`` (the folder holds
  ``ICL-i31005G1_openvino.json``, which names no results folder). v0.5's
  checker reported "no such system id"; without a description the site has
  no system, category or table for them, and names each result it refuses (F1).
- 4 results are ours only: Tencent's ``singlestream`` and ``offline`` folders
  keep their logs directly in ``performance/``, which v0.5's checker reads;
  the table's tool reads ``performance/run_1`` only and skipped them.
- 1 result is ours only: ``closed/Hailo/results/Hailo8/ssd-small/Offline`` has
  no ``accuracy.txt`` in the repository; the table's tool stopped at it (and
  wrote nothing more for the folder), v0.5's checker counted it with an error,
  which the site shows as a warning.
- 1 accuracy cannot be checked: ``Hailo8/ssd-small/SingleStream``'s
  ``accuracy.txt`` is absent from the published snapshot (MANIFEST.txt); the
  table's 0.0 is the tool's default where no figure line is found. The site
  shows no accuracy and says why (N4, N1).
"""

import pytest

from .compare import compare_v05_table

pytestmark = pytest.mark.slow

ICL = "closed/Intel/results/ICL-I3-1005G1_OpenVINO-Windows"
TENCENT = "closed/Tencent/results/clx-8255c-4s_pytorch-caffe2"
HAILO = "closed/Hailo/results/Hailo8/ssd-small"


def test_every_row_of_the_v0_5_table_agrees_or_says_why(official_report):
    report = official_report("v0.5")
    comparison = compare_v05_table(report)

    assert comparison.rows == 588
    assert len(comparison.matched) == 582
    # Same benchmark, figure (SingleStream in ms), accuracy and p50/p90/p99 latencies.
    assert not comparison.differences, comparison.examples

    assert len(comparison.missing) == 6
    refused = {r.path: r.rule for r in report.rejected}
    for row in comparison.missing:
        assert row.startswith("closed/Intel/ICL-I3-1005G1_OpenVINO-Windows/")
        division, submitter, system, model, scenario = row.split("/")
        assert refused[f"{division}/{submitter}/results/{system}/{model}/{scenario}"] == "F1"

    assert comparison.extra == [
        f"{HAILO}/Offline",
        f"{TENCENT}/mobilenet/offline",
        f"{TENCENT}/mobilenet/singlestream",
        f"{TENCENT}/resnet50/offline",
        f"{TENCENT}/resnet50/singlestream",
    ]
    by_location = {r.location: r for r in report.results}
    assert by_location[f"{TENCENT}/resnet50/offline"].value == 5169.27
    hailo = by_location[f"{HAILO}/Offline"]
    assert hailo.accuracy is None
    assert any(f.rule == "A1" and f.level == "warning" for f in hailo.findings)

    assert comparison.accuracy_unchecked == [(f"{HAILO}/SingleStream", "0.0")]
    unchecked = by_location[f"{HAILO}/SingleStream"]
    assert unchecked.absent == ["accuracy/accuracy.txt"]
    notes = {f.rule: f.message for f in unchecked.findings}
    assert "accuracy.txt is absent from the published snapshot" in notes["N1"]


def test_v0_5_counts_what_its_checker_counted(official_report):
    report = official_report("v0.5")
    counts = report.counts()
    # v0.5's checker over the full tree: Results=593, NoResults=2 (rounds §2.7); here the
    # 2 (nnpi-1000-2x_onnx, "Performance/") and the 6 of ICL-I3 have no system description.
    assert (counts["results"], counts["closed"], counts["open"]) == (587, 158, 429)
    assert counts["inferred"] == 0
    assert not any(r.compliant is not None for r in report.results)  # no compliance in v0.5
    # Errors of v0.5's checker are warnings: the 320 accuracies below target in open
    # (dividiti's mobilenet variants and rcnn models, held to the closed targets).
    below = [
        r for r in report.results for f in r.findings if f.rule == "A2" and "below" in f.message
    ]
    assert len(below) == 320
    assert {r.division for r in below} == {"open"}
    assert {f.rule for f in report.errors} == {"F1"}
