"""What the charts read: a fixed number of queries each, whatever the number of results.

Only what the public pages show: the round comes from ``viewable_round`` (the
view's), results are the visible ones, and the history reads published rounds
only.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Max, Min, Q

from results.models import BenchmarkScenario, Better, Division, Result, Round
from results.selectors import ENTRY_ORDER, _system_url_maker, ranked_results


@dataclass(frozen=True)
class ChartResult:
    rank: int
    result_id: str | None
    submitter: str
    system: str
    system_url: str
    division: str
    accelerator: str  # canonical name, "" for none
    accelerator_count: int | None
    processor: str
    value: float
    unit: str
    accuracy: float | None
    accuracy_raw: str

    @property
    def label(self) -> str:
        return f"{self.submitter}: {self.system}"

    @property
    def hover(self) -> str:
        chips = f" × {self.accelerator_count}" if self.accelerator_count else ""
        part = self.accelerator + chips if self.accelerator else self.processor
        return f"{self.label} ({self.division}, {part}): {self.value!r} {self.unit}"


@dataclass(frozen=True)
class ColumnChart:
    column: BenchmarkScenario
    unit: str
    better: str
    results: list[ChartResult]

    @property
    def family(self) -> str:
        return self.column.benchmark.family or self.column.benchmark.slug


def column_chart(
    round_: Round, benchmark: str, scenario: str, *, division: str | None = None
) -> ColumnChart:
    """A benchmark x scenario of a round, best first (ties in the tables' order): 2 queries."""
    column, better, results = ranked_results(round_, benchmark, scenario)
    if division:
        results = results.filter(entry__system__division=division)
    order = "value" if better == Better.LOWER else "-value"
    rows = results.order_by(order, *(f"entry__{name}" for name in ENTRY_ORDER)).values_list(
        "entry__result_id",
        "entry__system__submitter__name",
        "entry__system__submitter__slug",
        "entry__system__name",
        "entry__system__division",
        "entry__system__folder_id",
        "entry__system__accelerator__canonical_name",
        "entry__system__accelerator_count",
        "entry__system__processor__canonical_name",
        "value",
        "unit",
        "accuracy",
        "accuracy_raw",
    )
    url = _system_url_maker(round_)
    found = [
        ChartResult(
            rank=rank,
            result_id=result_id,
            submitter=submitter,
            system=name,
            system_url=url(division_, slug, folder),
            division=division_,
            accelerator=accelerator or "",
            accelerator_count=count or None,
            processor=processor or "",
            value=value,
            unit=unit,
            accuracy=accuracy,
            accuracy_raw=raw,
        )
        for rank, (
            result_id,
            submitter,
            slug,
            name,
            division_,
            folder,
            accelerator,
            count,
            processor,
            value,
            unit,
            accuracy,
            raw,
        ) in enumerate(rows, start=1)
    ]
    return ColumnChart(column, column.unit or column.scenario.unit, better, found)


def open_accuracy(round_: Round, benchmark: str, scenario: str) -> ColumnChart:
    """The open division's results of a column that report an accuracy: 2 queries."""
    chart = column_chart(round_, benchmark, scenario, division=Division.OPEN)
    return ColumnChart(
        chart.column, chart.unit, chart.better, [r for r in chart.results if r.accuracy is not None]
    )


@dataclass(frozen=True)
class RoundBest:
    version: str
    benchmark: str  # the round's slug of the family
    title: str
    comparison_key: str
    unit: str
    better: str
    value: float
    comparable: bool  # the same comparison key as the round before on the chart


@dataclass(frozen=True)
class History:
    family: str
    scenario: str
    rounds: list[RoundBest]


def history(family: str, scenario: str) -> History:
    """The best closed-division result of a benchmark family and scenario in each published
    round, oldest first: 2 queries (the columns, then min and max per column)."""
    columns = list(
        BenchmarkScenario.objects.filter(
            Q(benchmark__family=family) | Q(benchmark__family="", benchmark__slug=family),
            scenario__name=scenario,
            benchmark__round__in=Round.objects.published(),
        )
        .order_by("benchmark__round__published_at", "benchmark__round__version")
        .values_list(
            "benchmark_id",
            "scenario_id",
            "benchmark__round__version",
            "benchmark__round__title",
            "benchmark__slug",
            "comparison_key",
            "unit",
            "scenario__unit",
            "better",
            "scenario__better",
        )
    )
    if not columns:
        from django.http import Http404

        raise Http404("No published round has this benchmark and scenario.")
    extremes = {
        (row["benchmark_id"], row["scenario_id"]): (row["low"], row["high"])
        for row in Result.objects.published()
        .filter(
            benchmark_id__in={c[0] for c in columns},
            scenario__name=scenario,
            entry__system__division=Division.CLOSED,
        )
        .values("benchmark_id", "scenario_id")
        .annotate(low=Min("value"), high=Max("value"))
        .order_by()
    }
    rounds: list[RoundBest] = []
    for benchmark_id, scenario_id, version, title, slug, key, *how in columns:
        unit, s_unit, better, s_better = how
        found = extremes.get((benchmark_id, scenario_id))
        if found is None:
            continue
        better = better or s_better
        value = found[0] if better == Better.LOWER else found[1]
        comparable = bool(rounds) and rounds[-1].comparison_key == key
        rounds.append(
            RoundBest(version, slug, title, key, unit or s_unit, better, value, comparable)
        )
    return History(family, scenario, rounds)
