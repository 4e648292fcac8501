"""Every bundled round profile loads, and its facts are those of the round's own rules.

The expected values are written from ../shared/docs/mlperf-rounds.md (the
section is named beside each), not read back from the JSON files, so a
profile copied from a neighbour where the rules differ fails here.
"""

import pytest

from mlperf import registry
from mlperf.profiles import (
    ProfileError,
    RoundRules,
    bundled_versions,
    load_round_data,
    load_round_rules,
)

# The rounds of MLPerf Inference (rounds §1.1); v0.5 and the mobile rounds come from their own
# work and join the generic checks below as soon as their profile is bundled.
EVERY_ROUND = [
    "v0.7", "v1.0", "v1.1", "v2.0", "v2.1", "v3.0", "v3.1", "v4.0", "v4.1", "v5.0", "v5.1",
    "v6.0", "v6.1",
]  # fmt: skip


@pytest.mark.parametrize("version", bundled_versions())
def test_every_bundled_profile_validates_and_names_a_known_era(version):
    data = load_round_data(version)
    rules = RoundRules.from_dict(data)
    assert rules.version == version
    assert rules.checker in registry.ERAS
    for bench in rules.benchmarks.values():
        for suite in bench.suites.values():
            assert set(suite.allowed) <= set(bench.scenarios), bench.id


def test_every_round_has_a_profile():
    assert set(EVERY_ROUND) <= set(bundled_versions())


# §1.1 "canonical benchmark ids", worked out from each row's "v4.0 list − x + y".
V21 = ["resnet", "retinanet", "rnnt", "bert-99", "bert-99.9", "dlrm-99", "dlrm-99.9",
       "3d-unet-99", "3d-unet-99.9"]  # fmt: skip
V31 = [b for b in V21 if not b.startswith("dlrm")] + [
    "dlrm-v2-99", "dlrm-v2-99.9", "gptj-99", "gptj-99.9", "gpt3-99", "gpt3-99.9"
]  # fmt: skip
V40 = [b for b in V31 if not b.startswith("gpt3")] + [
    "llama2-70b-99", "llama2-70b-99.9", "stable-diffusion-xl"
]  # fmt: skip
V41 = [b for b in V40 if b != "rnnt"] + ["mixtral-8x7b"]
V50 = V41 + [
    "llama2-70b-interactive-99", "llama2-70b-interactive-99.9", "llama3.1-405b", "rgat",
    "pointpainting",
]  # fmt: skip
V60 = [
    "resnet", "retinanet", "bert-99", "bert-99.9", "3d-unet-99", "3d-unet-99.9", "llama3.1-8b",
    "llama3.1-8b-edge", "llama2-70b-99", "llama2-70b-99.9", "stable-diffusion-xl",
    "mixtral-8x7b", "llama3.1-405b", "rgat", "pointpainting", "deepseek-r1", "whisper",
    "gpt-oss-120b", "wan-2.2-t2v-a14b", "qwen3-vl-235b-a22b", "dlrm-v3", "yolo-95", "yolo-99",
]  # fmt: skip
V61 = [
    b
    for b in V60
    if b not in ("retinanet", "llama2-70b-99", "mixtral-8x7b", "llama3.1-405b", "pointpainting")
] + ["qwen3.6-27b", "e2e-rag-qna", "e2e-rag-db"]
V07 = ["resnet", "ssd-small", "ssd-large", "rnnt", "bert-99", "bert-99.9", "dlrm-99",
       "dlrm-99.9", "3d-unet-99", "3d-unet-99.9"]  # fmt: skip

BENCHMARKS = {
    "v1.1": V07,
    "v2.1": V21,
    "v3.0": V21,
    "v3.1": V31,
    "v4.0": V40,
    "v4.1": V41,
    "v5.0": V50,
    "v6.1": V61,
}


@pytest.mark.parametrize("version", sorted(BENCHMARKS))
def test_benchmark_lists(version):
    assert sorted(load_round_rules(version).benchmarks) == sorted(BENCHMARKS[version])


