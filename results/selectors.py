"""The queries behind the public pages; each page asks one function here.

``round_results_query`` is the one query for a round's results: the HTML
tables pivot it (``round_results``, ``round_tables``), and the CSV/JSON
download and the ``export_results`` command flatten it (``export_rows``).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from urllib.parse import quote

from django.core.paginator import Page, Paginator
from django.db import connections
from django.db.models import (
    Count,
    ExpressionWrapper,
    F,
    FilteredRelation,
    FloatField,
    OrderBy,
    Prefetch,
    Q,
    QuerySet,
    Sum,
    Window,
)
from django.db.models.functions import Coalesce, NullIf, RowNumber
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.http import RFC3986_SUBDELIMS

from .accuracy import metrics as accuracy_metrics
from .models import (
    POWER_KINDS,
    Benchmark,
    BenchmarkScenario,
    Better,
    Category,
    Correction,
    CorrectionKind,
    Division,
    Entry,
    Measurement,
    MeasurementKind,
    Result,
    Round,
    Scenario,
    System,
    SystemType,
    system_code_url,
)


def published_rounds() -> QuerySet[Round]:
    """Published rounds, newest first (Meta.ordering does not apply to aggregates)."""
    return (
        Round.objects.published()
        .annotate(
            system_count=Count("systems", distinct=True),
            result_count=Count("systems__entries__results", distinct=True),
        )
        .order_by("-published_at", "-version")
    )


def viewable_rounds(user) -> QuerySet[Round]:
    """Published rounds; staff also see drafts before the embargo ends."""
    return Round.objects.all() if user.is_staff else Round.objects.published()


def viewable_round(version: str, user) -> Round:
    return get_object_or_404(viewable_rounds(user), version=version)


@dataclass(frozen=True)
class Narrowing:
    """One benchmark (and optionally one scenario) at a time: columns, rows and downloads."""

    benchmark: str | None = None  # a benchmark slug
    scenario: str | None = None  # a scenario name

    def apply(self, results: QuerySet[Result]) -> QuerySet[Result]:
        if self.benchmark:
            results = results.filter(benchmark__slug=self.benchmark)
        if self.scenario:
            results = results.filter(scenario__name=self.scenario)
        return results


EVERYTHING = Narrowing()


def round_results(
    round_: Round,
    entries: QuerySet[Entry] | list[int] | None = None,
    only: Narrowing = EVERYTHING,
    sort: Sequence[str] = (),
) -> list[ResultRow]:
    """Every result of the round (or of the given entries or entry ids), with what rows show.

    Read as plain values in two queries (the rows with their systems, in the
    tables' order; their results) and four small ones (benchmarks, scenarios,
    system types, categories), and returned as ``ResultRow``s in the order of
    RESULT_ORDER: a page builds 1,000s of these, and model instances with
    prefetching cost several times as much. Each system, benchmark and
    scenario is one object however many results share it.
    """
    rows = _rows_by_id(round_, entries, sort)
    # Withdrawn results stay in their cells, marked; only a withdrawn system leaves.
    shown_results = only.apply(
        _filtered(
            Result.objects.for_round(round_).filter(entry__system__withdrawn_at__isnull=True),
            entries,
        )
    )
    values = list(
        shown_results.values_list(
            "entry_id",
            "benchmark_id",
            "scenario_id",
            "value",
            "unit",
            "inferred",
            "compliant",
            "accuracy_raw",
            "accuracy_metrics",
            "pk",
            "withdrawn_at",
        )
    )
    if not values:
        return []
    benchmarks = Benchmark.objects.in_bulk({row[1] for row in values})
    scenarios = Scenario.objects.in_bulk({row[2] for row in values})
    power, token_latency = beside_figures(shown_results)
    marks = correction_marks(round_)
    by_entry: dict[int, list[ResultRow]] = {}
    for entry_id, benchmark_id, scenario_id, *shown, pk, withdrawn_at in values:
        by_entry.setdefault(entry_id, []).append(
            ResultRow(
                rows[entry_id],
                benchmarks[benchmark_id],
                scenarios[scenario_id],
                *shown,
                power=power.get(pk),
                token_latency=token_latency.get(pk),
                withdrawn=marks.get((pk, "withdrawn")) if withdrawn_at else None,
                corrected=marks.get((pk, "corrected")),
            )
        )
    # The rows come in the order SQL sorted them (the sort asked for); their results follow
    # them, so nothing is sorted again here. Columns are ordered by round_tables.
    return [result for entry_id in rows for result in by_entry.get(entry_id, ())]


@dataclass(frozen=True, slots=True)
class Mark:
    """A correction as a cell shows it: when, what it was, and where the reason is."""

    effective: object
    old_value: str
    correction_id: int


def correction_marks(round_: Round) -> dict[tuple[int, str], Mark]:
    """(result id, "withdrawn" or "corrected") -> the latest such correction, in one query."""
    kinds = {
        CorrectionKind.WITHDRAW_RESULT: "withdrawn",
        CorrectionKind.CORRECT_VALUE: "corrected",
    }
    marks: dict[tuple[int, str], Mark] = {}
    for result_id, kind, effective, old, pk in (
        Correction.objects.on_record()
        .filter(round=round_, result__isnull=False, kind__in=kinds)
        .order_by("effective", "pk")
        .values_list("result_id", "kind", "effective", "old_value", "pk")
    ):
        marks[(result_id, kinds[kind])] = Mark(effective, old, pk)
    return marks


def power_figures(results: QuerySet[Result]) -> dict[int, tuple[float, str]]:
    """Each result's power figure (watts, or energy per query or sample), by result id."""
    return {
        result_id: (value, unit)
        for result_id, value, unit in Measurement.objects.filter(
            result__in=results.values("pk"), kind__in=POWER_KINDS
        ).values_list("result_id", "value", "unit")
    }


