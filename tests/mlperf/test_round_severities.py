"""Checks a round logs or makes fatal, as its own checker did (rounds §4.5, §2.5, §3.1).

A small tree in each round's layout (tests/round_trees.py: one closed edge
system with resnet in SingleStream, MultiStream and Offline) is broken in one
place, then checked with the round's profile. Where the round's checker made
the check fatal, the finding is an error and the result (or the system, with
its results) is rejected; where it only logged it, the finding is a warning and
the result stands. The rounds below are typed from ../shared/docs/mlperf-rounds.md,
not read from the profiles: §4.5's table (seeds, minimum queries, Offline
samples per query fatal from C31; minimum duration from C41; early stopping
from C60), §2.5 (compliance failures fatal from C21) and §3.1 (the 26 fields
that must hold a value, from C31).
"""

import json
from pathlib import Path

import pytest

from mlperf import check_tree, load_round_rules, read_tree
from mlperf.findings import Level
from mlperf.profiles import SEVERABLE_RULES, ProfileError, RoundRules, load_round_data
from tests.round_trees import SUBMITTER, SYSTEM, Case, write_tree

SS, MS, OFF = "SingleStream", "MultiStream", "Offline"
RESULTS = f"closed/{SUBMITTER}/results/{SYSTEM}/resnet50"
SYSTEM_JSON = f"closed/{SUBMITTER}/systems/{SYSTEM}.json"

# §3.1 MEANINGFUL26: present but falsy ("", 0, null, []) is fatal from C31.
MEANINGFUL26 = {
    "division", "submitter", "system_type", "status", "system_name", "number_of_nodes",
    "host_processor_model_name", "host_processors_per_node", "host_processor_core_count",
    "host_memory_capacity", "host_memory_configuration", "host_storage_capacity",
    "host_storage_type", "host_networking", "host_network_card_count",
    "host_networking_topology", "accelerators_per_node", "accelerator_model_name",
    "accelerator_memory_capacity", "accelerator_host_interconnect",
    "accelerator_memory_configuration", "accelerator_interconnect", "cooling", "framework",
    "operating_system", "other_software_stack",
}  # fmt: skip


def check(tmp_path: Path, version: str, *, detail=None, files=None, system=None, strict=False):
    """Write the tree, apply the changes, check it: (report, {scenario: result})."""
    rules = load_round_rules(version)
    # The figures' keys and units are test_import_every_round's business, not this file's.
    figures = {scenario: ("", "") for scenario in (SS, MS, OFF)}
    root = write_tree(tmp_path, rules, [Case("resnet", "edge", figures)])
    for (scenario, key), value in (detail or {}).items():
        path = root / RESULTS / scenario / "performance" / "run_1" / "mlperf_log_detail.txt"
        lines = []
        for line in path.read_text().splitlines():
            record = json.loads(line.removeprefix(":::MLLOG "))
            if record["key"] == key:
                record["value"] = value
            lines.append(":::MLLOG " + json.dumps(record))
        path.write_text("\n".join(lines) + "\n")
    for rel, text in (files or {}).items():
        if text is None:
            (root / rel).unlink()
        else:
            (root / rel).write_text(text)
    if system:
        path = root / SYSTEM_JSON
        path.write_text(json.dumps({**json.loads(path.read_text()), **system}))
    report = check_tree(read_tree(root, rules=rules), rules, strict=strict)
    return report, {r.scenario: r for r in report.results}


def levels(report, rule: str) -> set[Level]:
    return {f.level for f in report.findings if f.rule == rule}


def assert_fatal(report, results, rule: str, scenario: str | None = None) -> None:
    assert Level.ERROR in levels(report, rule), [str(f) for f in report.findings]
    if scenario is None:  # the system, and every result with it
        assert not results
        assert any(r.rule == rule for r in report.rejected)
    else:
        assert scenario not in results
        assert any(r.rule == rule and r.path.endswith(f"/{scenario}") for r in report.rejected)


def assert_logged(report, results, rule: str, scenario: str | None = None) -> None:
    assert levels(report, rule) == {Level.WARNING}, [str(f) for f in report.findings]
    assert set(results) == {SS, MS, OFF}
    assert not report.errors
    holder = results[scenario] if scenario else results[OFF]
    if scenario:
        assert any(f.rule == rule for f in holder.findings)


# -- the rounds' fatal lists, typed from the doc ----------------------------------------

