"""The v1.0 era: figures from the detail log, one performance run, and power.

What changes in kind from v0.7 (rounds §1.1, §4, §8):

- the figure is the detail log's (``:::MLLOG`` keys); where a published tree
  has only the summary log, ``loadgen.RunLog`` reads the same keys from it
  and says when its digits fall short of the detail log's;
- one run (``run_1``) in every scenario;
- power: a result with ``performance/power/`` reports the mean power of its
  testing run (``run_1/spl.txt`` between the detail log's ``power_begin`` and
  ``power_end``), in W, or the energy per query or sample.
"""

from __future__ import annotations

import json
from typing import Any

from ..checker import DETAIL, SUMMARY, Add, Checker, _Run
from ..findings import Finding, Level
from ..loadgen import DetailLog, RunLog
from ..parsers import parse_summary
from ..power import PowerSamples, PowerWindow, parse_time, window_average
from ..profiles import BenchmarkRules, InferredRule, PowerRules

# Latencies the result keeps beside its figure: measurement kind -> detail key.
LATENCY_KEYS = {
    "latency_mean": "result_mean_latency_ns",
    "latency_p50": "result_50.00_percentile_latency_ns",
    "latency_p90": "result_90.00_percentile_latency_ns",
    "latency_p99": "result_99.00_percentile_latency_ns",
}
POWER_FILES = ("client.json", "client.log", "ptd_logs.txt", "server.json", "server.log")
# What the result keeps of the log: the figures people look up, not the whole log.
KEPT_KEYS = (
    "effective_scenario",
    "result_validity",
    "result_samples_per_second",
    "result_scheduled_samples_per_sec",
    "result_completed_samples_per_sec",
    "result_qps_with_loadgen_overhead",
    "result_mean_latency_ns",
    "result_90.00_percentile_latency_ns",
    "result_99.00_percentile_latency_ns",
    "early_stopping_latency_ss",
    "early_stopping_latency_ms",
    "effective_samples_per_query",
    "effective_performance_sample_count",
    "effective_min_duration_ms",
    "effective_min_query_count",
    "effective_target_latency_ns",
    "result_query_count",
    "power_begin",
    "power_end",
)


def scaled(value: float, scale: float) -> float:
    """``value`` times ``scale``, dividing where the checker divides (ns / 1e6 = ms)."""
    if scale == 1:
        return value
    divisor = 1 / scale
    if scale < 1 and abs(divisor - round(divisor)) < 1e-6:
        if round(divisor) == 1_000_000_000:
            # ns to s: the checker divides to ms, then to s (wan-2.2, v6.0), bit for bit.
            return value / 1_000_000 / 1000
        return value / round(divisor)
    return value * scale


