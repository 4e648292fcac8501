"""The queries behind the public pages; each page asks one function here.

``round_results`` is the one query for a round's results: the HTML tables
pivot it (``round_tables``), and the CSV/JSON download and the
``export_results`` command flatten it (``export_rows``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, QuerySet
from django.shortcuts import get_object_or_404

from .models import Correction, Division, Entry, Result, Round, System


def published_rounds() -> QuerySet[Round]:
    return Round.objects.published().annotate(
        system_count=Count("systems", distinct=True),
        result_count=Count("systems__entries__results", distinct=True),
    )


def published_round(version: str) -> Round:
    return get_object_or_404(Round.objects.published(), version=version)


def viewable_rounds(user) -> QuerySet[Round]:
    """Published rounds; staff also see drafts before the embargo ends."""
    return Round.objects.all() if user.is_staff else Round.objects.published()


def viewable_round(version: str, user) -> Round:
    return get_object_or_404(viewable_rounds(user), version=version)


def round_results(round_: Round, entries: QuerySet[Entry] | None = None) -> list[Result]:
    """Every result of the round (or of the given entries), with what the rows show."""
    results = Result.objects.for_round(round_).visible().with_related()
    if entries is not None:
        results = results.filter(entry__in=entries.values("pk"))
    return list(
        results.order_by(
            "entry__system__division",
            "entry__system__system_type__order",
            "entry__system__category__order",
            "entry__system__submitter__name",
            "entry__system__name",
            "entry__model_folder",
            "entry__number",
            "benchmark__order",
            "scenario__order",
        )
    )


@dataclass(frozen=True)
class ColumnKey:
    benchmark: str
    scenario: str

    @property
    def name(self) -> str:
        # Also the sort parameter; django-tables2 reads "." and "__" in names as paths.
        return f"{self.benchmark}-{self.scenario}".replace(".", "_")


@dataclass
class Column:
    key: ColumnKey
    benchmark_name: str
    scenario_label: str
    unit: str
    better: str


@dataclass
class Cell:
    value: float
    unit: str
    inferred: bool
    compliant: bool | None
    warnings: int


@dataclass
class Row:
    entry: Entry
    system: System
    cells: dict[str, Cell] = field(default_factory=dict)
    accuracies: list[str] = field(default_factory=list)


@dataclass
class TableGroup:
    system_type: object
    division: str
    category: object
    columns: list[Column]
    rows: list[Row]

    @property
    def slug(self) -> str:
        return f"{self.division}-{self.system_type.slug}-{self.category.slug}"

    @property
    def title(self) -> str:
        division = Division(self.division).label
        return f"{self.system_type.name}, {division} division, {self.category.name}"

    @property
    def is_open(self) -> bool:
        return self.division == Division.OPEN


def round_tables(results: Iterable[Result]) -> list[TableGroup]:
    """Pivot results into one table per (system type, division, category), in that order.

    Each row is an entry (a system; in open a system and model); each column a
    benchmark and scenario that the table has results for.
    """
    groups: dict[tuple, dict] = {}
    for result in results:
        system = result.entry.system
        key = (
            system.system_type.order,
            system.system_type.slug,
            system.division,
            system.category.order,
            system.category.slug,
        )
        group = groups.setdefault(key, {"system": system, "columns": {}, "rows": {}})
        column = ColumnKey(result.benchmark.slug, result.scenario.name)
        if column not in group["columns"]:
            group["columns"][column] = (
                (result.benchmark.order, result.scenario.order),
                Column(
                    column,
                    result.benchmark.slug,
                    result.scenario.label,
                    result.unit,
                    result.scenario.better,
                ),
            )
        row = group["rows"].get(result.entry_id)
        if row is None:
            row = group["rows"][result.entry_id] = Row(result.entry, system)
        row.cells[column.name] = Cell(
            value=result.value,
            unit=result.unit,
            inferred=result.inferred,
            compliant=result.compliant,
            warnings=sum(f.get("level") == "warning" for f in result.findings),
        )
        if result.accuracy_raw and result.accuracy_raw not in row.accuracies:
            row.accuracies.append(result.accuracy_raw)
    tables = []
    for key in sorted(groups):
        group = groups[key]
        system = group["system"]
        columns = [c for _, c in sorted(group["columns"].values(), key=lambda item: item[0])]
        tables.append(
            TableGroup(
                system_type=system.system_type,
                division=system.division,
                category=system.category,
                columns=columns,
                rows=list(group["rows"].values()),
            )
        )
    return tables


EXPORT_COLUMNS = (
    "round",
    "result_id",
    "division",
    "system_type",
    "category",
    "submitter",
    "system_id",
    "system_name",
    "benchmark",
    "model",
    "scenario",
    "value",
    "unit",
    "accuracy",
    "inferred",
    "compliant",
    "processor",
    "processor_count",
    "accelerator",
    "accelerator_count",
    "software",
)


def export_rows(results: Iterable[Result]) -> Iterator[dict]:
    """One flat dict per result, with the columns DESIGN.md promises (EXPORT_COLUMNS)."""
    for result in results:
        entry = result.entry
        system = entry.system
        yield {
            "round": system.round.version,
            "result_id": entry.result_id,
            "division": system.division,
            "system_type": system.system_type.slug,
            "category": system.category.slug,
            "submitter": system.submitter.name,
            "system_id": system.folder_id,
            "system_name": system.name,
            "benchmark": result.benchmark.slug,
            "model": result.model_folder,
            "scenario": result.scenario.name,
            "value": result.value,
            "unit": result.unit,
            # The figure as the accuracy script printed it ("75.920"), as the checker reads it.
            "accuracy": result.accuracy_raw,
            "inferred": result.inferred,
            "compliant": result.compliant,
            "processor": system.processor.name if system.processor else "",
            "processor_count": system.processor_count,
            "accelerator": system.accelerator.name if system.accelerator else "",
            "accelerator_count": system.accelerator_count,
            "software": system.software,
        }


def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def json_row(row: dict) -> dict:
    """A row for JSON: accuracy as a number, the rest as it is."""
    accuracy = row["accuracy"]
    return {**row, "accuracy": float(accuracy) if accuracy else None}


def system_detail(version: str, division: str, submitter_slug: str, folder_id: str, user) -> System:
    """A system with all its results (withdrawn ones too) and its corrections, in 4 queries."""
    results = Result.objects.select_related("benchmark", "scenario", "entry").order_by(
        "benchmark__order", "scenario__order"
    )
    corrections = Correction.objects.select_related("result__benchmark", "result__scenario")
    return get_object_or_404(
        System.objects.filter(round__in=viewable_rounds(user))
        .select_related("round", "submitter", "system_type", "category", "processor", "accelerator")
        .prefetch_related(
            Prefetch("entries__results", queryset=results),
            Prefetch("corrections", queryset=corrections),
        ),
        round__version=version,
        division=division,
        submitter__slug=submitter_slug,
        folder_id=folder_id,
    )


def round_corrections(round_: Round) -> QuerySet[Correction]:
    """The round's change log, newest first."""
    return Correction.objects.filter(round=round_).select_related(
        "system__round",
        "system__submitter",
        "result__benchmark",
        "result__scenario",
        "result__entry",
    )


def published_entry(result_id: str) -> Entry:
    return get_object_or_404(
        Entry.objects.filter(system__round__in=Round.objects.published()).select_related(
            "system__round", "system__submitter"
        ),
        result_id=result_id,
    )
