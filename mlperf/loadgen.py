"""LoadGen's two logs of a run, read as the official checkers read them.

From v1.0 on, the official checker takes every figure from the run's detail
log (``mlperf_log_detail.txt``, one ``:::MLLOG {json}`` line per key; the
first occurrence of a key counts). Published trees often carry only the
summary log (``mlperf_log_summary.txt``), which prints the same figures in
other words and, for some of them, with fewer digits. ``RunLog`` answers in
detail-log keys from whichever of the two a run has, and says how exact an
answer is:

- the detail log prints doubles with 6 significant digits (C++ ostream's
  default), integers in full;
- the summary prints latencies as integers, ``Samples per second`` with 6
  significant digits too, and the Server and QPS rates with 2 decimals.

A 2-decimal rate has at least as many digits as the detail log's when it is
at least 10,000; rounded to 6 significant digits it then gives the detail
log's figure, unless the dropped digits are exactly a half (a tie that the
summary cannot decide). Below 10,000 it has fewer digits: the figure is the
summary's and is marked ``exact=False``.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from .parsers import LogSummary, parse_summary

DETAIL_PREFIX = b":::MLLOG"
_KEY = re.compile(rb'"key":\s*"([^"]{1,200})"')
MAX_KEYS = 5000
MAX_VALUE_BYTES = 4096


@dataclass
class DetailLog:
    """What a detail log says: the first value of each key, and its ERROR lines."""

    values: dict[str, object] = field(default_factory=dict)
    error_lines: list[str] = field(default_factory=list)
    error_line_count: int = 0
    malformed: int = 0  # :::MLLOG lines that are not JSON
    first_line_ok: bool = True


class DetailLogConsumer:
    """Streams a detail log, keeping the first value of each key and the ERROR lines.

    Bounded: at most MAX_KEYS keys and MAX_VALUE_BYTES per value are kept, and
    at most ``max_error_lines`` ERROR lines (all are counted), so a log of any
    size costs the same memory.
    """

    def __init__(self, max_error_lines: int = 20):
        self.log = DetailLog()
        self.max_error_lines = max_error_lines
        self.tail = b""
        self.first = True

    def feed(self, chunk: bytes) -> None:
        data = self.tail + chunk
        lines = data.split(b"\n")
        self.tail = lines.pop()[-(1 << 20) :]
        for line in lines:
            self._line(line)

    def close(self) -> DetailLog:
        if self.tail:
            self._line(self.tail)
            self.tail = b""
        return self.log

    def _line(self, line: bytes) -> None:
        log = self.log
        if self.first:
            self.first = False
            log.first_line_ok = line.startswith(DETAIL_PREFIX)
        if line.startswith(DETAIL_PREFIX):
            key = _KEY.search(line, 0, 300)
            if key is not None and key.group(1).decode("utf-8", "replace") in log.values:
                pass
            elif len(log.values) < MAX_KEYS:
                try:
                    record = json.loads(line[len(DETAIL_PREFIX) :])
                    name = record["key"]
                    value = record.get("value")
                    metadata = record.get("metadata") or {}
                except (ValueError, KeyError, TypeError, AttributeError):
                    log.malformed += 1
                else:
                    if isinstance(name, str) and name not in log.values:
                        if isinstance(value, str) and len(value) > MAX_VALUE_BYTES:
                            value = value[:MAX_VALUE_BYTES]
                        log.values[name] = value
                    if isinstance(metadata, dict) and metadata.get("is_error"):
                        self._error(line)
                    return
        if b"ERROR" in line:
            self._error(line)

    def _error(self, line: bytes) -> None:
        log = self.log
        log.error_line_count += 1
        if len(log.error_lines) < self.max_error_lines:
            log.error_lines.append(line[:500].decode("utf-8", "replace").strip())


def parse_detail(text: str) -> DetailLog:
    consumer = DetailLogConsumer()
    consumer.feed(text.encode("utf-8"))
    return consumer.close()


# The summary's words for a detail key, and how the summary prints the figure:
# "int" in full, "g6" with 6 significant digits (as the detail log), "f2" with
# 2 decimals, "text" as written.
SUMMARY_WORDS: dict[str, tuple[tuple[str, ...], str]] = {
    "effective_scenario": (("Scenario",), "text"),
    "result_validity": (("Result is",), "text"),
    "result_samples_per_second": (("Samples per second",), "g6"),
    "result_scheduled_samples_per_sec": (("Scheduled samples per second",), "f2"),
    "result_completed_samples_per_sec": (("Completed samples per second",), "f2"),
    "result_qps_with_loadgen_overhead": (("QPS w/ loadgen overhead",), "f2"),
    "result_tokens_per_second": (("Tokens per second",), "g6"),
    "result_completed_tokens_per_second": (("Completed tokens per second",), "f2"),
    "result_min_latency_ns": (("Min latency (ns)",), "int"),
    "result_max_latency_ns": (("Max latency (ns)",), "int"),
    "result_mean_latency_ns": (("Mean latency (ns)",), "int"),
    "result_50.00_percentile_latency_ns": (("50.00 percentile latency (ns)",), "int"),
    "result_90.00_percentile_latency_ns": (
        (
            "90.00 percentile latency (ns)",
            "90th percentile latency (ns)",
            "90.0th percentile latency (ns)",
        ),
        "int",
    ),
    "result_95.00_percentile_latency_ns": (("95.00 percentile latency (ns)",), "int"),
    "result_97.00_percentile_latency_ns": (("97.00 percentile latency (ns)",), "int"),
    "result_99.00_percentile_latency_ns": (
        ("99.00 percentile latency (ns)", "99th percentile latency (ns)"),
        "int",
    ),
    "result_99.90_percentile_latency_ns": (("99.90 percentile latency (ns)",), "int"),
    "result_first_token_99.00_percentile_latency_ns": (
        ("99.00 percentile first token latency (ns)",),
        "int",
    ),
    "result_time_per_output_token_99.00_percentile_ns": (
        ("99.00 percentile time to output token (ns)",),
        "int",
    ),
    # LoadGen from v5.1 writes "90.0th" where it wrote "90th".
    "early_stopping_latency_ss": (
        (
            "Early stopping 90th percentile estimate",
            "Early stopping 90.0th percentile estimate",
            # pointpainting's SingleStream target is the 99.9th percentile (v5.0 on)
            "Early stopping 99.9th percentile estimate",
        ),
        "int",
    ),
    "early_stopping_latency_ms": (
        ("Early stopping 99th percentile estimate", "Early stopping 99.0th percentile estimate"),
        "int",
    ),
    "early_stopping_met": (("Early stopping satisfied",), "text"),
    "effective_samples_per_query": (("samples_per_query",), "int"),
    "effective_performance_sample_count": (("performance_sample_count",), "int"),
    "effective_min_duration_ms": (("min_duration (ms)",), "int"),
    "effective_min_query_count": (("min_query_count",), "int"),
    "effective_target_latency_ns": (("target_latency (ns)",), "int"),
    "effective_qsl_rng_seed": (("qsl_rng_seed",), "text"),
    "effective_sample_index_rng_seed": (("sample_index_rng_seed",), "text"),
    "effective_schedule_rng_seed": (("schedule_rng_seed",), "text"),
}


@dataclass(frozen=True)
class Figure:
    value: float
    exact: bool  # False: the summary printed fewer digits than the detail log would
    source: str  # "detail" or "summary"


def round6(value: float) -> float:
    """A double as LoadGen's detail log prints it: 6 significant digits."""
    return float(f"{value:.6g}")


