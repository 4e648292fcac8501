"""import_submission over the bundled v0.7 tree (loaded once per run by conftest)."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from results.models import Entry, Result, Submitter, System
from tests.mlperf.conftest import BUNDLE

pytestmark = pytest.mark.django_db


def run(*args, **kwargs):
    out = io.StringIO()
    call_command("import_submission", *args, stdout=out, **kwargs)
    return out.getvalue()


def test_the_bundled_round_is_the_official_checker_count(v07):
    results = Result.objects.for_round(v07)
    assert results.count() == 1205
    assert results.filter(entry__system__division="closed").count() == 733
    assert results.filter(entry__system__division="open").count() == 472
    assert results.filter(inferred=True).count() == 230
    assert System.objects.filter(round=v07).count() == 111
    # 80 closed systems, and 241 open (system, model folder) rows.
    assert Entry.objects.filter(system__round=v07, system__division="closed").count() == 80
    assert Entry.objects.filter(system__round=v07, system__division="open").count() == 241


def test_values_follow_the_spec(v07):
    def value(location):
        division, org, _, system, model, scenario = location.split("/")
        return Result.objects.get(
            entry__system__round=v07,
            entry__system__division=division,
            entry__system__submitter_folder=org,
            entry__system__folder_id=system,
            model_folder=model,
            scenario_folder=scenario,
        )

    server = value("closed/Nettrix/results/T4x16_TRT/bert-99.9/Server")
    assert (server.value, server.unit, server.run_values[-1]) == (2947.35, "queries/s", 2947.35)
    single = value("closed/Atos/results/T4x2_TRT/resnet50/SingleStream")
    assert (single.value, single.unit, single.accuracy_raw) == (1.258096, "ms", "75.918")
    inferred = value("closed/Dividiti/results/firefly-armnn-v20.08-neon/resnet50/offline")
    assert inferred.inferred and inferred.scenario.name == "Offline"
    multi = value("closed/NVIDIA/results/T4x1_TRT/resnet50/MultiStream")
    assert (multi.value, multi.unit) == (272.0, "streams")
    unet = value("closed/Inspur/results/T4x8_TRT/3d-unet-99/Offline")
    assert (unet.accuracy, unet.benchmark.accuracy_unit) == (0.85367, "")
    rnnt = value("closed/NVIDIA/results/A100-PCIex1_TRT/rnnt/Offline")
    assert rnnt.accuracy == pytest.approx(92.5545108119687)  # 100 - WER


def test_systems_are_normalised(v07):
    centaur = System.objects.get(round=v07, folder_id="0")
    assert (centaur.processor_count, centaur.accelerator_count, centaur.nodes) == (1, 1, 1)
    mobilint = System.objects.get(round=v07, division="closed", submitter__slug="mobilint")
    assert mobilint.category.slug == "rdi"  # "Research, Development, or Internal"
    on_premise = System.objects.filter(round=v07, status="on-premise")
    assert on_premise.count() == 4 and {s.category.slug for s in on_premise} == {"available"}
    cpu_only = System.objects.get(round=v07, division="closed", folder_id="1-node-2s-clx-mx-int8")
    assert cpu_only.accelerator is None and cpu_only.accelerator_count == 0
    # Dividiti (closed) and dividiti (open) are one organisation (Q7).
    dividiti = Submitter.objects.get(slug="dividiti")
    assert {s.submitter_folder for s in dividiti.systems.all()} == {"Dividiti", "dividiti"}


@pytest.mark.slow  # imports the whole bundled round
def test_importing_again_changes_nothing(v07):
    before = list(Entry.objects.order_by("pk").values_list("pk", "result_id"))
    output = run(str(BUNDLE), round="v0.7")
    assert "created: nothing" in output
    assert "updated: nothing" in output
    assert "unchanged: 1205 results, 111 systems" in output
    assert list(Entry.objects.order_by("pk").values_list("pk", "result_id")) == before


@pytest.mark.slow  # imports the whole bundled round
def test_result_ids_are_stable_and_a_correction_keeps_them(v07, tmp_path):
    import tarfile

    nettrix = "inference_results_v0.7/closed/Nettrix/"
    with tarfile.open(BUNDLE) as archive:
        archive.extractall(
            tmp_path, members=[m for m in archive if m.name.startswith(nettrix)], filter="data"
        )
    summary = next(
        (tmp_path / nettrix).glob(
            "results/T4x16_TRT/bert-99.9/Offline/performance/run_1/mlperf_log_summary.txt"
        )
    )
    summary.chmod(0o644)
    text = summary.read_text()
    old = next(line for line in text.splitlines() if line.startswith("Samples per second"))
    summary.write_text(text.replace(old, "Samples per second: 1234.5"))
    entry = Entry.objects.get(system__folder_id="T4x16_TRT", system__submitter__slug="nettrix")
    next_number = type(v07).objects.get(pk=v07.pk).next_result_number

    output = run(str(tmp_path / "inference_results_v0.7"), round="v0.7")

    assert "updated: 1 results" in output
    result = entry.results.get(benchmark__slug="bert-99.9", scenario__name="Offline")
    assert result.value == 1234.5
    assert Entry.objects.get(pk=entry.pk).result_id == entry.result_id
    assert type(v07).objects.get(pk=v07.pk).next_result_number == next_number


@pytest.mark.slow  # imports the whole bundled round
def test_dry_run_writes_nothing(v07):
    Result.objects.filter(entry__system__submitter__slug="atos").delete()
    output = run(str(BUNDLE), round="v0.7", dry_run=True)
    # The round is public: results added to it would be on the change log.
    assert "Dry run, nothing written. Would have created: 4 corrections, 4 results" in output
    assert not Result.objects.filter(entry__system__submitter__slug="atos").exists()


def test_unknown_round_and_unreadable_input(v07, tmp_path):
    with pytest.raises(CommandError, match="no round 'v9'"):
        run(str(BUNDLE), round="v9")
    junk = tmp_path / "junk.tgz"
    junk.write_bytes(b"not an archive")
    with pytest.raises(CommandError, match="rule IN1"):
        run(str(junk), round="v0.7")
    assert Result.objects.count() == 1205


@pytest.mark.slow  # imports the whole bundled round
def test_findings_are_printed(v07):
    output = run(str(BUNDLE), round="v0.7", dry_run=True, verbosity=2)
    assert "WARNING [M2 §4] closed/Nettrix/measurements/T4x16_TRT_AEP/" in output
    assert "INFO    [N1 §13]" in output


def test_a_fresh_database_numbers_rows_in_tree_order(v07):
    first = (
        Entry.objects.filter(system__round=v07)
        .order_by("number")
        .select_related("system__submitter")
        .first()
    )
    assert (first.result_id, first.system.submitter_folder) == ("0.7-001", "Altos")
    assert Path(BUNDLE).exists()