C31 = {"C1", "M1", "M2", "P5", "P7", "P8", "S3"}
EXPECTED_FATAL = {
    "v1.0": set(), "v1.1": set(), "v2.0": set(),  # C10-C20: all logged, compliance a flag
    "v2.1": {"C1"}, "v3.0": {"C1"},  # C21, C30: compliance fatal
    "v3.1": C31, "v4.0": C31,
    "v4.1": C31 | {"P9"},
    # C50 requires user.conf and README.md only, the checker also mlperf.conf (§2.2): M1 logged.
    "v5.0": C31 - {"M1"} | {"P9"},
    # Bundled: as their era classes judged them against the official output (tests/oracles).
    "v5.1": set(), "v6.0": set(),
    # C61 fails the Offline minimum in closed only (§6.4), which a fatal list cannot say.
    "v6.1": C31 - {"P8"} | {"P9", "P6", "P12"},
}  # fmt: skip


@pytest.mark.parametrize("version", sorted(EXPECTED_FATAL))
def test_each_round_lists_what_its_checker_made_fatal(version):
    assert load_round_rules(version).fatal == EXPECTED_FATAL[version]


@pytest.mark.parametrize("version", ["v3.1", "v4.0", "v4.1", "v5.0", "v5.1", "v6.0", "v6.1"])
def test_the_fields_that_need_a_value_from_v3_1(version):
    assert set(load_round_rules(version).system_fields.non_empty) == MEANINGFUL26


@pytest.mark.parametrize("version", ["v1.0", "v2.0", "v2.1", "v3.0"])
def test_no_field_needs_a_value_before_v3_1(version):
    assert load_round_rules(version).system_fields.non_empty == ()


def test_a_profile_without_the_key_makes_nothing_fatal():
    data = load_round_data("v4.1")
    del data["fatal"]
    del data["system_fields"]["non_empty"]
    rules = RoundRules.from_dict(data)
    assert rules.fatal == frozenset() and rules.system_fields.non_empty == ()


@pytest.mark.parametrize(
    "fatal, words",
    [("P5", "fatal: a list of rule codes"),
     (["P5", "P99"], r"fatal\[1\]: 'P99' is not one of"),
     (["P1"], r"fatal\[0\]: 'P1' is not one of"),
     (["C1", "C1"], r"fatal\[1\]: C1 twice")],
)  # fmt: skip
def test_the_fatal_list_is_validated(fatal, words):
    data = {**load_round_data("v4.1"), "fatal": fatal}
    with pytest.raises(ProfileError, match=words):
        RoundRules.from_dict(data)
    assert set(load_round_rules("v4.1").fatal) <= set(SEVERABLE_RULES)


# -- each check, where it is fatal and where it is logged ---------------------------------


def test_a_clean_tree_is_accepted_in_every_round(tmp_path):
    for version in sorted(set(EXPECTED_FATAL) - {"v1.1"}):  # v1.1: no closed MultiStream
        report, results = check(tmp_path / version, version)
        assert set(results) == {SS, MS, OFF} and not report.errors, version
        assert not report.warnings, version


@pytest.mark.parametrize("version", ["v3.1", "v4.0", "v4.1", "v5.0", "v6.1"])
def test_wrong_seeds_are_fatal_from_v3_1(tmp_path, version):
    report, results = check(tmp_path, version, detail={(OFF, "effective_qsl_rng_seed"): 1})
    assert_fatal(report, results, "P5", OFF)


@pytest.mark.parametrize("version", ["v2.0", "v2.1", "v3.0", "v5.1", "v6.0"])
def test_wrong_seeds_are_logged_until_v3_0_and_in_the_bundled_v5_1_and_v6_0(tmp_path, version):
    report, results = check(tmp_path, version, detail={(OFF, "effective_qsl_rng_seed"): 1})
    assert_logged(report, results, "P5", OFF)


@pytest.mark.parametrize("version", ["v3.1", "v4.1", "v6.1"])
def test_a_short_minimum_query_count_is_fatal_from_v3_1(tmp_path, version):
    # Offline is the one scenario without early stopping from v2.0 (§4.5): at least 1 query.
    report, results = check(tmp_path, version, detail={(OFF, "effective_min_query_count"): 0})
    assert_fatal(report, results, "P7", OFF)


@pytest.mark.parametrize("version", ["v2.1", "v3.0"])
def test_a_short_minimum_query_count_is_logged_until_v3_0(tmp_path, version):
    report, results = check(tmp_path, version, detail={(OFF, "effective_min_query_count"): 0})
    assert_logged(report, results, "P7", OFF)


@pytest.mark.parametrize("version", ["v3.1", "v4.0", "v4.1", "v5.0"])
def test_too_few_offline_samples_per_query_are_fatal_from_v3_1(tmp_path, version):
    # resnet's minimum is 24576 throughout: OFFLINE_MIN_SPQ until C31, per model after (§6.4).
    report, results = check(tmp_path, version, detail={(OFF, "effective_samples_per_query"): 24575})
    assert_fatal(report, results, "P8", OFF)