# §1.1 divisions: network from v2.1 on (and still listed by C61).
@pytest.mark.parametrize(
    "version, network",
    [("v1.1", False), ("v2.1", True), ("v3.0", True), ("v3.1", True), ("v4.0", True),
     ("v4.1", True), ("v5.0", True), ("v6.1", True)],
)  # fmt: skip
def test_network_division(version, network):
    divisions = load_round_rules(version).divisions
    assert set(divisions) == {"closed", "open"} | ({"network"} if network else set())


# §8.3: SS/MS energy in J until v2.1 and mJ from v3.0; W for Offline and Server. §4.4 and
# §8.2: v1.x MultiStream energy is per sample, per query from v2.0.
@pytest.mark.parametrize(
    "version, energy_unit, ms_per, scale",
    [("v1.1", "J", "sample", 1), ("v2.1", "J", "query", 1), ("v3.0", "mJ", "query", 1000),
     ("v3.1", "mJ", "query", 1000), ("v4.0", "mJ", "query", 1000), ("v4.1", "mJ", "query", 1000),
     ("v5.0", "mJ", "query", 1000), ("v6.1", "mJ", "query", 1000)],
)  # fmt: skip
def test_power_units(version, energy_unit, ms_per, scale):
    power = load_round_rules(version).power
    assert power is not None
    assert power.unit("Offline") == power.unit("Server") == "W"
    assert power.unit("SingleStream") == power.unit("MultiStream") == energy_unit
    assert power.energy_per.get("MultiStream") == ms_per
    assert power.energy_scale == scale
    # Samples of 0 W or less are dropped from C31 on (§8.2 step 3).
    assert power.positive_only == (version not in ("v1.1", "v2.1", "v3.0"))


# §6.3 seeds (qsl_rng_seed).
@pytest.mark.parametrize(
    "version, qsl_seed",
    [("v1.1", "1624344308455410291"), ("v2.1", "14284205019438841327"),
     ("v3.0", "10003631887983097364"), ("v3.1", "148687905518835231"),
     ("v4.0", "13281865557512327830"), ("v4.1", "3066443479025735752"),
     ("v5.0", "6023615788873153749"), ("v6.1", "2085463073848966840")],
)  # fmt: skip
def test_seeds(version, qsl_seed):
    assert load_round_rules(version).seeds["qsl_rng_seed"] == qsl_seed


def accuracy(version, benchmark):
    return {a.metric: a for a in load_round_rules(version).benchmarks[benchmark].accuracy}


# §5.2 targets and §5.3 upper limits.
@pytest.mark.parametrize(
    "version, benchmark, metric, target, upper",
    [
        ("v1.1", "3d-unet-99", "Mean DICE", 0.84447, None),  # BraTS until v1.1
        ("v2.1", "3d-unet-99", "DICE", 0.853083, None),  # 0.8617 reference from v2.1
        ("v2.1", "retinanet", "mAP", 37.1745, None),
        ("v3.1", "dlrm-v2-99.9", "AUC", 80.22969, None),
        ("v3.1", "gptj-99", "GEN_LEN", 3615190.2, None),  # no upper limits before v4.0
        ("v4.0", "llama2-70b-99", "TOKENS_PER_SAMPLE", 265.005, 323.895),
        ("v4.0", "stable-diffusion-xl", "CLIP_SCORE", 31.68631873, 31.81331801),
        ("v4.1", "mixtral-8x7b", "TOKENS_PER_SAMPLE", 131.31, 160.49),  # 145.9 x 0.9
        ("v4.1", "mixtral-8x7b", "gsm8k_accuracy", 73.0422, None),
        ("v5.0", "mixtral-8x7b", "TOKENS_PER_SAMPLE", 130.356, 160.49),  # 144.84 x 0.9
        ("v5.0", "llama3.1-405b", "TOKENS_PER_SAMPLE", 616.212, 753.148),
        ("v5.0", "llama2-70b-interactive-99.9", "ROUGE1", 44.386769, None),
        ("v5.0", "pointpainting", "mAP", 0.5419575, None),
        ("v6.1", "deepseek-r1", "TOKENS_PER_SAMPLE", 3497.60466, 4274.85014),
        ("v6.1", "llama3.1-8b", "GEN_LEN", 7350879.6, 8984408.4),
        ("v6.1", "qwen3.6-27b", "mAP", 85.3677, None),
        ("v6.1", "e2e-rag-db", "E2E_ACCURACY", 98, None),
    ],
)
def test_accuracy_targets_and_upper_limits(version, benchmark, metric, target, upper):
    rule = accuracy(version, benchmark)[metric]
    assert rule.target == pytest.approx(target)
    assert rule.upper == (pytest.approx(upper) if upper is not None else None)