# What a language model's figure is read beside: its token latencies (issue 10).
TOKEN_LATENCY_KINDS = (MeasurementKind.TTFT_P99, MeasurementKind.TPOT_P99)


@dataclass(frozen=True, slots=True)
class TokenLatency:
    ttft: tuple[float, str] | None
    tpot: tuple[float, str] | None


def beside_figures(
    results: QuerySet[Result],
) -> tuple[dict[int, tuple[float, str]], dict[int, TokenLatency]]:
    """Each result's power figure and its token latencies (TTFT and TPOT p99), by result
    id, in one query: what a cell shows under its figure."""
    power: dict[int, tuple[float, str]] = {}
    tokens: dict[int, dict[str, tuple[float, str]]] = {}
    for result_id, kind, value, unit in Measurement.objects.filter(
        result__in=results.values("pk"), kind__in=(*POWER_KINDS, *TOKEN_LATENCY_KINDS)
    ).values_list("result_id", "kind", "value", "unit"):
        if kind in POWER_KINDS:
            power[result_id] = (value, unit)
        else:
            tokens.setdefault(result_id, {})[kind] = (value, unit)
    latency = {
        pk: TokenLatency(kinds.get(MeasurementKind.TTFT_P99), kinds.get(MeasurementKind.TPOT_P99))
        for pk, kinds in tokens.items()
    }
    return power, latency


def _rows_by_id(
    round_: Round, entries: QuerySet[Entry] | list[int] | None, sort: Sequence[str] = ()
) -> dict[int, RowEntry]:
    """The round's rows (or the given ones) by id, in the order ``sort`` gives (the one
    sort: tables split the rows and keep their order), with what the tables show of their
    systems."""
    rows = Entry.objects.filter(system__round=round_, system__withdrawn_at__isnull=True)
    if isinstance(entries, list):
        rows = rows.filter(pk__in=entries)
    elif entries is not None:
        rows = rows.filter(pk__in=entries.values("pk"))
    rows, order = _row_order(round_, rows, sort)
    rows = list(
        rows.order_by(*order).values_list(
            "pk",
            "result_id",
            "model_folder",
            "system_id",
            *(f"system__{name}" for name in SYSTEM_VALUES),
            named=True,
        )
    )
    system_types = SystemType.objects.in_bulk({row.system__system_type_id for row in rows})
    # With their round: a cell's link to the change log names its version.
    categories = Category.objects.select_related("round").in_bulk(
        {row.system__category_id for row in rows}
    )
    system_url = _system_url_maker(round_)
    systems: dict[int, RowSystem] = {}
    entries_by_id: dict[int, RowEntry] = {}
    for row in rows:
        system = systems.get(row.system_id)
        if system is None:
            processor, accelerator = row.system__processor__name, row.system__accelerator__name
            system = systems[row.system_id] = RowSystem(
                id=row.system_id,
                name=row.system__name,
                division=row.system__division,
                system_type=system_types[row.system__system_type_id],
                category=categories[row.system__category_id],
                submitter=Named(row.system__submitter__name),
                processor=Named(processor) if processor is not None else None,
                processor_count=row.system__processor_count,
                accelerator=Named(accelerator) if accelerator is not None else None,
                accelerator_count=row.system__accelerator_count,
                nodes=row.system__nodes,
                software=row.system__software,
                notes=row.system__notes,
                code_url=system_code_url(
                    round_.code_url, row.system__division, row.system__submitter_folder
                ),
                url=system_url(
                    row.system__division, row.system__submitter__slug, row.system__folder_id
                ),
            )
        entries_by_id[row.pk] = RowEntry(
            row.pk, row.result_id, row.model_folder, system, position=len(entries_by_id)
        )
    return entries_by_id