@pytest.mark.parametrize("version", ["v3.0", "v5.1", "v6.0", "v6.1"])
def test_too_few_offline_samples_per_query_are_logged_elsewhere(tmp_path, version):
    report, results = check(tmp_path, version, detail={(OFF, "effective_samples_per_query"): 24575})
    assert_logged(report, results, "P8", OFF)


# §6.4, OFFLINE_MIN_SPQ_SINCE_V4 (C40+), where it is not 24576.
PER_MODEL = [
    ("v4.0", "bert-99", 10833), ("v4.0", "3d-unet-99", 43), ("v4.0", "rnnt", 2513),
    ("v4.0", "gptj-99", 13368), ("v4.0", "stable-diffusion-xl", 5000),
    ("v4.1", "mixtral-8x7b", 15000), ("v5.0", "llama3.1-405b", 8313),
    ("v5.0", "rgat", 788379), ("v6.1", "whisper", 1633), ("v6.1", "gpt-oss-120b", 6396),
    ("v6.1", "yolo-99", 1525), ("v6.1", "dlrm-v3", 349823),
    ("v6.1", "qwen3-vl-235b-a22b", 48289), ("v6.1", "wan-2.2-t2v-a14b", 50),
    ("v6.1", "e2e-rag-qna", 824), ("v6.1", "e2e-rag-db", 2515),
    ("v6.1", "llama3.1-8b-edge", 5000),
]  # fmt: skip


@pytest.mark.parametrize("version, benchmark, minimum", PER_MODEL)
def test_the_offline_minimum_is_per_model_from_v4_0(version, benchmark, minimum):
    bench = load_round_rules(version).benchmarks[benchmark]
    assert bench.scenarios[OFF].min_samples_per_query == minimum


def test_a_benchmark_below_24576_passes_with_its_own_minimum(tmp_path):
    rules = load_round_rules("v4.0")
    figures = {OFF: ("", ""), SS: ("", "")}
    root = write_tree(tmp_path, rules, [Case("bert-99", "edge", figures)])
    run = root / f"closed/{SUBMITTER}/results/{SYSTEM}/bert-99/{OFF}/performance/run_1"
    for per_query, accepted in ((10833, True), (10832, False)):
        log = run / "mlperf_log_detail.txt"
        lines = [
            json.loads(line.removeprefix(":::MLLOG ")) for line in log.read_text().splitlines()
        ]
        for record in lines:
            if record["key"] == "effective_samples_per_query":
                record["value"] = per_query
        log.write_text("".join(":::MLLOG " + json.dumps(r) + "\n" for r in lines))
        report = check_tree(read_tree(root, rules=rules), rules)
        assert (OFF in {r.scenario for r in report.results}) is accepted, per_query


@pytest.mark.parametrize("version", ["v4.1", "v5.0", "v6.1"])
def test_a_short_minimum_duration_is_fatal_from_v4_1(tmp_path, version):
    # §6.5: effective_min_duration_ms >= 600000 from v1.0, logged C10-C40, fatal C41+.
    report, results = check(tmp_path, version, detail={(SS, "effective_min_duration_ms"): 599999})
    assert_fatal(report, results, "P9", SS)


@pytest.mark.parametrize("version", ["v3.1", "v4.0", "v5.1", "v6.0"])
def test_a_short_minimum_duration_is_logged_until_v4_0_and_in_bundled_rounds(tmp_path, version):
    report, results = check(tmp_path, version, detail={(SS, "effective_min_duration_ms"): 599999})
    assert_logged(report, results, "P9", SS)


def test_early_stopping_not_met_is_fatal_in_v6_1(tmp_path):
    report, results = check(tmp_path, "v6.1", detail={(SS, "early_stopping_met"): False})
    assert_fatal(report, results, "P12", SS)


@pytest.mark.parametrize("version", ["v2.0", "v4.1", "v6.0"])
def test_early_stopping_not_met_is_logged_before_v6_1(tmp_path, version):
    report, results = check(tmp_path, version, detail={(SS, "early_stopping_met"): False})
    assert_logged(report, results, "P12", SS)


def compliance_folder(version: str) -> str:
    if version in ("v6.0", "v6.1"):  # inside the result folder from v6.0 (§2.1)
        return f"{RESULTS}/{OFF}"
    return f"closed/{SUBMITTER}/compliance/{SYSTEM}/resnet50/{OFF}"


@pytest.mark.parametrize("version", ["v2.1", "v3.0", "v3.1", "v4.1", "v5.0", "v6.1"])
def test_a_failing_compliance_test_is_fatal_from_v2_1(tmp_path, version):
    failed = {f"{compliance_folder(version)}/TEST01/verify_performance.txt": "TEST FAIL\n"}
    report, results = check(tmp_path, version, files=failed)
    assert_fatal(report, results, "C1", OFF)