class V10Checker(Checker):
    def run_log(self, path: str, not_checked: list[str]) -> tuple[RunLog | None, str]:
        """The run's log (detail, else summary) and the file it came from."""
        detail_entry = self.tree.get(f"{path}/{DETAIL}")
        detail: DetailLog | None = None
        if detail_entry is not None:
            if isinstance(detail_entry.parsed, DetailLog):
                detail = detail_entry.parsed
            elif detail_entry.data:
                # A tree read without this era's policy: parse what was kept.
                from ..loadgen import parse_detail

                detail = parse_detail(detail_entry.text())
        summary_text = self.text(f"{path}/{SUMMARY}")
        summary = parse_summary(summary_text) if summary_text is not None else None
        if detail is None and summary is None:
            return None, ""
        if detail is None:
            not_checked.append("P3 (performance detail logs)")
        where = f"{path}/{DETAIL}" if detail is not None else f"{path}/{SUMMARY}"
        return RunLog(detail, summary), where

    def check_run(
        self, path: str, bench: BenchmarkRules, scenario: str, not_checked: list[str]
    ) -> _Run:
        run = _Run(path)
        rules = self.rules

        def fail(rule: str, message: str, where: str = path) -> _Run:
            run.fatal.append(Finding(where, rule, Level.ERROR, message))
            return run

        log, where = self.run_log(path, not_checked)
        if log is None:
            return fail("P4", f"missing {DETAIL} (and {SUMMARY})")
        if log.detail is None and self.strict:
            fail("P4", f"missing {DETAIL}, which the checker reads from v1.0 on")

        warn = self.run_warner(run, where)

        run.summary = log.summary
        if log.detail is not None:
            if not log.detail.first_line_ok or log.detail.malformed:
                warn("P4", f"{log.detail.malformed} :::MLLOG line(s) are not JSON")
            errors = self.significant_errors(log.detail.error_lines)
            if errors:
                fail(
                    "P3",
                    f"{log.detail.error_line_count} ERROR line(s), e.g. {errors[0]!r}",
                    f"{path}/{DETAIL}",
                )
        if log.text("result_validity") != "VALID":
            return fail("P1", "the run is not VALID (result_validity)", where)
        logged = log.text("effective_scenario")
        if logged is None or logged not in rules.scenarios:
            return fail("P4", f"no known scenario in the log (found {logged!r})", where)
        run.logged = logged
        inferred = None
        if logged != scenario and logged != rules.scenarios[scenario].log_scenario:
            inferred = rules.inferred_rule(scenario, logged)
            if inferred is None:
                return fail("P11", f"the log is a {logged} run in a {scenario} folder", where)
            run.inferred = True
        value, exact, message = self.figure(log, bench, scenario, logged, inferred)
        if value is None:
            return fail("P4", message, where)
        run.value, run.exact = value, exact
        run.values = {k: v for k in KEPT_KEYS if (v := log.text(k)) is not None}
        for kind, key in LATENCY_KEYS.items():
            figure = log.figure(key)
            if figure is not None:
                run.measurements[kind] = (figure.value / 1e6, "ms")

        if not self.check_samples_and_seeds(log, bench, fail, warn, where):
            return run
        self.check_run_limits(log, bench, logged, warn)
        return run

    def figure(
        self,
        log: RunLog,
        bench: BenchmarkRules,
        scenario: str,
        logged: str,
        inferred: InferredRule | None,
    ) -> tuple[float | None, bool, str]:
        """The result's figure (value, exact, or None and why)."""
        if inferred is not None:
            figure = log.figure(inferred.metric)
            if figure is None:
                return None, True, f"no {inferred.metric} in the log"
            return scaled(figure.value * inferred.factor, inferred.scale), figure.exact, ""
        metric = self.rules.metric(bench, logged)
        figure = log.figure(metric.key)
        if figure is None:
            return None, True, f"no {metric.key} in the log"
        if figure.value <= 0:
            return None, True, f"{metric.key} is {figure.value:g}, not a positive figure"
        return scaled(figure.value, metric.scale), figure.exact, ""

    # -- power -----------------------------------------------------------------

    def check_power(
        self,
        location: str,
        bench: BenchmarkRules,
        scenario: str,
        run: _Run,
        add: Add,
        not_checked: list[str],
    ) -> dict[str, tuple[float, str]]:
        power_rules = self.rules.power
        power_dir = f"{location}/performance/power"
        if power_rules is None or not self.tree.is_dir(power_dir):
            return {}
        testing = f"{location}/performance/run_1"
        names = set(self.tree.subfiles(power_dir))
        for name in POWER_FILES:
            if name not in names:
                if self.strict:
                    add(f"{power_dir}/{name}", "PW1", Level.ERROR, f"missing {name}")
                else:
                    not_checked.append(f"PW1 (power/{name})")
        ranging = f"{location}/performance/ranging"
        if not self.tree.is_dir(ranging):
            if self.strict:
                add(ranging, "PW1", Level.ERROR, "no ranging run (performance/ranging)")
        elif self.strict:
            for name in (SUMMARY, DETAIL, "spl.txt"):
                if not self.tree.is_file(f"{ranging}/{name}"):
                    add(f"{ranging}/{name}", "PW1", Level.ERROR, f"missing {name}")
        spl = self.tree.get(f"{testing}/spl.txt")
        if spl is None:
            add(f"{testing}/spl.txt", "PW1", Level.ERROR, "missing spl.txt, the power samples")
            return {}
        samples = spl.parsed
        if not isinstance(samples, PowerSamples):
            from ..power import parse_samples

            samples = parse_samples(spl.text())
        detail_entry = self.tree.get(f"{testing}/{DETAIL}")
        detail = detail_entry.parsed if detail_entry is not None else None
        if detail_entry is None and f"{testing}/{DETAIL}" in self.absent:
            not_checked.append("PW2 (power: the testing run's detail log is not in the snapshot)")
            return {}
        if not isinstance(detail, DetailLog):
            add(
                f"{testing}/{DETAIL}",
                "PW1",
                Level.ERROR,
                f"missing {DETAIL}, which says when the testing run began and ended",
            )
            return {}
        if samples.bad_lines:
            add(
                f"{testing}/spl.txt",
                "PW2",
                Level.ERROR,
                f"{samples.bad_lines} sample line(s) do not parse, e.g. {samples.first_bad!r}",
            )
            return {}
        try:
            begin = parse_time(str(detail.values["power_begin"]))
            end = parse_time(str(detail.values["power_end"]))
        except (KeyError, ValueError):
            add(
                f"{testing}/{DETAIL}",
                "PW2",
                Level.ERROR,
                "no readable power_begin and power_end in the detail log",
            )
            return {}
        client = self.ptd_report(f"{power_dir}/client.json", add)
        server = self.ptd_report(f"{power_dir}/server.json", add)
        session = client.get("session_name") if client else None
        if isinstance(session, str) and samples.marks:
            marks = {m.removesuffix("_testing").removesuffix("_ranging") for m in samples.marks}
            if session not in marks:
                add(
                    f"{power_dir}/client.json",
                    "PW3",
                    Level.ERROR,
                    f"the samples are marked {', '.join(sorted(samples.marks))}, but "
                    f"power/client.json is session {session}: power logs of another run",
                )
                return {}
        offsets = (0.0, 0.0)
        if power_rules.ptd_timezones:
            offsets = (
                float((client or {}).get("timezone", 0) or 0),
                float((server or {}).get("timezone", 0) or 0),
            )
        window = window_average(
            samples,
            begin,
            end,
            loadgen_offset_s=offsets[0],
            analyzer_offset_s=offsets[1],
            positive_only=power_rules.positive_only,
        )
        if window is None:
            covered = ""
            if samples.times:
                covered = f"; spl.txt has {len(samples.times)} samples outside it"
            add(
                f"{testing}/spl.txt",
                "PW2",
                Level.ERROR,
                f"no power samples between power_begin {begin} and power_end {end}{covered}",
            )
            return {}
        return self.power_figure(scenario, run, window, detail, power_rules, add, testing)

    def ptd_report(self, path: str, add: Add) -> dict[str, Any] | None:
        entry = self.tree.get(path)
        if entry is None:
            return None
        try:
            data = json.loads(entry.text())
        except ValueError as exc:
            add(path, "PW1", Level.ERROR, f"not valid JSON ({exc})")
            return None
        return data if isinstance(data, dict) else None

    def power_figure(
        self,
        scenario: str,
        run: _Run,
        window: PowerWindow,
        detail: DetailLog,
        power_rules: PowerRules,
        add: Add,
        testing: str,
    ) -> dict[str, tuple[float, str]]:
        unit = power_rules.unit(scenario)
        if unit == "W":
            return {"power": (window.average_watts, "W")}
        per = power_rules.energy_per.get(scenario, "query")
        values = detail.values
        # Scaled (to mJ from v3.0) before the division, as the checkers compute it.
        total = window.average_watts * window.duration_s * power_rules.energy_scale
        try:
            if per == "query-rate":
                # v1.0 SingleStream: watts over queries per second (with LoadGen's overhead).
                energy = total / (
                    float(values["result_qps_with_loadgen_overhead"]) * window.duration_s
                )
            elif per == "sample":
                # v1.0 MultiStream: per sample, every stream's frame counted.
                energy = total / (
                    float(values["generated_query_count"])
                    * float(values["generated_samples_per_query"])
                )
            else:
                energy = total / float(values["result_query_count"])
        except (KeyError, TypeError, ValueError, ZeroDivisionError) as exc:
            add(
                f"{testing}/{DETAIL}",
                "PW2",
                Level.ERROR,
                f"the detail log lacks what the energy per {per} needs ({exc})",
            )
            return {}
        if run.inferred:
            energy *= power_rules.inferred_factor.get(scenario, 1.0)
        label = "sample" if per == "sample" else "query"
        return {"energy": (energy, f"{unit}/{label}")}