@pytest.mark.parametrize(
    "version, benchmark, metrics",
    [
        ("v3.1", "gptj-99", ["ROUGE1", "ROUGE2", "ROUGEL", "GEN_LEN"]),
        ("v4.1", "mixtral-8x7b",
         ["ROUGE1", "ROUGE2", "ROUGEL", "TOKENS_PER_SAMPLE", "gsm8k_accuracy", "mbxp_accuracy"]),
        ("v5.0", "llama3.1-405b", ["ROUGEL", "exact_match", "TOKENS_PER_SAMPLE"]),
    ],
)  # fmt: skip
def test_multi_metric_accuracy(version, benchmark, metrics):
    assert list(accuracy(version, benchmark)) == metrics


# §5.1: quoted numbers are read from C50 (5e903956) on, not before.
@pytest.mark.parametrize("version, quoted", [("v4.1", False), ("v5.0", True), ("v6.1", True)])
def test_rouge_reading_follows_the_round(version, quoted):
    benchmark = "llama2-70b-99.9"
    rouge1 = accuracy(version, benchmark)["ROUGE1"].regex
    assert rouge1.match("{'rouge1': 44.5, 'rouge2': 22.1}")
    assert bool(rouge1.match("{'rouge1': '44.5', 'rouge2': '22.1'}")) == quoted


def limits(version, benchmark, scenario):
    return load_round_rules(version).benchmarks[benchmark].scenarios[scenario]


# §4.6 TTFT / TPOT (ms) per LLM and scenario.
@pytest.mark.parametrize(
    "version, benchmark, scenario, ttft, tpot",
    [
        ("v3.1", "gptj-99", "Server", None, None),  # no token latencies before v4.0
        ("v4.0", "llama2-70b-99", "Server", 2000, 200),
        ("v4.1", "mixtral-8x7b", "Server", 2000, 200),
        ("v5.0", "llama2-70b-interactive-99", "Server", 450, 40),
        ("v5.0", "llama3.1-405b", "Server", 6000, 175),
        ("v6.1", "gpt-oss-120b", "Server", 3000, 80),  # checked from C61 on
        ("v6.1", "gpt-oss-120b", "Interactive", 2000, 15),
        ("v6.1", "deepseek-r1", "Interactive", 1500, 15),
        ("v6.1", "llama3.1-8b", "Interactive", 500, 30),
    ],
)
def test_llm_token_latency_limits(version, benchmark, scenario, ttft, tpot):
    row = limits(version, benchmark, scenario)
    assert (row.ttft_ms, row.tpot_ms) == (ttft, tpot)


# §6.2 Server latency bounds (ms).
@pytest.mark.parametrize(
    "version, benchmark, scenario, bound",
    [
        ("v1.1", "resnet", "MultiStream", 50),
        ("v1.1", "ssd-large", "MultiStream", 66),
        ("v3.0", "dlrm-99", "Server", 30),
        ("v3.1", "dlrm-v2-99", "Server", 60),
        ("v4.1", "mixtral-8x7b", "Server", None),  # none in v4.1, 20 s from v5.0
        ("v5.0", "mixtral-8x7b", "Server", 20000),
        ("v6.1", "qwen3-vl-235b-a22b", "Server", 12000),
        ("v6.1", "qwen3-vl-235b-a22b", "Interactive", 1500),
    ],
)
def test_latency_bounds(version, benchmark, scenario, bound):
    assert limits(version, benchmark, scenario).latency_bound_ms == bound


