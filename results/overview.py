"""The round page as first shown: each table's size and its best result per column.

Two queries whatever the size of the round: the rows per table (their
``result_count``, as ``selectors.table_counts``), and the best result of each
table x benchmark x scenario, chosen in SQL by a window function.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, F, Value, When, Window
from django.db.models.functions import RowNumber

from .models import Better, Division, Result, Round
from .selectors import _system_url_maker, table_counts


@dataclass
class Best:
    benchmark: str
    scenario: str
    scenario_label: str
    value: float
    unit: str
    better: str
    result_id: str | None
    submitter: str
    system: str
    system_url: str
    inferred: bool
    compliant: bool | None


@dataclass
class OverviewTable:
    slug: str
    title: str
    rows: int
    results: int
    best: list[Best] = field(default_factory=list)


@dataclass
class Overview:
    tables: list[OverviewTable]
    row_count: int
    result_count: int


PARTITION = (
    "entry__system__division",
    "entry__system__system_type",
    "entry__system__category",
    "benchmark",
    "scenario",
)


def round_overview(round_: Round) -> Overview:
    counts = table_counts(round_)
    results = (
        Result.objects.for_round(round_).visible().filter(entry__system__withdrawn_at__isnull=True)
    )
    # Best first whichever way the scenario is better; ties keep the tables' row order.
    best_first = Case(
        When(scenario__better=Better.LOWER, then=F("value")), default=F("value") * Value(-1.0)
    )
    ranked = results.annotate(
        place=Window(
            RowNumber(),
            partition_by=[F(name) for name in PARTITION],
            order_by=[best_first.asc(), F("entry__system__rank").asc(), F("pk").asc()],
        )
    )
    values = (
        ranked.filter(place=1)
        .order_by(
            "entry__system__system_type__order",
            "entry__system__division",
            "entry__system__category__order",
            "benchmark__order",
            "scenario__order",
        )
        .values_list(
            "entry__system__division",
            "entry__system__system_type_id",
            "entry__system__system_type__slug",
            "entry__system__system_type__name",
            "entry__system__category_id",
            "entry__system__category__slug",
            "entry__system__category__name",
            "benchmark__slug",
            "scenario__name",
            "scenario__label",
            "scenario__better",
            "value",
            "unit",
            "entry__result_id",
            "entry__system__submitter__name",
            "entry__system__submitter__slug",
            "entry__system__name",
            "entry__system__folder_id",
            "inferred",
            "compliant",
        )
    )
    system_url = _system_url_maker(round_)
    divisions = dict(Division.choices)
    tables: dict[str, OverviewTable] = {}
    for row in values:
        (division, type_id, type_slug, type_name, category_id, category_slug, category_name) = row[
            :7
        ]
        benchmark, scenario, label, better, value, unit, result_id = row[7:14]
        submitter, submitter_slug, system, folder, inferred, compliant = row[14:]
        slug = f"{division}-{type_slug}-{category_slug}"
        table = tables.get(slug)
        if table is None:
            rows, total = counts.get((division, type_id, category_id), (0, 0))
            title = (
                f"{type_name}, {divisions.get(division, division.title())} division, "
                f"{category_name}"
            )
            table = tables[slug] = OverviewTable(slug, title, rows, total or 0)
        table.best.append(
            Best(
                benchmark,
                scenario,
                label,
                value,
                unit,
                better,
                result_id,
                submitter,
                system,
                system_url(division, submitter_slug, folder),
                inferred,
                compliant,
            )
        )
    return Overview(
        list(tables.values()),
        sum(rows for rows, _ in counts.values()),
        sum(total or 0 for _, total in counts.values()),
    )