def _from_f2(text: str) -> tuple[float, bool]:
    """A 2-decimal summary figure as the detail log would print it, and whether that is sure."""
    try:
        number = Decimal(text)
    except InvalidOperation:
        raise ValueError(text) from None
    digits = number.as_tuple().digits
    significant = len(digits) - next((i for i, d in enumerate(digits) if d), len(digits))
    if significant < 7:
        return float(number), False
    dropped = digits[6 + (len(digits) - significant) :]
    if dropped and dropped[0] == 5 and not any(dropped[1:]):
        return float(number), False  # a tie: the detail log may have rounded either way
    return round6(float(number)), True


class RunLog:
    """One performance or accuracy run, read from its detail log, else its summary."""

    def __init__(self, detail: DetailLog | None, summary: LogSummary | None):
        self.detail = detail
        self.summary = summary

    @classmethod
    def from_texts(cls, detail: str | None, summary: str | None) -> RunLog:
        return cls(
            parse_detail(detail) if detail is not None else None,
            parse_summary(summary) if summary is not None else None,
        )

    @property
    def source(self) -> str:
        return "detail" if self.detail is not None else "summary"

    def text(self, key: str) -> str | None:
        if self.detail is not None:
            value = self.detail.values.get(key)
            if value is None:
                return None
            if isinstance(value, bool):
                return "true" if value else "false"
            return str(value)
        raw = self._summary_raw(key)
        if raw is None:
            return None
        if key == "effective_scenario":
            return raw.replace(" ", "")
        if key == "early_stopping_met":
            return "true" if raw.lower().startswith("yes") else "false"
        return raw

    def _summary_raw(self, key: str) -> str | None:
        if self.summary is None:
            return None
        if key == "result_validity":
            return "VALID" if self.summary.valid else "INVALID"
        words, _ = SUMMARY_WORDS.get(key, ((), ""))
        for word in words:
            raw = self.summary.get(word)
            if raw is not None:
                return raw
        return None

    def figure(self, key: str) -> Figure | None:
        """A number under its detail-log key, with how exact it is."""
        if self.detail is not None:
            value = self.detail.values.get(key)
            if isinstance(value, bool) or not isinstance(value, int | float):
                return None
            return Figure(float(value), True, "detail")
        if key == "result_qps_without_loadgen_overhead":
            # LoadGen derives it from the mean latency, which the summary prints in full.
            mean = self.figure("result_mean_latency_ns")
            if mean is None or mean.value <= 0:
                return None
            return Figure(round6(1e9 / mean.value), True, "summary")
        raw = self._summary_raw(key)
        if raw is None:
            return None
        kind = SUMMARY_WORDS.get(key, ((), "g6"))[1]
        try:
            if kind == "f2":
                value, exact = _from_f2(raw)
                return Figure(value, exact, "summary")
            return Figure(float(raw), True, "summary")
        except ValueError:
            return None

    def number(self, key: str) -> float | None:
        figure = self.figure(key)
        return figure.value if figure is not None else None

    def integer(self, key: str) -> int | None:
        figure = self.figure(key)
        if figure is None or figure.value != int(figure.value):
            return None
        return int(figure.value)