def metric(version, benchmark, scenario):
    rules = load_round_rules(version)
    return rules.metric(rules.benchmarks[benchmark], scenario)


# §4.2 and §4.3: the figure of each scenario; tokens/s for the LLMs.
@pytest.mark.parametrize(
    "version, benchmark, scenario, key, unit",
    [
        ("v1.1", "resnet", "MultiStream", "effective_samples_per_query", "streams"),
        ("v2.1", "resnet", "MultiStream", "early_stopping_latency_ms", "ms"),
        ("v4.0", "resnet", "Server", "result_scheduled_samples_per_sec", "queries/s"),
        ("v4.1", "resnet", "Server", "result_completed_samples_per_sec", "queries/s"),
        ("v3.1", "gptj-99", "Offline", "result_samples_per_second", "samples/s"),
        ("v4.1", "gptj-99", "Offline", "result_inferred_tokens_per_second", "tokens/s"),
        ("v4.0", "llama2-70b-99", "Offline", "result_tokens_per_second", "tokens/s"),
        # v4.0's llama2 Server figure is completed samples, not tokens (§4.3).
        ("v4.0", "llama2-70b-99", "Server", "result_completed_samples_per_sec", "queries/s"),
        ("v4.1", "llama2-70b-99", "Server", "result_completed_tokens_per_second", "tokens/s"),
        ("v5.0", "llama3.1-405b", "Server", "result_completed_tokens_per_second", "tokens/s"),
        ("v6.1", "e2e-rag-qna", "Offline", "result_samples_per_second", "tasks/s"),
    ],
)
def test_metrics(version, benchmark, scenario, key, unit):
    figure = metric(version, benchmark, scenario)
    assert (figure.key, figure.unit) == (key, unit)


# §1.1 and §4.7: Interactive is a scenario from v5.1; v5.0 has interactive benchmarks instead.
@pytest.mark.parametrize(
    "version, interactive",
    [("v4.1", False), ("v5.0", False), ("v5.1", True), ("v6.0", True), ("v6.1", True)],
)
def test_interactive_scenario(version, interactive):
    assert ("Interactive" in load_round_rules(version).scenarios) == interactive


# §1.3 required and optional scenarios.
@pytest.mark.parametrize(
    "version, benchmark, suite, required, optional",
    [
        ("v1.1", "resnet", "edge", {"SingleStream", "Offline"}, set()),  # no MS in v1.1
        ("v1.1", "resnet", "datacenter", {"Offline"}, {"Server"}),
        ("v2.1", "resnet", "datacenter", {"Server", "Offline"}, set()),
        ("v4.1", "mixtral-8x7b", "datacenter,edge", {"SingleStream", "Server", "Offline"}, set()),
        ("v5.0", "mixtral-8x7b", "datacenter,edge", {"Server", "Offline"}, set()),
        ("v5.0", "pointpainting", "edge", {"SingleStream"}, set()),
        ("v6.1", "qwen3-vl-235b-a22b", "datacenter", {"Offline"}, {"Server", "Interactive"}),
        ("v6.1", "qwen3.6-27b", "edge", {"SingleStream"}, set()),
    ],
)
def test_suite_requirements(version, benchmark, suite, required, optional):
    rules = load_round_rules(version).benchmarks[benchmark].suites[suite]
    assert (set(rules.required), set(rules.optional)) == (required, optional)


@pytest.mark.parametrize(
    "version, benchmark, suite",
    [("v5.0", "bert-99", "datacenter"), ("v6.1", "resnet", "datacenter"),
     ("v6.1", "wan-2.2-t2v-a14b", "edge")],
)  # fmt: skip
def test_benchmarks_outside_a_suite(version, benchmark, suite):
    assert suite not in load_round_rules(version).benchmarks[benchmark].suites


