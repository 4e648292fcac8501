"""A tree in each round's layout imports with that round's profile (issue 10's "done").

For every bundled profile (``mlperf.profiles.bundled_versions``, so rounds that
other work adds join by themselves), a small tree of one submitter and one
system is written in the round's layout and imported through
``manage.py import_submission``, which creates the round from its bundled
profile. The expectations (which log key a figure comes from, its unit, the
power unit) are written from ../shared/docs/mlperf-rounds.md (§4.2, §4.3,
§8.3, and §2.7 for v0.5), and for the mobile rounds from data/README.md ("The
mobile suite"), not read from the profiles.
"""

import io

import pytest
from django.core.management import CommandError, call_command

from mlperf.profiles import bundled_versions, load_round_rules
from results.models import Result, Round
from tests.round_trees import (
    FIGURES,
    LAYOUTS,
    STREAMS,
    SUBMITTER,
    SYSTEM_NAME,
    WATTS,
    Case,
    NoTreeBuilder,
    accuracy_text,
    app_accuracy,
    write_tree,
)

pytestmark = pytest.mark.django_db

SS, MS, SRV, OFF, INT = "SingleStream", "MultiStream", "Server", "Offline", "Interactive"
TOKENS = ("result_tokens_per_second", "tokens/s")
COMPLETED_TOKENS = ("result_completed_tokens_per_second", "tokens/s")
SAMPLES = ("result_samples_per_second", "samples/s")
SCHEDULED = ("result_scheduled_samples_per_sec", "queries/s")
COMPLETED = ("result_completed_samples_per_sec", "queries/s")
ES_SS = ("early_stopping_latency_ss", "ms")
ES_MS = ("early_stopping_latency_ms", "ms")
# v0.5's summary words (§2.7, §4.2): SingleStream is the 90th percentile latency in ns,
# shown in ms; MultiStream the samples per query (streams).
V05_LATENCY = ("90th percentile latency (ns)", "ms")
V05_STREAMS = ("Samples per query", "streams")
V05_SCHEDULED = ("Scheduled samples per second", "queries/s")
V05_SAMPLES = ("Samples per second", "samples/s")
# The app's score (data/README.md): SingleStream in queries/s, Offline in samples/s.
APP_SS = ("throughput", "queries/s")
APP_OFF = ("throughput", "samples/s")
MOBILE = ("mobile-v2.1", "mobile-v4.0", "mobile-v5.0")
# Energy per query: 300 W for 10 s over 1000 queries is 3 J, 3000 mJ (from v3.0, §8.2).
ENERGY = {"J/query": 3.0, "mJ/query": 3000.0, "J/sample": 3.0}

