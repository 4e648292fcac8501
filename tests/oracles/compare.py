"""Compare a check report with the official checker's CSV of the same round (an oracle)."""

from __future__ import annotations

import csv
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from mlperf.official import accuracy_text, consistent_at_summary_precision

REPO = Path(__file__).resolve().parents[2]
ORACLES = REPO / "data" / "oracles"
POWER_UNITS = {"Watts", "Joules", "millijoules"}


@dataclass
class Comparison:
    official: int = 0
    ours: int = 0
    missing: list[str] = field(default_factory=list)  # official results we do not have
    extra: list[str] = field(default_factory=list)  # ours, not the official checker's
    differences: Counter = field(default_factory=Counter)
    examples: dict[str, list] = field(default_factory=dict)
    summary_precision: list[str] = field(default_factory=list)
    power_compared: int = 0

    def differ(self, what: str, location: str, ours, official) -> None:
        self.differences[what] += 1
        self.examples.setdefault(what, []).append((location, ours, official))


def oracle_rows(name: str) -> tuple[dict[str, dict], dict[str, dict]]:
    """The official rows by location: (performance rows, power rows)."""
    performance: dict[str, dict] = {}
    power: dict[str, dict] = {}
    with (ORACLES / name).open(newline="", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            location = row["Location"].removeprefix("./").removesuffix("/performance/run_1")
            target = power if row.get("Units") in POWER_UNITS else performance
            target[location] = row
    return performance, power


def _flag(row: dict, *names: str) -> str:
    for name in names:
        if name in row:
            return row[name]
    raise KeyError(names)


def compare(report, name: str, *, compliance: bool = True) -> Comparison:
    """``compliance=False`` for a checker whose compliance column is not a verdict (v6.0's
    holds the division)."""
    performance, power = oracle_rows(name)
    ours = {r.location: r for r in report.results}
    result = Comparison(official=len(performance), ours=len(ours))
    result.missing = sorted(set(performance) - set(ours))
    result.extra = sorted(set(ours) - set(performance))
    for location, row in performance.items():
        record = ours.get(location)
        if record is None:
            continue
        official = float(row["Result"])
        if record.value != official:
            if record.exact:
                result.differ("value", location, record.value, official)
            elif consistent_at_summary_precision(record.value, official):
                result.summary_precision.append(location)
            else:
                result.differ("value (summary precision)", location, record.value, official)
        accuracy = row["Accuracy"]
        ours_accuracy = record.accuracy_raw or ""
        if ":" in accuracy:  # from v4.1: every metric, "ROUGE1: 44.45  ROUGE2: 22.04"
            ours_accuracy = accuracy_text(record)
        if ours_accuracy != accuracy and not _same_number(ours_accuracy, accuracy):
            result.differ("accuracy", location, ours_accuracy, accuracy)
        inferred = _flag(row, "inferred", "infered") == "1"
        if record.inferred != inferred:
            result.differ("inferred", location, record.inferred, inferred)
        compliant = _flag(row, "compliance", "compilance") == "1"
        if compliance and record.division != "open" and record.compliant != compliant:
            result.differ("compliance", location, record.compliant, compliant)
        figure = None
        if "power" in row:
            figure = float(row["power"] or 0) or None
        elif location in power:
            figure = float(power[location]["Result"])
        ours_power = record.power[0] if record.power else None
        if figure is not None or ours_power is not None:
            result.power_compared += 1
            if ours_power != figure:
                result.differ("power", location, ours_power, figure)
    return result


def _same_number(a: str | None, b: str) -> bool:
    try:
        return a is not None and float(a) == float(b)
    except ValueError:
        return False


# v0.5's result table (submission-to-csv.py): no checker CSV exists for the round.
V05_TABLE = "v0.5_submission_to_csv.csv"
V05_LATENCIES = {"p50": "latency_p50", "p90": "latency_p90", "p99": "latency_p99"}


@dataclass
class TableComparison:
    rows: int = 0
    matched: list[str] = field(default_factory=list)
    missing: list[str] = field(default_factory=list)  # table rows we do not have
    extra: list[str] = field(default_factory=list)  # ours, not the table's
    differences: Counter = field(default_factory=Counter)
    examples: dict[str, list] = field(default_factory=dict)
    # Rows whose accuracy this tree cannot show: (location, the table's figure).
    accuracy_unchecked: list[tuple[str, str]] = field(default_factory=list)

    def differ(self, what: str, location: str, ours, official) -> None:
        self.differences[what] += 1
        self.examples.setdefault(what, []).append((location, ours, official))


def v05_table_rows() -> dict[tuple[str, ...], dict]:
    """The table's rows by (division, submitter, system, model folder, scenario)."""
    rows: dict[tuple[str, ...], dict] = {}
    with (ORACLES / V05_TABLE).open(newline="", encoding="utf-8") as stream:
        for row in csv.DictReader(stream):
            submitter, division, system, model_folder = row["name"].split("/", 3)
            rows[division, submitter, system, model_folder, row["scenario"]] = row
    return rows


def compare_v05_table(report) -> TableComparison:
    """Every row of v0.5's result table against the report: model, figure, accuracy, latencies."""
    table = v05_table_rows()
    ours: dict[tuple[str, ...], Any] = {
        (r.division, r.submitter, r.system_id, r.model_folder, r.scenario): r
        for r in report.results
    }
    result = TableComparison(rows=len(table))
    result.missing = sorted("/".join(k) for k in set(table) - set(ours))
    result.extra = sorted(ours[k].location for k in set(ours) - set(table))
    for key, row in table.items():
        record = ours.get(key)
        if record is None:
            continue
        result.matched.append(record.location)
        if record.benchmark != row["model"]:
            result.differ("model", record.location, record.benchmark, row["model"])
        if record.value != float(row["result"]):
            result.differ("value", record.location, record.value, float(row["result"]))
        if not record.accuracy_raw:
            result.accuracy_unchecked.append((record.location, row["acc"]))
        elif float(record.accuracy_raw) != float(row["acc"]):
            result.differ("accuracy", record.location, record.accuracy_raw, row["acc"])
        for column, kind in V05_LATENCIES.items():
            figure = record.measurements.get(kind)
            if figure is None or figure[0] != float(row[column]):
                result.differ(column, record.location, figure, float(row[column]))
    return result