@pytest.mark.parametrize("version", ["v1.0", "v2.0", "v5.1", "v6.0"])
def test_a_failing_compliance_test_is_a_flag_in_v2_0_and_the_bundled_rounds(tmp_path, version):
    failed = {f"{compliance_folder(version)}/TEST01/verify_performance.txt": "TEST FAIL\n"}
    report, results = check(tmp_path, version, files=failed)
    assert_logged(report, results, "C1", OFF)
    assert results[OFF].compliant is False and results[SS].compliant is True


@pytest.mark.parametrize("version", ["v3.1", "v4.0", "v4.1", "v5.0", "v6.1"])
@pytest.mark.parametrize("empty", [{"cooling": ""}, {"accelerators_per_node": 0}])
def test_an_empty_system_field_rejects_the_system_from_v3_1(tmp_path, version, empty):
    report, results = check(tmp_path, version, system=empty)
    assert_fatal(report, results, "S3")
    (finding,) = [f for f in report.findings if f.rule == "S3" and f.path == SYSTEM_JSON]
    assert next(iter(empty)) in finding.message
    # Each of its results is named as not checked, for the system's sake (as F4 does).
    assert {f.path.rsplit("/", 1)[1] for f in report.findings if f.rule == "S3"} == {
        SYSTEM + ".json",
        SS,
        MS,
        OFF,
    }


@pytest.mark.parametrize("version", ["v3.1", "v6.1"])
def test_the_text_zero_is_a_value(tmp_path, version):
    # Every CPU-only system of T41, T51 and T60 writes "0", which passes (§3.1).
    report, results = check(tmp_path, version, system={"accelerators_per_node": "0"})
    assert set(results) == {SS, MS, OFF} and not levels(report, "S3")


@pytest.mark.parametrize("version", ["v5.1", "v6.0"])
def test_an_empty_system_field_is_logged_in_the_bundled_v5_1_and_v6_0(tmp_path, version):
    report, results = check(tmp_path, version, system={"cooling": ""})
    assert_logged(report, results, "S3")


@pytest.mark.parametrize("version", ["v2.1", "v3.0"])
def test_no_field_is_checked_for_a_value_before_v3_1(tmp_path, version):
    report, results = check(tmp_path, version, system={"cooling": ""})
    assert set(results) == {SS, MS, OFF} and not levels(report, "S3")


def implementation_json(version: str) -> str:
    if version in ("v6.0", "v6.1"):  # a fixed name in the result folder from v6.0 (§2.6)
        return f"{RESULTS}/{OFF}/measurements.json"
    return f"closed/{SUBMITTER}/measurements/{SYSTEM}/resnet50/{OFF}/{SYSTEM}_impl_{OFF}.json"


# §2.6: the 5 keys; a missing key is logged until C30 and fatal from C31.
NO_RETRAINING_KEY = json.dumps(
    {
        "starting_weights_filename": "model.onnx",
        "weight_transformations": "none",
        "weight_data_types": "int8",
        "input_data_types": "int8",
    }
)


@pytest.mark.parametrize("version", ["v3.1", "v4.1", "v5.0", "v6.1"])
def test_an_implementation_json_without_a_key_is_fatal_from_v3_1(tmp_path, version):
    files = {implementation_json(version): NO_RETRAINING_KEY}
    report, results = check(tmp_path, version, files=files)
    assert_fatal(report, results, "M2", OFF)


@pytest.mark.parametrize("version", ["v2.1", "v3.0", "v5.1", "v6.0"])
def test_an_implementation_json_without_a_key_is_logged_until_v3_0(tmp_path, version):
    files = {implementation_json(version): NO_RETRAINING_KEY}
    report, results = check(tmp_path, version, files=files)
    assert_logged(report, results, "M2", OFF)


MLPERF_CONF = f"closed/{SUBMITTER}/measurements/{SYSTEM}/resnet50/{OFF}/mlperf.conf"


@pytest.mark.parametrize("version", ["v3.1", "v4.0", "v4.1"])
def test_a_measurement_folder_without_mlperf_conf_is_fatal_from_v3_1_to_v4_1(tmp_path, version):
    # The files are checked where the tree is whole (strict; a published snapshot may lack
    # them). mlperf.conf is a measurement file until v4.1 (§2.1, §2.2).
    report, results = check(tmp_path, version, files={MLPERF_CONF: None}, strict=True)
    assert_fatal(report, results, "M1", OFF)


@pytest.mark.parametrize("version", ["v3.0", "v5.0", "v5.1"])
def test_a_measurement_folder_without_mlperf_conf_is_logged_elsewhere(tmp_path, version):
    report, results = check(tmp_path, version, files={MLPERF_CONF: None}, strict=True)
    assert_logged(report, results, "M1", OFF)