CASES = {
    # v0.5 has no system types (§2.7): one suite, "all"; gnmt's accuracy is BLEU.
    "v0.5": [
        Case(
            "resnet",
            "all",
            {SS: V05_LATENCY, MS: V05_STREAMS, SRV: V05_SCHEDULED, OFF: V05_SAMPLES},
        ),
        Case("gnmt", "all", {OFF: V05_SAMPLES}),
    ],
    # A mobile case's suite is the kind of device; scenario_folders name the app's
    # benchmark_id where it is not the benchmark's (data/README.md, the profiles' aliases).
    "mobile-v2.1": [
        Case(
            "image_classification",
            "phones",
            {SS: APP_SS, OFF: APP_OFF},
            scenario_folders={SS: "IC_tpu_uint8", OFF: "IC_tpu_uint8_offline"},
        ),
        Case(
            "natural_language_processing", "phones", {SS: APP_SS}, scenario_folders={SS: "LU_int8"}
        ),
    ],
    # v4.0 has a Windows laptop: a notebook.
    "mobile-v4.0": [
        Case(
            "image_classification_v2",
            "notebooks",
            {SS: APP_SS, OFF: APP_OFF},
            scenario_folders={OFF: "image_classification_offline_v2"},
        ),
        Case("super_resolution", "notebooks", {SS: APP_SS}),
    ],
    "mobile-v5.0": [
        Case("stable_diffusion", "phones", {SS: APP_SS}),
        Case("object_detection", "phones", {SS: APP_SS}),
        Case("image_segmentation_v2", "phones", {SS: APP_SS}),
    ],
    "v0.7": [
        Case(
            "resnet",
            "edge",
            {SS: ("90th percentile latency (ns)", "ms"), OFF: ("Samples per second", "samples/s")},
        )
    ],
    "v1.0": [
        Case(
            "resnet",
            "edge",
            {
                SS: ("result_90.00_percentile_latency_ns", "ms"),
                MS: ("effective_samples_per_query", "streams"),
                OFF: SAMPLES,
            },
            power=(SS, "J/query"),
        )
    ],
    # ssd-resnet34 is still SSD-ResNet34 (ssd-large) in v1.1 (§1.4).
    "v1.1": [
        Case(
            "ssd-large",
            "datacenter",
            {OFF: SAMPLES, SRV: SCHEDULED},
            power=(OFF, "W"),
            folder="ssd-resnet34",
        )
    ],  # fmt: skip
    "v2.0": [Case("resnet", "edge", {SS: ES_SS, MS: ES_MS, OFF: SAMPLES}, power=(SS, "J/query"))],
    "v2.1": [
        Case("retinanet", "edge", {SS: ES_SS, MS: ES_MS, OFF: SAMPLES}, power=(MS, "J/query"))
    ],
    "v3.0": [Case("resnet", "edge", {SS: ES_SS, MS: ES_MS, OFF: SAMPLES}, power=(SS, "mJ/query"))],
    # gptj has no token metric before v4.1 (§4.3).
    "v3.1": [Case("gptj-99", "datacenter", {SRV: SCHEDULED, OFF: SAMPLES}, power=(SRV, "W"))],
    # v4.0's llama2 Server figure is completed samples per second (§4.3).
    "v4.0": [Case("llama2-70b-99", "datacenter", {SRV: COMPLETED, OFF: TOKENS})],
    "v4.1": [
        Case("mixtral-8x7b", "datacenter", {SRV: COMPLETED_TOKENS, OFF: TOKENS}),
        Case("resnet", "datacenter", {SRV: COMPLETED, OFF: SAMPLES}, power=(OFF, "W")),
    ],
    "v5.0": [
        Case("llama2-70b-interactive-99", "datacenter", {SRV: COMPLETED_TOKENS, OFF: TOKENS}),
        Case(
            "gptj-99",
            "datacenter",
            {
                SRV: ("result_inferred_completed_tokens_per_second", "tokens/s"),
                OFF: ("result_inferred_tokens_per_second", "tokens/s"),
            },
        ),
    ],  # fmt: skip
    # An Interactive folder holds a Server run (§4.7).
    "v5.1": [Case("llama2-70b-99", "datacenter", {OFF: TOKENS, INT: COMPLETED_TOKENS})],
    "v6.0": [Case("llama3.1-8b", "datacenter", {OFF: TOKENS, SRV: COMPLETED_TOKENS})],
    "v6.1": [Case("gpt-oss-120b", "datacenter", {OFF: TOKENS, INT: COMPLETED_TOKENS})],
}


def generic_case(rules):
    """A round this file has no expectations for: its first benchmark, as its profile says."""
    bench = next(iter(rules.benchmarks.values()))
    suite, requirement = next(iter(bench.suites.items()))
    scenarios = requirement.required or requirement.allowed[:1]
    figures = {}
    for scenario in scenarios:
        metric = rules.metric(bench, scenario)
        figures[scenario] = (metric.key, metric.unit)
    return [Case(bench.id, suite, figures)]


def expected_accuracy(rules, version, benchmark):
    """metric -> figure: the app's (as it printed it) in a mobile round, accuracy.txt's else."""
    if version in MOBILE:
        metric, _, figure = app_accuracy(rules, benchmark)
        return {metric: figure}
    return accuracy_text(rules, benchmark)[1]