# What round_results reads of a row's system.
SYSTEM_VALUES = (
    "name",
    "division",
    "system_type_id",
    "category_id",
    "submitter__name",
    "submitter__slug",
    "submitter_folder",
    "folder_id",
    "processor__name",
    "processor_count",
    "accelerator__name",
    "accelerator_count",
    "nodes",
    "software",
    "notes",
)


def _system_url_maker(round_: Round):
    """System.get_absolute_url for many systems of one round, reversing the URL once.

    The arguments are quoted as ``reverse`` quotes them; tests compare the two.
    """
    marks = ("division-mark", "submitter-mark", "folder-mark")
    pattern = reverse("results:system", args=[round_.version, *marks])
    before, rest = pattern.split(marks[0], 1)
    middle, rest = rest.split(marks[1], 1)
    between, after = rest.split(marks[2], 1)

    def url(division: str, submitter_slug: str, folder_id: str) -> str:
        return (
            f"{before}{_quote(division)}{middle}{_quote(submitter_slug)}"
            f"{between}{_quote(folder_id)}{after}"
        )

    return url


def _quote(segment: str) -> str:
    return quote(segment, safe=RFC3986_SUBDELIMS + "/~:@")


@dataclass(slots=True)
class Named:
    """A submitter, processor or accelerator, as a row of a table names it."""

    name: str


@dataclass(slots=True, eq=False)
class RowSystem:
    """What the round's tables show of a system (``System``'s attribute names)."""

    id: int
    name: str
    division: str
    system_type: SystemType
    category: Category
    submitter: Named
    processor: Named | None
    processor_count: int | None
    accelerator: Named | None
    accelerator_count: int | None
    nodes: int | None
    software: str
    notes: str
    code_url: str
    url: str

    def get_absolute_url(self) -> str:
        return self.url


@dataclass(slots=True, eq=False)
class RowEntry:
    id: int
    result_id: str | None
    model_folder: str
    system: RowSystem
    # Where the row comes in the round's order (RESULT_ORDER).
    position: int


@dataclass(slots=True, eq=False)
class ResultRow:
    """A result as the round's tables read it (``Result``'s attribute names)."""

    entry: RowEntry
    benchmark: Benchmark
    scenario: Scenario
    value: float
    unit: str
    inferred: bool
    compliant: bool | None
    accuracy_raw: str
    accuracy_metrics: list = field(default_factory=list)
    power: tuple[float, str] | None = None
    withdrawn: Mark | None = None
    corrected: Mark | None = None
    token_latency: TokenLatency | None = None

    @property
    def entry_id(self) -> int:
        return self.entry.id


def round_results_query(
    round_: Round,
    entries: QuerySet[Entry] | list[int] | None = None,
    only: Narrowing = EVERYTHING,
) -> QuerySet[Result]:
    # Withdrawn results stay in the downloads with their status; a withdrawn system leaves.
    results = only.apply(
        _filtered(
            Result.objects.for_round(round_)
            .filter(entry__system__withdrawn_at__isnull=True)
            .with_related(),
            entries,
        )
    )
    # The tables and downloads never show these; they are most of a row's bytes.
    results = results.defer(
        "performance", "run_values", "implementation", "entry__system__description"
    )
    return results.order_by(*RESULT_ORDER)


# The rows of one table, by default: System.rank is the order by submitter and system name.
DEFAULT_ROW_ORDER = ("system__rank", "model_folder", "number", "pk")
# The rows of the round: table by table (division, system type, category), then as above.
ENTRY_ORDER = (
    "system__division",
    "system__system_type__order",
    "system__category__order",
    *DEFAULT_ROW_ORDER,
)
RESULT_ORDER = (*(f"entry__{name}" for name in ENTRY_ORDER), "benchmark__order", "scenario__order")


def _filtered(results: QuerySet[Result], entries) -> QuerySet[Result]:
    if isinstance(entries, list):
        return results.filter(entry__in=entries)
    if entries is not None:
        return results.filter(entry__in=entries.values("pk"))
    return results


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
    power: tuple[float, str] | None = None  # watts, or energy per query or sample
    withdrawn: Mark | None = None
    corrected: Mark | None = None
    token_latency: TokenLatency | None = None  # an LLM's TTFT and TPOT (p99)

    @property
    def per_watt(self) -> float | None:
        """Throughput per watt (a rate over watts); None for latencies and energies."""
        if self.withdrawn is not None:
            return None
        if self.power is None or self.power[1] != "W" or self.unit in ("ms", "s"):
            return None
        return self.value / self.power[0]


