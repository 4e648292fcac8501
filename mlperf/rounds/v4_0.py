"""v4.0 and v4.1: an LLM run's validity is its token-latency verdict.

C40 (llama2-70b) and C41 (llama2-70b, mixtral-8x7b) set a run's validity from
the TTFT/TPOT check alone (``llama_constraint, is_valid = extra_check_llama2(...)``,
``extra_check_llm``; rounds §4.6): a run LoadGen marks INVALID that keeps both
99th percentiles below the limits is accepted, one that does not is rejected.
From v5.0 the check joins LoadGen's validity instead, as ``V51Checker`` does.

Everything else is the v5.1 era's, and what differs in value (no Interactive,
the benchmarks, metrics and targets of each round) is the profile's.
"""

from __future__ import annotations

from dataclasses import replace

from ..checker import _Run
from ..findings import Level
from ..loadgen import RunLog
from ..profiles import BenchmarkRules, BenchmarkScenarioRules, RoundRules
from ..tree import SubmissionTree
from .v5_1 import TPOT, TTFT, V51Checker


class V40Checker(V51Checker):
    def __init__(
        self,
        tree: SubmissionTree,
        rules: RoundRules,
        strict: bool,
        submitters: set[str] | None,
    ) -> None:
        super().__init__(tree, rules, strict, submitters)
        # The limits of the run being checked, while ``check_run`` reads its log.
        self._token_limits: BenchmarkScenarioRules | None = None
        self._accepted_invalid: set[str] = set()

    def check_run(
        self, path: str, bench: BenchmarkRules, scenario: str, not_checked: list[str]
    ) -> _Run:
        limits = bench.scenarios.get(scenario)
        if limits is not None and (limits.ttft_ms is not None or limits.tpot_ms is not None):
            self._token_limits = limits
        try:
            return super().check_run(path, bench, scenario, not_checked)
        finally:
            self._token_limits = None

    def run_log(self, path: str, not_checked: list[str]) -> tuple[RunLog | None, str]:
        log, where = super().run_log(path, not_checked)
        limits = self._token_limits
        if limits is None or log is None or log.detail is None:
            return log, where
        if log.text("result_validity") == "VALID":
            return log, where
        for key, limit in ((TTFT, limits.ttft_ms), (TPOT, limits.tpot_ms)):
            figure = log.number(key)
            if limit is not None and (figure is None or not figure < limit * 1e6):
                return log, where  # rejected as INVALID, as the round's checker does
        if where not in self._accepted_invalid:
            self._accepted_invalid.add(where)
            self.note(
                where,
                "P13",
                Level.WARNING,
                f"LoadGen marks the run INVALID; {self.rules.version}'s checker accepts it "
                "because its TTFT and TPOT are within the limits",
            )
        detail = replace(log.detail, values={**log.detail.values, "result_validity": "VALID"})
        return RunLog(detail, log.summary), where
