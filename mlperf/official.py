"""A round's official summary (``summary_results.json``, v5.0 on), held against a check report.

MLCommons publishes one record per result with its official ``ID``
(``5.1-0001``, one per system, or per system and model in the open
division). The site keeps those IDs as the public IDs of its rows. The
summary is never the source of a figure: the tree is. Where the site's own
figure, accuracy or flag differs from the summary's, the difference is
listed so that staff can see it (``differences``).
"""

from __future__ import annotations

import json
import math
from dataclasses import dataclass, field

from .checker import CheckReport, ResultRecord


class SummaryProblem(ValueError):
    """The file is not an official summary; the message says why."""


@dataclass(frozen=True)
class OfficialRecord:
    id: str
    location: str  # <division>/<org>/results/<sys>/<model>/<scenario>
    result: float | None
    units: str
    accuracy: str
    inferred: bool


@dataclass(frozen=True)
class Difference:
    location: str
    official_id: str
    field: str  # "value", "accuracy", "inferred", "missing", "id"
    ours: str
    official: str


@dataclass
class Matching:
    ids: dict[str, str] = field(default_factory=dict)  # our location -> official ID
    differences: list[Difference] = field(default_factory=list)


def normalise_location(location: str) -> str:
    """v6.0 writes ``./<div>/.../<scenario>/performance/run_1``; v5.1 the folder itself."""
    return location.removeprefix("./").removesuffix("/performance/run_1").strip("/")


def read_summary(text: str) -> list[OfficialRecord]:
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise SummaryProblem(f"not valid JSON: {exc.msg} at line {exc.lineno}") from None
    if not isinstance(data, list):
        raise SummaryProblem("expected a list of records (summary_results.json)")
    records = []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("ID"), str):
            raise SummaryProblem(f"record {i}: no ID")
        if not isinstance(item.get("Location"), str):
            raise SummaryProblem(f"record {i} ({item['ID']}): no Location")
        result = item.get("Performance_Result")
        records.append(
            OfficialRecord(
                id=item["ID"],
                location=normalise_location(item["Location"]),
                result=float(result) if isinstance(result, int | float) else None,
                units=str(item.get("Performance_Units", "")),
                accuracy=str(item.get("Accuracy", "")),
                inferred=bool(item.get("inferred")),
            )
        )
    return records


def accuracy_text(record: ResultRecord) -> str:
    """The accuracy as the official summaries print it: ``ROUGE1: 44.45  ROUGE2: 22.04``."""
    return "  ".join(f"{m['metric']}: {m['raw']}" for m in record.accuracy_metrics)


def consistent_at_summary_precision(summary: float, official: float) -> bool:
    """Could a 2-decimal summary figure and a 6-significant-digit one be the same number?

    The true figure lies within 0.005 of the summary's and within half a unit
    of the official figure's sixth digit (rule N3).
    """
    sixth = 10 ** (math.floor(math.log10(abs(official))) - 5) if official else 0
    return abs(summary - official) <= 0.005 + sixth / 2 + 1e-9


def _same_value(ours: float, official: float, exact: bool) -> bool:
    # The summary is written through pandas, which prints 15 significant digits.
    if math.isclose(ours, official, rel_tol=1e-12):
        return True
    return not exact and consistent_at_summary_precision(ours, official)


def match(report: CheckReport, records: list[OfficialRecord]) -> Matching:
    """Official IDs by our result locations, and every difference of ours from the summary."""
    matching = Matching()
    ours = {r.location: r for r in report.results}
    for official in records:
        record = ours.get(official.location)
        if record is None:
            matching.differences.append(
                Difference(official.location, official.id, "missing", "", "in the summary")
            )
            continue
        matching.ids[official.location] = official.id
        if official.result is not None and not _same_value(
            record.value, official.result, record.exact
        ):
            matching.differences.append(
                Difference(
                    record.location,
                    official.id,
                    "value",
                    f"{record.value!r} {record.unit}",
                    f"{official.result!r} {official.units}",
                )
            )
        text = accuracy_text(record)
        if official.accuracy and text != official.accuracy:
            matching.differences.append(
                Difference(record.location, official.id, "accuracy", text, official.accuracy)
            )
        if record.inferred != official.inferred:
            matching.differences.append(
                Difference(
                    record.location,
                    official.id,
                    "inferred",
                    str(record.inferred).lower(),
                    str(official.inferred).lower(),
                )
            )
    listed = {r.location for r in records}
    for record in report.results:
        if record.location not in listed:
            matching.differences.append(
                Difference(record.location, "", "missing", "checked here", "not in the summary")
            )
    return matching