@dataclass
class Row:
    entry: Entry
    system: System
    cells: dict[str, Cell] = field(default_factory=dict)
    accuracies: list[str] = field(default_factory=list)


@dataclass
class TableGroup:
    system_type: SystemType
    division: str
    category: Category
    columns: list[Column]
    rows: list[Row]
    # Rows of the whole table when only its first rows are here (round_page, table_page).
    total_rows: int | None = None

    @property
    def key(self) -> tuple:
        return (self.division, self.system_type.pk, self.category.pk)

    @property
    def row_total(self) -> int:
        return len(self.rows) if self.total_rows is None else self.total_rows

    @property
    def is_cut(self) -> bool:
        return self.row_total > len(self.rows)

    @property
    def slug(self) -> str:
        return f"{self.division}-{self.system_type.slug}-{self.category.slug}"

    @property
    def title(self) -> str:
        division = dict(Division.choices).get(self.division, self.division.title())
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
            power=getattr(result, "power", None),
            withdrawn=getattr(result, "withdrawn", None),
            corrected=getattr(result, "corrected", None),
            token_latency=getattr(result, "token_latency", None),
        )
        if system.division == Division.OPEN and (result.accuracy_raw or result.accuracy_metrics):
            # Metric, value as the round reports it, target (and upper bound): plain text.
            shown = "; ".join(
                str(m) for m in accuracy_metrics(result.accuracy_metrics, result.accuracy_raw)
            )
            if shown not in row.accuracies:
                row.accuracies.append(shown)
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
    "power",
    "power_unit",
    "measurements",
    # Results with the same key measure the same thing in any round (family, scenario, unit).
    "comparison",
    # published, corrected (its value changed on the record) or withdrawn.
    "status",
)


# EXPORT_COLUMNS, as read from a result.
EXPORT_FIELDS = {
    "round": "entry__system__round__version",
    "result_id": "entry__result_id",
    "division": "entry__system__division",
    "system_type": "entry__system__system_type__slug",
    "category": "entry__system__category__slug",
    "submitter": "entry__system__submitter__name",
    "system_id": "entry__system__folder_id",
    "system_name": "entry__system__name",
    "benchmark": "benchmark__slug",
    "model": "model_folder",
    "scenario": "scenario__name",
    "value": "value",
    "unit": "unit",
    # The figure as the accuracy script printed it ("75.920"), as the checker reads it.
    "accuracy": "accuracy_raw",
    "inferred": "inferred",
    "compliant": "compliant",
    "processor": "entry__system__processor__name",
    "processor_count": "entry__system__processor_count",
    "accelerator": "entry__system__accelerator__name",
    "accelerator_count": "entry__system__accelerator_count",
    "software": "entry__system__software",
    "pk": "pk",
    "system_pk": "entry__system_id",
    "benchmark_id": "benchmark_id",
    "scenario_id": "scenario_id",
    "withdrawn_at": "withdrawn_at",
}


def export_rows(results: QuerySet[Result], *, keep_ids: bool = False) -> Iterator[dict]:
    """One flat dict per result, with the columns DESIGN.md promises (EXPORT_COLUMNS).

    Reads plain values in batches, not model instances: a round 100 times the
    size of v0.7 (120,000 results) streams in seconds, not minutes. With
    ``keep_ids`` each row also holds its result's and system's ids ("_result",
    "_system"), which no writer reads (results.snapshots does).
    """
    batch: list[dict] = []
    comparison: dict[tuple[int, int], str] | None = None
    corrected: set[int] = set()
    for values in results.values_list(*EXPORT_FIELDS.values()).iterator(chunk_size=2000):
        if comparison is None:
            corrected = set(
                Correction.objects.on_record()
                .filter(
                    round__version=values[0],
                    kind=CorrectionKind.CORRECT_VALUE,
                    result__isnull=False,
                )
                .values_list("result_id", flat=True)
            )
            comparison = {
                (b, s): key
                for b, s, key in BenchmarkScenario.objects.filter(
                    benchmark__round__version=values[0]
                ).values_list("benchmark_id", "scenario_id", "comparison_key")
            }
        row = dict(zip(EXPORT_FIELDS, values, strict=True))
        system_pk = row.pop("system_pk")
        if keep_ids:
            row["_system"] = system_pk
        row["processor"] = row["processor"] or ""
        row["accelerator"] = row["accelerator"] or ""
        row["comparison"] = comparison.get((row.pop("benchmark_id"), row.pop("scenario_id")), "")
        withdrawn = row.pop("withdrawn_at")
        row["status"] = (
            "withdrawn" if withdrawn else "corrected" if row["pk"] in corrected else "published"
        )
        batch.append(row)
        if len(batch) == 2000:
            yield from _with_measurements(batch, keep_ids)
            batch = []
    yield from _with_measurements(batch, keep_ids)


