"""Accuracy as the public reads it, and a plain account of what the checker could check.

A result's ``accuracy_metrics`` hold every metric the round reports (ROUGE-1, -2 and -L
for the language models) with its target and, where one exists, its upper bound. The
value is shown as the accuracy script printed it, or at LoadGen's six significant digits
(mlperf.loadgen.round6) when it printed more.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from mlperf.loadgen import round6


def accuracy_text(value: float | None, raw: str = "") -> str:
    """The figure as the round reports it: the printed text when it has at most six
    significant digits, else the value rounded to six."""
    digits = re.sub(r"[^0-9]", "", raw).lstrip("0")
    if raw and len(digits) <= 6:
        return raw
    if value is None:
        try:
            value = float(raw)
        except ValueError:
            return raw
    return f"{round6(value):g}"


@dataclass(frozen=True)
class Metric:
    name: str
    value: str
    unit: str
    target: float | None
    upper: float | None
    met: bool | None

    @property
    def bound(self) -> str:
        if self.target is None:
            return ""
        text = f"target \u2265 {self.target:g}{self.unit}"
        if self.upper is not None:
            text += f", \u2264 {self.upper:g}{self.unit}"
        return text

    def __str__(self) -> str:
        text = f"{self.name} {self.value}{self.unit}"
        if self.bound:
            text += f" ({self.bound}{'' if self.met is not False else '; below the target'})"
        return text


def metrics(result_metrics: Iterable[dict], raw: str = "") -> list[Metric]:
    shown = []
    for metric in result_metrics or ():
        value, target, upper = metric.get("value"), metric.get("target"), metric.get("upper")
        met = None
        if value is not None and target is not None:
            met = value >= target and (upper is None or value <= upper)
        shown.append(
            Metric(
                metric.get("metric", ""),
                accuracy_text(value, metric.get("raw", "")),
                metric.get("unit", ""),
                target,
                upper,
                met,
            )
        )
    if not shown and raw:
        shown.append(Metric("", accuracy_text(None, raw), "", None, None, None))
    return shown


# The checker's note for what the published tree lacks: "not checked, as the files are not
# in this tree: M1 (mlperf.conf); P3 (performance detail logs); ..."
_UNCHECKED = re.compile(r"not checked, as the files are not in this tree: (.*)")
_ITEM = re.compile(r"^[A-Z][0-9]+ \((.*)\)$")


def not_in_tree(findings: Iterable[dict]) -> list[str]:
    """What could not be checked, in plain words ("performance detail logs"), in order."""
    found: dict[str, None] = {}
    for finding in findings or ():
        match = _UNCHECKED.match(finding.get("message", ""))
        if not match:
            continue
        for item in match.group(1).split("; "):
            named = _ITEM.match(item.strip())
            found.setdefault(named.group(1) if named else item.strip(), None)
    return list(found)
