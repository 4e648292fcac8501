"""The LLM era (v4.0 on, as v5.1 states it): token latencies, Interactive, every-line accuracy.

What changes in kind from v2.0 (rounds §4.3, §4.6, §4.7, §5.4):

- language models report tokens per second (the profile's per-benchmark
  metrics) and must keep the 99th-percentile time to first token (TTFT) and
  time per output token (TPOT) strictly below the limits of their folder's
  scenario; the check joins the run's validity;
- an Interactive folder holds a Server run (the profile's ``log_scenario``);
- accuracy.txt is read line by line for every metric (``accuracy_reading``).
"""

from __future__ import annotations

from ..checker import _Run
from ..findings import Finding, Level
from .v2_0 import V20Checker

TTFT = "result_first_token_99.00_percentile_latency_ns"
TPOT = "result_time_per_output_token_99.00_percentile_ns"


class V51Checker(V20Checker):
    def check_run(self, path, bench, scenario, not_checked) -> _Run:
        run = super().check_run(path, bench, scenario, not_checked)
        limits = bench.scenarios.get(scenario)
        if run.fatal or limits is None or (limits.ttft_ms is None and limits.tpot_ms is None):
            return run
        log, where = self.run_log(path, [])
        for key, limit, name in ((TTFT, limits.ttft_ms, "TTFT"), (TPOT, limits.tpot_ms, "TPOT")):
            if limit is None:
                continue
            figure = log.number(key) if log is not None else None
            if figure is None:
                not_checked.append(f"P13 ({name})")
                continue
            run.measurements[f"{name.lower()}_p99"] = (figure / 1e6, "ms")
            if not figure < limit * 1e6:
                run.fatal.append(
                    Finding(
                        where,
                        "P13",
                        Level.ERROR,
                        f"99th-percentile {name} {figure / 1e6:g} ms is not below the "
                        f"{limit:g} ms limit of {bench.id} {scenario}",
                    )
                )
        return run
