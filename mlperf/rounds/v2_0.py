"""The v2.0 era: early stopping, MultiStream as a latency, and more inferred results.

What changes in kind from v1.0 (rounds §4.2, §4.4, §4.5, §7, §8.2):

- SingleStream and MultiStream report LoadGen's early-stopping estimate
  (``early_stopping_latency_ss``, ``early_stopping_latency_ms``), and the
  latency bound and minimum queries give way to ``early_stopping_met``;
- MultiStream is 8 samples a query and its figure a latency in ms;
- Offline may be inferred from MultiStream (samples per query over the mean
  query latency) and MultiStream from SingleStream (8 x the estimate);
- power uses UTC (no PTD time zones) and energy per query for SS and MS.

The numbers that differ (keys, factors, units) are the profile's; this class
holds what the numbers cannot say.
"""

from __future__ import annotations

from ..loadgen import RunLog
from .v1_0 import V10Checker

# Offline from a MultiStream run: samples per query over the mean query latency.
MULTISTREAM_RATE = "samples_per_second_from_query_latency"


class V20Checker(V10Checker):
    def figure(self, log: RunLog, bench, scenario, logged, inferred):
        if inferred is not None and inferred.metric == MULTISTREAM_RATE:
            per_query = log.integer("effective_samples_per_query")
            mean = log.number("result_mean_latency_ns")
            if not per_query or not mean:
                return None, True, "no samples_per_query and mean latency in the log"
            return per_query * 1000 / (mean / 1e6), True, ""
        if inferred is not None:
            figure = log.figure(inferred.metric)
            if figure is not None and figure.value == 0:
                return None, True, "an early-stopping estimate of 0: not enough samples"
        return super().figure(log, bench, scenario, logged, inferred)

    def check_run_limits(self, log: RunLog, bench, logged: str, warn) -> None:
        super().check_run_limits(log, bench, logged, warn)
        if self.rules.scenarios[logged].early_stopping:
            met = log.text("early_stopping_met")
            if met is not None and met != "true":
                warn("P12", "early stopping is not met")
