"""A round's export as it stood at a date, for a paper to cite and fetch again.

Built from today's rows (``selectors.export_rows``, withdrawn systems too) and
the change log (``Correction``), for a date between the round's publication
and today. A change counts from the day it was *made* (its ``created_at``, or a
withdrawal's ``withdrawn_at``), not from the ``effective`` date the change log
shows: staff may date a correction back, and a snapshot is what the site served
that day, so that a correction dated back cannot rewrite a file already cited.

- a result added after the date (``add-result``) is absent;
- a system withdrawn on or before the date is absent (as in the downloads);
- ``corrections=exclude``: the data as it stood at the end of that day. A result
  withdrawn later is there as published then, a value corrected later has its
  value before the correction (the exact figure, ``Correction.old_number``), a
  system moved later is in its old division and category, and in its old place;
- ``corrections=include``: the same results with every correction made since
  (values, withdrawals, moves), so a reader sees what changed.

The rows come in the order of the round's download (``selectors.RESULT_ORDER``),
with the division and category they had at the date: with ``exclude`` and no
change made since the date, the CSV and XLSX are the bytes ``/<version>/results.csv``
and ``.xlsx`` gave that day (the JSON adds its ``snapshot`` key). A past date's
file is the same whatever is corrected later; today's is the data so far, final
once the day is over. What is no correction does show: a renamed submitter,
system or part, a system's details or measurements changed by a new upload, and an
upload's changed accuracy or marks (its correction keeps these as text only).
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
# RESULT_ORDER is the table (division, system type order, category order), then the
# place in it; the snapshot puts each row in the table it was in at the date.
TABLE_ORDER = selectors.RESULT_ORDER[:3]
IN_TABLE_ORDER = selectors.RESULT_ORDER[3:]


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


def snapshot(round_: Round, day: dt.date, corrections: str) -> Snapshot:
    """The round's rows at ``day`` (see the module), in a fixed number of queries."""
    results = (
        Result.objects.for_round(round_)
        .with_related()
        .defer("performance", "run_values", "implementation", "entry__system__description")
        .order_by()  # sorted below, each row in its table at the date
    )
    rows = list(selectors.export_rows(results, keep_ids=True))
    log = (
        Correction.objects.on_record()
        .filter(round=round_)
        .order_by("created_at", "pk")
        .values_list("kind", "created_at", "result_id", "system_id", "old_value", "old_number")
    )
    added: dict[int, dt.date] = {}
    values: dict[int, list[tuple[dt.date, float | None]]] = defaultdict(list)
    moved_from: dict[int, dict[str, str]] = defaultdict(dict)
    for kind, created_at, result_id, system_id, old, old_number in log:
        made = _day(created_at)
        if kind == CorrectionKind.ADD_RESULT and result_id:
            added.setdefault(result_id, made)
        elif kind == CorrectionKind.CORRECT_VALUE and result_id:
            # Null only where migration 0014 could not read the old text: the value stays.
            values[result_id].append((made, old_number))
        elif kind in MOVES and made > day:
            moved_from[system_id].setdefault(kind, old)
    # Withdrawals by their time (with a correction or not: before publication, by hand),
    # and each result's place in its table, as the download orders it.
    result_withdrawn: dict[int, dt.date] = {}
    place: dict[int, tuple[int, int]] = {}
    for position, (pk, moment, type_order) in enumerate(
        Result.objects.for_round(round_)
        .order_by(*IN_TABLE_ORDER)
        .values_list("pk", "withdrawn_at", "entry__system__system_type__order")
    ):
        place[pk] = (type_order, position)
        if moment is not None:
            result_withdrawn[pk] = _day(moment)
    system_withdrawn = {
        pk: _day(moment)
        for pk, moment in System.objects.filter(
            round=round_, withdrawn_at__isnull=False
        ).values_list("pk", "withdrawn_at")
    }
    categories = {
        name: (slug, order)
        for name, slug, order in Category.objects.filter(round=round_).values_list(
            "name", "slug", "order"
        )
    }
    category_order = {slug: order for slug, order in categories.values()}
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
            later = [old for made, old in changes if made > day]
            if later and later[0] is not None:
                row["value"] = later[0]
            # The oldest move after the date says where the system was at the date.
            for kind, old in moved_from.get(system, {}).items():
                if kind == CorrectionKind.MOVE_DIVISION:
                    row["division"] = division_values.get(old, row["division"])
                else:
                    row["category"] = categories.get(old, (row["category"], 0))[0]
            if withdrawn is not None and withdrawn <= day:
                row["status"] = "withdrawn"
            elif any(made <= day for made, _ in changes):
                row["status"] = "corrected"
            else:
                row["status"] = "published"
        elif gone is not None or withdrawn is not None:
            row["status"] = "withdrawn"
        type_order, position = place[result]
        key = (row["division"], type_order, category_order.get(row["category"], 0), position)
        shown.append((key, {column: row[column] for column in selectors.EXPORT_COLUMNS}))
    shown.sort(key=lambda item: item[0])
    return Snapshot(round_, day, corrections, [row for _, row in shown])