def _with_measurements(rows: list[dict], keep_ids: bool = False) -> list[dict]:
    """Add power, power_unit and every measurement ("kind=value unit; ...") to the rows."""
    found: dict[int, dict[str, tuple[float, str]]] = {}
    if rows:
        for result_id, kind, value, unit in Measurement.objects.filter(
            result_id__in=[row["pk"] for row in rows]
        ).values_list("result_id", "kind", "value", "unit"):
            found.setdefault(result_id, {})[kind] = (value, unit)
    for row in rows:
        pk = row.pop("pk")
        if keep_ids:
            row["_result"] = pk
        measured = found.get(pk, {})
        power = measured.get("power") or measured.get("energy")
        row["power"] = power[0] if power else None
        row["power_unit"] = power[1] if power else ""
        row["measurements"] = "; ".join(
            f"{kind}={value!r} {unit}" for kind, (value, unit) in sorted(measured.items())
        )
        row["comparison"] = row.pop("comparison")  # in EXPORT_COLUMNS' order
        row["status"] = row.pop("status")
    return rows


def csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def json_row(row: dict) -> dict:
    """A row for JSON: accuracy as a number, measurements as an object, the rest as it is."""
    accuracy = row["accuracy"]
    measurements = {}
    for part in filter(None, row.get("measurements", "").split("; ")):
        kind, _, rest = part.partition("=")
        value, _, unit = rest.partition(" ")
        measurements[kind] = {"value": float(value), "unit": unit}
    return {**row, "accuracy": float(accuracy) if accuracy else None, "measurements": measurements}