def expected_system(version, case):
    """(system type, category): the Mobile type with the device's kind in a mobile round."""
    if version in MOBILE:
        return ("mobile", case.suite)
    # v0.5 had no system types (§2.7): its one suite is the table "all systems".
    return ("all-systems" if case.suite == "all" else case.suite, "available")


def expected_compliance(version):
    """v0.5's checker reads no audit test (§2.7); the app's report has none (data/README.md)."""
    return None if version == "v0.5" or version in MOBILE else True


def expected_value(key, unit):
    figure = STREAMS if key == "effective_samples_per_query" else FIGURES[key]
    return figure / 1e6 if unit == "ms" else figure


@pytest.mark.parametrize("version", bundled_versions())
def test_a_tree_in_the_rounds_layout_imports(version, tmp_path, client):
    rules = load_round_rules(version)
    cases = CASES.get(version) or generic_case(rules)
    # No skip: a round of an era without a builder fails here (NoTreeBuilder) until it has one.
    root = write_tree(tmp_path / "tree", rules, cases)
    out = io.StringIO()
    call_command("import_submission", str(root), round=version, stdout=out)
    output = out.getvalue()
    round_ = Round.objects.get(version=version)
    assert round_.rules["version"] == version
    wanted = sum(len(case.figures) for case in cases)
    assert f"{wanted} results accepted ({wanted} closed" in output, output
    assert "0 rejected; 0 errors" in output, output

    results = {
        (r.benchmark.slug, r.scenario.name): r
        for r in Result.objects.filter(
            entry__system__round=round_, entry__system__submitter__name=SUBMITTER
        ).select_related(
            "benchmark", "scenario", "entry__system__system_type", "entry__system__category"
        )
    }
    for case in cases:
        bench = rules.benchmarks[case.benchmark]
        for scenario, (key, unit) in case.figures.items():
            result = results[(case.benchmark, scenario)]
            assert (result.unit, result.value) == (unit, pytest.approx(expected_value(key, unit)))
            assert result.compliant is expected_compliance(version), result.findings
            assert not result.inferred
            system = result.entry.system
            assert system.name == SYSTEM_NAME
            assert (system.system_type.slug, system.category.slug) == expected_system(version, case)
            column = result.benchmark.scenarios.get(scenario=result.scenario)
            assert column.unit == unit
            # Every accuracy metric of the round is kept with its target (and upper bound).
            metrics = {m["metric"]: m for m in result.accuracy_metrics}
            reported = [a for a in bench.accuracy if a.reported]
            assert set(metrics) == {a.metric for a in reported}
            values = expected_accuracy(rules, version, case.benchmark)
            for rule in reported:
                assert metrics[rule.metric]["value"] == pytest.approx(values[rule.metric])
                assert metrics[rule.metric]["unit"] == rule.unit
                assert rule.target <= metrics[rule.metric]["value"]
                assert metrics[rule.metric]["upper"] == rule.upper
            primary = bench.primary_accuracy.metric
            assert result.accuracy == pytest.approx(values[primary])
            if version in MOBILE:  # the app's text of it is kept as printed
                assert (
                    result.performance["accuracy_formatted"]
                    == app_accuracy(rules, case.benchmark)[1]
                )
            if version == "v0.5":  # the audit tests are in the tree, and decide nothing
                (audit,) = [f for f in result.findings if f["rule"] == "C1"]
                assert "audit/ holds TEST01 (verify_accuracy TEST PASS" in audit["message"]
            kinds = {m.kind: m for m in result.measurements.all()}
            if version == "v0.5" and scenario == SS:  # its latencies, read from the summary
                assert (kinds["latency_p90"].value, kinds["latency_p90"].unit) == (2.0, "ms")
            limits = bench.scenarios[scenario]
            if limits.ttft_ms is not None:
                assert kinds["ttft_p99"].value == pytest.approx(limits.ttft_ms / 2)
                assert kinds["tpot_p99"].value == pytest.approx(limits.tpot_ms / 2)
            if case.power is not None and case.power[0] == scenario:
                power_unit = case.power[1]
                figure = kinds.get("power") or kinds["energy"]
                assert figure.unit == power_unit
                assert figure.value == pytest.approx(ENERGY.get(power_unit, WATTS))
            else:
                assert "power" not in kinds and "energy" not in kinds
    # The round's page shows the rows once the round is public (v6.1 is not yet: embargoed).
    page = client.get(f"/{version}/", {"show": "tables"})  # every table, not the overview
    if round_.is_published:
        assert page.status_code == 200
        html = page.content.decode()
        assert SYSTEM_NAME in html
        # The row's section: the Mobile system type and the device's category; v0.5's one
        # table; and the figures as they landed (v0.5's SingleStream: 2,000,000 ns, 2 ms).
        sections = {
            "v0.5": "All systems, Closed division, Available",
            "mobile-v2.1": "Mobile, Closed division, Phones",
            "mobile-v4.0": "Mobile, Closed division, Notebooks",
            "mobile-v5.0": "Mobile, Closed division, Phones",
        }
        if version in sections:
            assert f"<h2>{sections[version]}</h2>" in html
        if version == "v0.5":  # its checker checked far less: the page says what
            assert "what was and was not checked" in html
            for case in cases:
                for key, unit in case.figures.values():
                    assert f'title="{float(expected_value(key, unit))} {unit}"' in html
    else:
        assert page.status_code == 404


