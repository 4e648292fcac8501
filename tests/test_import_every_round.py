"""A tree in each round's layout imports with that round's profile (issue 10's "done").

For every bundled profile (``mlperf.profiles.bundled_versions``, so rounds that
other work adds join by themselves), a small tree of one submitter and one
system is written in the round's layout and imported through
``manage.py import_submission``, which creates the round from its bundled
profile. The expectations (which log key a figure comes from, its unit, the
power unit) are written from ../shared/docs/mlperf-rounds.md (§4.2, §4.3,
§8.3), not read from the profiles.
"""

import io

import pytest
from django.core.management import CommandError, call_command

from mlperf.profiles import bundled_versions, load_round_rules
from results.models import Result, Round
from tests.round_trees import FIGURES, STREAMS, SUBMITTER, WATTS, Case, NoTreeBuilder, write_tree

pytestmark = pytest.mark.django_db

SS, MS, SRV, OFF, INT = "SingleStream", "MultiStream", "Server", "Offline", "Interactive"
TOKENS = ("result_tokens_per_second", "tokens/s")
COMPLETED_TOKENS = ("result_completed_tokens_per_second", "tokens/s")
SAMPLES = ("result_samples_per_second", "samples/s")
SCHEDULED = ("result_scheduled_samples_per_sec", "queries/s")
COMPLETED = ("result_completed_samples_per_sec", "queries/s")
ES_SS = ("early_stopping_latency_ss", "ms")
ES_MS = ("early_stopping_latency_ms", "ms")
# Energy per query: 300 W for 10 s over 1000 queries is 3 J, 3000 mJ (from v3.0, §8.2).
ENERGY = {"J/query": 3.0, "mJ/query": 3000.0, "J/sample": 3.0}

CASES = {
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


def expected_value(key, unit):
    figure = STREAMS if key == "effective_samples_per_query" else FIGURES[key]
    return figure / 1e6 if unit == "ms" else figure


@pytest.mark.parametrize("version", bundled_versions())
def test_a_tree_in_the_rounds_layout_imports(version, tmp_path, client):
    rules = load_round_rules(version)
    cases = CASES.get(version) or generic_case(rules)
    try:
        root = write_tree(tmp_path / "tree", rules, cases)
    except NoTreeBuilder as exc:
        pytest.skip(f"{version}: {exc}")
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
        ).select_related("benchmark", "scenario")
    }
    for case in cases:
        bench = rules.benchmarks[case.benchmark]
        for scenario, (key, unit) in case.figures.items():
            result = results[(case.benchmark, scenario)]
            assert (result.unit, result.value) == (unit, pytest.approx(expected_value(key, unit)))
            assert result.compliant is True, result.findings
            assert not result.inferred
            column = result.benchmark.scenarios.get(scenario=result.scenario)
            assert column.unit == unit
            # Every accuracy metric of the round is kept with its target (and upper bound).
            metrics = {m["metric"]: m for m in result.accuracy_metrics}
            reported = [a for a in bench.accuracy if a.reported]
            assert set(metrics) == {a.metric for a in reported}
            for rule in reported:
                assert rule.target <= metrics[rule.metric]["value"]
                assert metrics[rule.metric]["upper"] == rule.upper
            kinds = {m.kind: m for m in result.measurements.all()}
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
    page = client.get(f"/{version}/")
    if round_.is_published:
        assert page.status_code == 200
        assert "Acme Box 1" in page.content.decode()
    else:
        assert page.status_code == 404


def test_every_version_with_a_profile_is_covered_here():
    """A round added to mlperf/rounds/ without a case here still imports (generic_case)."""
    assert set(CASES) <= set(bundled_versions())


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
    """What a round added later (v0.5, mobile) gets: its first benchmark, or a clear skip."""
    from mlperf import check_tree, read_tree
    from mlperf.profiles import RoundRules, load_round_data

    rules = load_round_rules("v2.1")
    root = write_tree(tmp_path / "tree", rules, generic_case(rules))
    report = check_tree(read_tree(root, rules=rules), rules, strict=True)
    assert len(report.results) == 2 and not report.errors  # resnet, datacenter: Server, Offline
    other_era = RoundRules.from_dict({**load_round_data("v2.1"), "checker": "v0.5"})
    with pytest.raises(NoTreeBuilder, match="no tree builder for the v0.5 era"):
        write_tree(tmp_path / "other", other_era, generic_case(other_era))
