"""A round's export as it stood at a date, for a paper to cite and fetch again.

Built from today's rows (``selectors.export_rows``, withdrawn systems too) and
the change log (``Correction``: each has its effective date and the old and
new value), for a date between the round's publication and today:

- a result added after the date (``add-result``) is absent;
- a system withdrawn on or before the date is absent (as in the downloads);
- ``corrections=exclude``: the data as it stood at the end of that day. A result
  withdrawn later is there as published then, a value corrected later has its
  value before the correction (as the change log recorded it), a system moved
  later is in its old division and category;
- ``corrections=include``: the same results with every correction made since
  (values, withdrawals, moves), so a reader sees what changed.

The rows are sorted by what they say (division, system type, category,
submitter, system, model, benchmark, scenario), not by database order, so the
file for a past date with ``exclude`` is the same bytes whenever it is fetched,
whatever is corrected later. (Renaming a submitter or a part is no correction
and does show.)
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from . import selectors
from .models import Category, Correction, CorrectionKind, Division, Result, Round, System

INCLUDE, EXCLUDE = "include", "exclude"
CHOICES = (INCLUDE, EXCLUDE)
MOVES = (CorrectionKind.MOVE_CATEGORY, CorrectionKind.MOVE_DIVISION)


@dataclass(frozen=True)
class Snapshot:
    round: Round
    day: dt.date
    corrections: str  # INCLUDE or EXCLUDE
    rows: list[dict]

    @property
    def about(self) -> dict:
        return {"snapshot": {"date": self.day.isoformat(), "corrections": self.corrections}}

    @property
    def stem(self) -> str:
        how = "with-corrections" if self.corrections == INCLUDE else "as-published"
        return f"mlperf-inference-{self.round.version}-results-{self.day.isoformat()}-{how}"


def snapshot_round(version: str, day: dt.date) -> Round:
    """The published round, if ``day`` is between its publication and today; else 404."""
    round_ = get_object_or_404(Round.objects.published(), version=version)
    first = timezone.localdate(round_.published_at)
    if not first <= day <= timezone.localdate():
        raise Http404(
            f"{round_.version} has snapshots from {first.isoformat()} (its publication) to today."
        )
    return round_


def _day(moment: dt.datetime | None) -> dt.date:
    return timezone.localdate(moment)  # never None: the queries ask for a time


def _number(text: str) -> float | None:
    try:
        return float(text.split()[0])
    except (IndexError, ValueError):
        return None


def snapshot(round_: Round, day: dt.date, corrections: str) -> Snapshot:
    """The round's rows at ``day`` (see the module), in a fixed number of queries."""
    results = (
        Result.objects.for_round(round_)
        .with_related()
        .defer("performance", "run_values", "implementation", "entry__system__description")
        .order_by(*selectors.RESULT_ORDER)
    )
    rows = list(selectors.export_rows(results, keep_ids=True))
    log = (
        Correction.objects.on_record()
        .filter(round=round_)
        .order_by("effective", "pk")
        .values_list("kind", "effective", "result_id", "system_id", "old_value")
    )
    added: dict[int, dt.date] = {}
    result_withdrawn: dict[int, dt.date] = {}
    system_withdrawn: dict[int, dt.date] = {}
    values: dict[int, list[tuple[dt.date, str]]] = defaultdict(list)
    moved_from: dict[int, dict[str, str]] = defaultdict(dict)
    for kind, effective, result_id, system_id, old in log:
        if kind == CorrectionKind.ADD_RESULT and result_id:
            added.setdefault(result_id, effective)
        elif kind == CorrectionKind.WITHDRAW_RESULT and result_id:
            result_withdrawn.setdefault(result_id, effective)
        elif kind == CorrectionKind.WITHDRAW_SYSTEM:
            system_withdrawn.setdefault(system_id, effective)
        elif kind == CorrectionKind.CORRECT_VALUE and result_id:
            values[result_id].append((effective, old))
        elif kind in MOVES and effective > day:
            moved_from[system_id].setdefault(kind, old)
    # Withdrawn without a correction on record (before publication, or by hand): its time.
    for pk, moment in (
        Result.objects.for_round(round_)
        .filter(withdrawn_at__isnull=False)
        .values_list("pk", "withdrawn_at")
    ):
        result_withdrawn.setdefault(pk, _day(moment))
    for pk, moment in System.objects.filter(round=round_, withdrawn_at__isnull=False).values_list(
        "pk", "withdrawn_at"
    ):
        system_withdrawn.setdefault(pk, _day(moment))
    category_slugs = dict(Category.objects.filter(round=round_).values_list("name", "slug"))
    division_values = {label: value for value, label in Division.choices}

    shown = []
    for row in rows:
        result, system = row.pop("_result"), row.pop("_system")
        if added.get(result, day) > day:
            continue
        gone = system_withdrawn.get(system)
        if gone is not None and gone <= day:
            continue
        withdrawn = result_withdrawn.get(result)
        changes = values.get(result, [])
        if corrections == EXCLUDE:
            later = [old for effective, old in changes if effective > day]
            if later:
                old_value = _number(later[0])
                if old_value is not None:
                    row["value"] = old_value
            # The oldest move after the date says where the system was at the date.
            for kind, old in moved_from.get(system, {}).items():
                if kind == CorrectionKind.MOVE_DIVISION:
                    row["division"] = division_values.get(old, row["division"])
                else:
                    row["category"] = category_slugs.get(old, row["category"])
            if withdrawn is not None and withdrawn <= day:
                row["status"] = "withdrawn"
            elif any(effective <= day for effective, _ in changes):
                row["status"] = "corrected"
            else:
                row["status"] = "published"
        elif gone is not None or withdrawn is not None:
            row["status"] = "withdrawn"
        shown.append({column: row[column] for column in selectors.EXPORT_COLUMNS})
    shown.sort(key=_order)
    return Snapshot(round_, day, corrections, shown)


def _order(row: dict) -> tuple:
    return tuple(
        str(row[c] or "")
        for c in (
            "division",
            "system_type",
            "category",
            "submitter",
            "system_id",
            "model",
            "benchmark",
            "scenario",
            "result_id",
        )
    )