def test_every_version_with_a_profile_is_covered_here():
    """A round added to mlperf/rounds/ without a case here still imports (generic_case)."""
    assert set(CASES) <= set(bundled_versions())
    # Every era of the bundled rounds has a tree builder, v0.5's and the mobile suite's too.
    assert {load_round_rules(v).checker for v in bundled_versions()} <= set(LAYOUTS)


def test_a_dry_run_creates_no_round(tmp_path):
    rules = load_round_rules("v3.0")
    root = write_tree(tmp_path / "tree", rules, CASES["v3.0"])
    out = io.StringIO()
    call_command("import_submission", str(root), round="v3.0", dry_run=True, stdout=out)
    assert "Would create round v3.0 from its bundled profile." in out.getvalue()
    assert not Round.objects.filter(version="v3.0").exists()


def test_a_round_with_no_profile_is_refused(tmp_path):
    with pytest.raises(CommandError, match=r"no round .v9.9. .*bundled profiles: (.*, )?v0\.7,"):
        call_command("import_submission", str(tmp_path), round="v9.9", stdout=io.StringIO())


def test_a_token_latency_over_its_limit_rejects_the_result(tmp_path):
    """v4.1 mixtral Server: TTFT must stay below 2000 ms (§4.6)."""
    rules = load_round_rules("v4.1")
    root = write_tree(tmp_path / "tree", rules, CASES["v4.1"][:1])
    detail = next(root.glob("closed/*/results/*/mixtral-8x7b/Server/performance/run_1/*detail*"))
    text = detail.read_text().replace('"value": 1000000000,', '"value": 2000000000,')
    assert text != detail.read_text()
    detail.write_text(text)
    out = io.StringIO()
    call_command("import_submission", str(root), round="v4.1", stdout=out)
    output = out.getvalue()
    assert "TTFT 2000 ms is not below the 2000 ms limit of mixtral-8x7b Server" in output
    # Server is required for mixtral in datacenter (§1.3): its Offline result goes too.
    assert "0 results accepted" in output and "2 rejected" in output


def test_a_tree_in_another_rounds_layout_does_not_import(tmp_path):
    """v6.0 moved measurements into the result folder (§2.1): a v5.1 tree lacks them there."""
    v51 = load_round_rules("v5.1")
    root = write_tree(tmp_path / "tree", v51, CASES["v5.1"])
    out = io.StringIO()
    call_command("import_submission", str(root), round="v6.0", strict=True, stdout=out)
    assert "is missing measurements.json" in out.getvalue()