# §2.5 compliance tests.
@pytest.mark.parametrize(
    "version, benchmark, scenario, tests",
    [
        ("v1.1", "resnet", "MultiStream", ("TEST01", "TEST05")),
        ("v2.1", "resnet", "Offline", ("TEST01", "TEST04", "TEST05")),
        ("v4.0", "stable-diffusion-xl", "Offline", ()),
        ("v4.1", "stable-diffusion-xl", "Offline", ("TEST01", "TEST04")),
        ("v5.0", "resnet", "Offline", ("TEST01", "TEST04")),  # no TEST05 from v5.0
        ("v5.0", "llama2-70b-interactive-99", "Server", ("TEST06",)),
        ("v6.1", "e2e-rag-qna", "Offline", ("TEST09",)),
    ],
)
def test_compliance_tests(version, benchmark, scenario, tests):
    assert limits(version, benchmark, scenario).compliance == tests


# §3.1 system-description fields.
@pytest.mark.parametrize(
    "version, count, extra",
    [("v1.1", 33, None), ("v3.0", 33, None), ("v3.1", 35, "system_type_detail"),
     ("v5.0", 35, "host_network_card_count"), ("v6.1", 35, "system_type_detail")],
)  # fmt: skip
def test_required_system_fields(version, count, extra):
    fields = load_round_rules(version).system_fields
    assert len(fields.required) == count
    if extra:
        assert extra in fields.required
    # POWER15 adds system_power_only from C50 (§3.1).
    assert ("system_power_only" in fields.optional) == (version in ("v5.0", "v6.1"))


# §1.4: ssd-resnet34 is SSD-ResNet34 until v2.0 and retinanet from v2.1.
@pytest.mark.parametrize(
    "version, target", [("v1.1", "ssd-large"), ("v2.1", "retinanet"), ("v4.1", "retinanet")]
)
def test_ssd_resnet34_folder(version, target):
    assert load_round_rules(version).map_benchmark("ssd-resnet34") == (target, "alias")


# §1.1 dates (the italic ones are the survey's), §0 checker states.
@pytest.mark.parametrize(
    "version, date",
    [("v1.1", "2021-09-22"), ("v2.1", "2022-09-08"), ("v3.0", "2023-04-04"),
     ("v3.1", "2023-09-11"), ("v4.0", "2024-03-27"), ("v4.1", "2024-08-28"),
     ("v5.0", "2025-04-02"), ("v6.1", None)],
)  # fmt: skip
def test_publication_dates_and_links(version, date):
    data = load_round_data(version)
    assert (data.get("published_at") or "")[:10] == (date or "")
    assert data["links"]["results"] == f"https://github.com/mlcommons/inference_results_{version}"
    assert data["links"]["code"].startswith("https://github.com/mlcommons/inference/")
    assert data["notes"], "each profile says how it differs from its neighbour"


@pytest.mark.parametrize(
    "change, words",
    [({"notes": "one text"}, "notes: a list of texts"),
     ({"links": {"code": 3}}, "links: an object of names and addresses")],
)  # fmt: skip
def test_notes_and_links_are_validated(change, words):
    data = {**load_round_data("v4.0"), **change}
    with pytest.raises(ProfileError, match=words):
        RoundRules.from_dict(data)
    assert "era class" in load_round_rules("v4.0").notes[0]


# §1.4: C21-C40 keep v2.0's mapping of ssd names to ids the round no longer has, so such a
# folder is no benchmark of the round; C41 drops that mapping, and mobilenet means resnet.
@pytest.mark.parametrize(
    "version, folder, found",
    [("v2.1", "ssd-mobilenet", "ssd-small"), ("v4.0", "ssd_mobilenet_v1_coco", "ssd-small"),
     ("v4.1", "ssd-mobilenet", "resnet"), ("v3.0", "bert-99.9-int8", "bert-99.9")],
)  # fmt: skip
def test_retired_folder_names(version, folder, found):
    rules = load_round_rules(version)
    benchmark, _ = rules.map_benchmark(folder)
    assert benchmark == found
    assert (benchmark in rules.benchmarks) == (found not in ("ssd-small", "ssd-large"))