def system_detail(version: str, division: str, submitter_slug: str, folder_id: str, user) -> System:
    """A system with all its results (withdrawn ones too), their measurements, its
    corrections and (``earlier``) its family in earlier published rounds, in 6 queries."""
    results = (
        Result.objects.select_related("benchmark", "scenario", "entry")
        # The page shows neither; they are most of a result's bytes.
        .defer("performance", "run_values", "implementation")
        .prefetch_related("measurements")
        .order_by("benchmark__order", "scenario__order")
    )
    corrections = Correction.objects.on_record().select_related(
        "result__benchmark", "result__scenario"
    )
    system = get_object_or_404(
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
    # For the page only ("This system in earlier rounds").
    system.earlier = earlier_systems(system)
    return system


def earlier_systems(system: System) -> list[System]:
    """The system's family in published rounds before its own, newest first (1 query).

    A family is a submitter's systems described by the same systems/<folder_id>.json
    (compared without regard to case), in any division: see compare.selectors.
    """
    now = timezone.now()
    before = system.round.published_at if system.round.published_at else now
    return list(
        System.objects.filter(
            submitter_id=system.submitter_id,
            folder_id__iexact=system.folder_id,
            withdrawn_at__isnull=True,
            round__published_at__lte=now,
            round__published_at__lt=before,
        )
        .exclude(round_id=system.round_id)
        .select_related("round", "submitter")
        .order_by("-round__published_at", "division")
    )


def round_corrections(round_: Round) -> QuerySet[Correction]:
    """The round's change log, newest first."""
    return (
        Correction.objects.filter(round=round_)
        .on_record()
        .select_related(
            "system__round",
            "system__submitter",
            "result__benchmark",
            "result__scenario",
            "result__entry",
        )
    )


def published_entry(result_id: str) -> Entry:
    return get_object_or_404(
        Entry.objects.filter(system__round__in=Round.objects.published()).select_related(
            "system__round", "system__submitter"
        ),
        result_id=result_id,
    )


# --- The round page at scale: whole tables, or the first rows of each --------
#
# A round's page shows every table whole while the page stays within
# settings.RESULTS_PAGE_MAX_ROWS rows. Past that, each table shows its first
# settings.RESULTS_TABLE_PREVIEW_ROWS rows in the current sort, chosen in SQL
# (a window function per table), with a link to the table's own page
# (table_page), paginated in SQL. Either way the number of queries is fixed,
# and a round 100 times the size of v0.7 renders fewer rows than v0.7.


@dataclass
class RoundPage:
    tables: list[TableGroup]
    row_count: int  # rows matching the filters, shown or not
    result_count: int


# django-tables2 column names (results.tables.RoundTable) -> what the rows sort by.
ROW_ORDER = {
    "result_id": "result_id",
    "submitter": "system__submitter__name",
    "system": "system__name",
    "model": "model_folder",
    "processor": "system__processor__name",
    "processor_count": "system__processor_count",
    "accelerator": "system__accelerator__name",
    "accelerator_count": "system__accelerator_count",
    "software": "system__software",
}
TABLE_PARTITION = ("system__division", "system__system_type", "system__category")


def table_rows(round_: Round, entries: QuerySet[Entry] | None = None) -> QuerySet[Entry]:
    """The rows of the round's tables: entries with a result that is not withdrawn.

    The conditions are ResultQuerySet.visible()'s, read from the entry's
    ``result_count`` (services.rows_changed), so that neither counting nor
    paging a table touches its results; table_counts reads the same.
    """
    rows = Entry.objects.filter(
        system__round=round_, system__withdrawn_at__isnull=True, result_count__gt=0
    )
    if entries is not None:
        rows = rows.filter(pk__in=entries.values("pk"))
    return rows


def table_counts(round_: Round, entries: QuerySet[Entry] | None = None) -> dict[tuple, tuple]:
    """(rows, results) per table, keyed like TableGroup.key, in one aggregate query.

    It reads rows and their ``result_count``, not every result: a hundred
    times v0.7 is 32,000 rows but 120,000 results.
    """
    groups = (
        table_rows(round_, entries)
        .values(*TABLE_PARTITION)
        .annotate(rows=Count("pk"), results=Sum("result_count"))
        .order_by()
    )
    return {
        tuple(group[name] for name in TABLE_PARTITION): (group["rows"], group["results"])
        for group in groups
    }


def sorted_rows(round_: Round, rows: QuerySet[Entry], sort: Sequence[str]) -> QuerySet[Entry]:
    """``rows`` in the order that django-tables2's ``sort`` parameters give the tables."""
    rows, order = _row_order(round_, rows, sort)
    return rows.order_by(*order)


def _row_order(
    round_: Round, rows: QuerySet[Entry], sort: Sequence[str]
) -> tuple[QuerySet[Entry], list]:
    """``rows`` (annotated as the order needs) and the order the ``sort`` parameters give.

    A result column ("resnet-Offline") puts the best value first and
    "-resnet-Offline" the worst; blanks are last both ways, in every column.
    Unknown names are ignored. Sorting by a
    result column costs one small query, to find the column.
    """
    order = []
    for index, name in enumerate(sort):
        descending, bare = name.startswith("-"), name.lstrip("-")
        if bare in ROW_ORDER:
            field = F(ROW_ORDER[bare])
            order.append(field.desc(nulls_last=True) if descending else field.asc(nulls_last=True))
            continue
        column = _result_column(round_, bare)
        if column is None:
            continue
        benchmark_id, scenario_id, better = column
        alias = f"sort_result_{index}"
        rows = rows.annotate(
            **{
                alias: FilteredRelation(
                    "results",
                    condition=Q(
                        results__benchmark=benchmark_id,
                        results__scenario=scenario_id,
                        results__withdrawn_at__isnull=True,
                    ),
                )
            }
        )
        value = F(f"{alias}__value")
        best_first = value.asc if better == Better.LOWER else value.desc
        worst_first = value.desc if better == Better.LOWER else value.asc
        # Blanks last whichever way: a reversed sort shows the worst results, not blanks.
        order.append(worst_first(nulls_last=True) if descending else best_first(nulls_last=True))
    return rows, order + [F(name).asc() for name in DEFAULT_ROW_ORDER]


def _result_column(round_: Round, name: str) -> tuple | None:
    """(benchmark id, scenario id, better) of a column named like ColumnKey.name."""
    if "-" not in name:
        return None
    # "<benchmark>-<scenario>", with "." in the benchmark written "_" (ColumnKey.name).
    benchmark, scenario = name.rsplit("-", 1)
    return (
        BenchmarkScenario.objects.filter(
            benchmark__round=round_,
            benchmark__slug=benchmark.replace("_", "."),
            scenario__name=scenario,
        )
        .values_list("benchmark_id", "scenario_id", "scenario__better")
        .first()
    )


def first_rows(
    round_: Round,
    entries: QuerySet[Entry] | None,
    sort: Sequence[str],
    limit: int,
    tables: Sequence[tuple] = (),
) -> list[int]:
    """The ids of the first ``limit`` rows of every table in the order ``sort`` gives.

    With the tables' keys (TableGroup.key), and a database that takes LIMIT in
    a UNION (PostgreSQL), each table is a top-N query of its own in one
    statement, so the database never sorts every row of the round; otherwise
    (SQLite) the rows are ranked in a window.
    """
    rows, order = _row_order(round_, table_rows(round_, entries), sort)
    if tables and connections[rows.db].features.supports_slicing_ordering_in_compound:
        firsts = [
            rows.filter(**dict(zip(TABLE_PARTITION, key, strict=True)))
            .order_by(*order)
            .values_list("pk", flat=True)[:limit]
            for key in tables
        ]
        return list(firsts[0].union(*firsts[1:], all=True))
    partition = [F(name) for name in TABLE_PARTITION]
    ranked = rows.annotate(position=Window(RowNumber(), partition_by=partition, order_by=order))
    return list(ranked.filter(position__lte=limit).order_by().values_list("pk", flat=True))


def round_page(
    round_: Round,
    entries: QuerySet[Entry] | None = None,
    *,
    sort: Sequence[str] = (),
    max_rows: int,
    preview_rows: int,
    only: Narrowing = EVERYTHING,
) -> RoundPage:
    """The tables of the round page: whole up to ``max_rows`` rows in all, else cut."""
    counts = table_counts(round_, entries)
    row_count = sum(rows for rows, _ in counts.values())
    result_count = sum(results for _, results in counts.values())
    shown = entries
    if row_count > max_rows:
        shown = first_rows(round_, entries, sort, preview_rows, tables=list(counts))
    tables = round_tables(round_results(round_, shown, only, sort))
    for table in tables:
        table.total_rows = counts.get(table.key, (len(table.rows),))[0]
    if only != EVERYTHING:
        result_count = sum(len(row.cells) for table in tables for row in table.rows)
    return RoundPage(tables, row_count, result_count)


@dataclass
class TablePage:
    table: TableGroup
    page: Page


def table_of(round_: Round, slug: str) -> TableGroup:
    """An empty TableGroup for a slug of the round page ("closed-datacenter-available")."""
    division, _, rest = slug.partition("-")
    if division in Division.values:
        categories = list(Category.objects.filter(round=round_))
        for system_type in SystemType.objects.all():
            for category in categories:
                if f"{system_type.slug}-{category.slug}" == rest:
                    return TableGroup(system_type, division, category, [], [], total_rows=0)
    raise Http404("No such table in this round.")


def table_page(
    round_: Round,
    slug: str,
    entries: QuerySet[Entry] | None = None,
    *,
    sort: Sequence[str] = (),
    page: str | int | None = 1,
    per_page: int,
    only: Narrowing = EVERYTHING,
) -> TablePage:
    """One page of one table of the round, in the order ``sort`` gives, paginated in SQL."""
    empty = table_of(round_, slug)
    rows = table_rows(round_, entries).filter(
        system__division=empty.division,
        system__system_type=empty.system_type,
        system__category=empty.category,
    )
    paginator = Paginator(sorted_rows(round_, rows, sort).values_list("pk", flat=True), per_page)
    page_ = paginator.get_page(page)
    tables = round_tables(round_results(round_, list(page_), only, sort))
    table = tables[0] if tables else empty
    table.total_rows = paginator.count
    return TablePage(table, page_)


# --- Rankings ---------------------------------------------------------------


@dataclass
class RankedResult:
    rank: int
    result_id: str | None
    division: str
    system_type: str
    category: str
    submitter: str
    system: str
    system_url: str
    accelerator: str
    accelerator_count: int | None
    processor: str
    value: float
    unit: str
    inferred: bool
    compliant: bool | None
    power: tuple[float, str] | None
    nodes: int | None = None

    @property
    def per_watt(self) -> float | None:
        if self.power is None or self.power[1] != "W" or self.unit in ("ms", "s"):
            return None
        return self.value / self.power[0]

    @property
    def chips(self) -> int | None:
        """Nodes x accelerators (one node when not given); None without accelerators."""
        if not self.accelerator_count:
            return None
        return (self.nodes or 1) * self.accelerator_count

    @property
    def per_accelerator(self) -> float | None:
        chips = self.chips
        if chips is None or self.unit in ("ms", "s"):
            return None
        return self.value / chips


@dataclass
class Ranking:
    benchmark: Benchmark
    scenario: Scenario
    unit: str
    better: str
    comparison_key: str
    results: list[RankedResult]


def ranked_results(
    round_: Round, benchmark_slug: str, scenario_name: str
) -> tuple[BenchmarkScenario, str, QuerySet[Result]]:
    """A round's column (404 if it has none), its direction, and its visible results: what
    the ranking and the charts order, best first, by ``value`` then ENTRY_ORDER."""
    column = get_object_or_404(
        BenchmarkScenario.objects.select_related("benchmark", "scenario"),
        benchmark__round=round_,
        benchmark__slug=benchmark_slug,
        scenario__name=scenario_name,
    )
    better = column.better or column.scenario.better
    results = (
        Result.objects.for_round(round_)
        .visible()
        .filter(benchmark=column.benchmark, scenario=column.scenario)
    )
    return column, better, results


def ranking(
    round_: Round, benchmark_slug: str, scenario_name: str, view: str = "as-published"
) -> Ranking:
    """One benchmark and scenario across every table of the round, best first, in 5 queries.

    Ties keep the tables' order (division, system type, category, row). Blank
    values cannot occur: a result always has a figure. ``view="per-accelerator"``
    ranks a throughput by its figure per accelerator (nodes x accelerators), in
    SQL; results without accelerators come last. Latencies keep their order.
    """
    column, better, results = ranked_results(round_, benchmark_slug, scenario_name)
    order: F | OrderBy | str = "value" if better == Better.LOWER else "-value"
    if view == "per-accelerator" and better != Better.LOWER:
        chips = Coalesce("entry__system__nodes", 1) * NullIf("entry__system__accelerator_count", 0)
        results = results.annotate(
            per_accelerator=ExpressionWrapper(F("value") / chips, output_field=FloatField())
        )
        order = F("per_accelerator").desc(nulls_last=True)
    values = list(
        results.order_by(order, *(f"entry__{name}" for name in ENTRY_ORDER)).values_list(
            "pk",
            "entry__result_id",
            "entry__system__division",
            "entry__system__system_type__name",
            "entry__system__category__name",
            "entry__system__submitter__name",
            "entry__system__submitter__slug",
            "entry__system__name",
            "entry__system__folder_id",
            "entry__system__accelerator__name",
            "entry__system__accelerator_count",
            "entry__system__processor__name",
            "value",
            "unit",
            "inferred",
            "compliant",
            "entry__system__nodes",
        )
    )
    power = power_figures(results)
    system_url = _system_url_maker(round_)
    ranked = []
    for rank, row in enumerate(values, start=1):
        (pk, result_id, division, system_type, category, submitter, slug, name, folder) = row[:9]
        accelerator, accelerator_count, processor, value, unit, inferred, compliant = row[9:16]
        ranked.append(
            RankedResult(
                rank=rank,
                result_id=result_id,
                division=division,
                system_type=system_type,
                category=category,
                submitter=submitter,
                system=name,
                system_url=system_url(division, slug, folder),
                accelerator=accelerator or "",
                accelerator_count=accelerator_count or None,
                processor=processor or "",
                value=value,
                unit=unit,
                inferred=inferred,
                compliant=compliant,
                power=power.get(pk),
                nodes=row[16],
            )
        )
    return Ranking(
        column.benchmark,
        column.scenario,
        column.unit or column.scenario.unit,
        better,
        column.comparison_key,
        ranked,
    )


def ranking_links(round_: Round) -> list[tuple[str, str, str]]:
    """(benchmark slug, scenario name, label) of every column of the round that has results."""
    columns = (
        Result.objects.for_round(round_)
        .visible()
        .values_list("benchmark__slug", "scenario__name", "scenario__label")
        .order_by("benchmark__order", "scenario__order")
        .distinct()
    )
    return [(b, s, f"{b} {label}") for b, s, label in columns]


# --- A round's story ----------------------------------------------------------


@dataclass
class Comparability:
    """What a round's columns share with one earlier round, by comparison key."""

    version: str
    title: str
    same: list[str]  # "resnet50 Offline": measured the same way
    changed: list[str]  # same benchmark family and scenario, another metric or unit


def round_comparability(round_: Round) -> list[Comparability]:
    """For each earlier published round, the columns comparable with this round's (1 query)."""
    earlier = Q(
        benchmark__round__published_at__isnull=False,
        benchmark__round__published_at__lt=round_.published_at or timezone.now(),
    )
    rows = list(
        BenchmarkScenario.objects.filter(earlier | Q(benchmark__round=round_))
        .order_by("-benchmark__round__published_at", "benchmark__order", "scenario__order")
        .values_list(
            "benchmark__round_id",
            "benchmark__round__version",
            "benchmark__round__title",
            "benchmark__family",
            "scenario__name",
            "comparison_key",
        )
    )
    ours = {(f, s): k for r, _, _, f, s, k in rows if r == round_.pk}
    by_round: dict[int, Comparability] = {}
    for round_id, version, title, family, scenario, key in rows:
        if round_id == round_.pk or (family, scenario) not in ours:
            continue
        entry = by_round.setdefault(round_id, Comparability(version, title, [], []))
        label = f"{family} {scenario}"
        (entry.same if ours[(family, scenario)] == key else entry.changed).append(label)
    return list(by_round.values())