@pytest.mark.parametrize("version, accepted", [("v4.0", True), ("v4.1", True), ("v5.0", False)])
def test_an_invalid_llm_run_within_its_token_limits(version, accepted, tmp_path):
    """C40/C41 take the TTFT/TPOT verdict as the run's validity; from v5.0 both must hold."""
    rules = load_round_rules(version)
    root = write_tree(tmp_path / "tree", rules, [Case("llama2-70b-99", "datacenter", {
        SRV: COMPLETED if version == "v4.0" else COMPLETED_TOKENS, OFF: TOKENS})])  # fmt: skip
    detail = next(root.glob("closed/*/results/*/*/Server/performance/run_1/*detail*"))
    detail.write_text(detail.read_text().replace('"value": "VALID"', '"value": "INVALID"'))
    out = io.StringIO()
    call_command("import_submission", str(root), round=version, stdout=out)
    output = out.getvalue()
    if accepted:
        assert "2 results accepted" in output, output
        assert f"LoadGen marks the run INVALID; {version}'s checker accepts it" in output
    else:
        assert "0 results accepted" in output and "not VALID (result_validity)" in output


def test_check_submission_uses_the_bundled_profile_of_a_round_not_loaded(tmp_path):
    rules = load_round_rules("v3.1")
    root = write_tree(tmp_path / "tree", rules, CASES["v3.1"])
    out = io.StringIO()
    call_command("check_submission", str(root), round="v3.1", stdout=out)
    assert (
        "2 results from 1 systems; 0 errors, 0 warnings: submission acceptable." in out.getvalue()
    )
    assert not Round.objects.filter(version="v3.1").exists()


def test_a_round_without_a_case_gets_one_from_its_profile(tmp_path):
    """What a round added later gets: its first benchmark, or a clear NoTreeBuilder."""
    from mlperf import check_tree, read_tree
    from mlperf.profiles import RoundRules, load_round_data

    rules = load_round_rules("v2.1")
    root = write_tree(tmp_path / "tree", rules, generic_case(rules))
    report = check_tree(read_tree(root, rules=rules), rules, strict=True)
    assert len(report.results) == 2 and not report.errors  # resnet, datacenter: Server, Offline
    unknown_era = RoundRules.from_dict({**load_round_data("v2.1"), "checker": "v9.9"})
    with pytest.raises(NoTreeBuilder, match="no tree builder for the v9.9 era"):
        write_tree(tmp_path / "other", unknown_era, generic_case(unknown_era))


def test_a_mobile_case_names_a_kind_of_device(tmp_path):
    """A mobile tree's one device is a phone or a notebook (the case's suite), nothing else."""
    rules = load_round_rules("mobile-v5.0")
    with pytest.raises(ValueError, match="the kind of device: phones, notebooks"):
        write_tree(tmp_path / "tree", rules, [Case("object_detection", "mobile", {SS: APP_SS})])


def test_a_notebook_without_an_app_report_scores_from_its_loadgen_summaries(tmp_path):
    """The v4.0 laptop's case (data/README.md): no result.json, so the summaries' scores."""
    rules = load_round_rules("mobile-v4.0")
    root = write_tree(tmp_path / "tree", rules, CASES["mobile-v4.0"])
    (root / "closed" / SUBMITTER / "results" / "box1" / "result.json").unlink()
    out = io.StringIO()
    call_command("import_submission", str(root), round="mobile-v4.0", stdout=out)
    assert "3 results accepted" in out.getvalue(), out.getvalue()
    results = {
        (r.benchmark.slug, r.scenario.name): r
        for r in Result.objects.filter(entry__system__round__version="mobile-v4.0")
    }
    # 1 / 2 ms and 1001 samples/s, not the app's 1153.7: the summaries' own figures.
    single = results[("image_classification_v2", SS)]
    assert (single.value, single.unit) == (pytest.approx(500.0), "queries/s")
    offline = results[("image_classification_v2", OFF)]
    assert (offline.value, offline.unit) == (pytest.approx(1001.0), "samples/s")
    assert all(r.accuracy is None and r.accuracy_metrics == [] for r in results.values())
    assert all("N1" in {f["rule"] for f in r.findings} for r in results.values())
