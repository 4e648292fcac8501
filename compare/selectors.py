"""The reads behind the compare and history pages; one function per page.

Everything here reads published rounds only (``published_at`` in the past),
for every visitor, staff included: a comparison or a history is a public
permalink, and a draft round has no result IDs to cite yet. Each selector
reads plain values in a fixed number of queries, however many rounds, rows
or results there are.

Comparability: two results measure the same thing when their
``BenchmarkScenario.comparison_key`` ("<family>:<scenario>:<unit>") is the
same. Where it differs, the cells are marked and no per cent is given.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from results.models import (
    POWER_KINDS,
    Accelerator,
    BenchmarkScenario,
    Better,
    Entry,
    Measurement,
    Result,
    System,
)

MIN_PICKS = 2
MAX_PICKS = 6
# A result ID as Round.result_id writes it: "<prefix>-<number>", e.g. "0.7-036", "5.1-0001"
# (a synthetic round's prefix may hold a hyphen: "bench-10x-001").
RESULT_ID = re.compile(r"^[0-9A-Za-z][0-9A-Za-z._-]{0,29}-[0-9]{1,9}$")

# The compare page's views: ?view=<key>.
PUBLISHED, PER_ACCELERATOR, PER_WATT = "published", "per-accelerator", "per-watt"
VIEWS = {
    PUBLISHED: "As published",
    PER_ACCELERATOR: "Per accelerator",
    PER_WATT: "Per watt",
}


class CompareError(Exception):
    """Input the compare page cannot use: the message is shown, with ``status``."""

    def __init__(self, message: str, status: int = 400):
        super().__init__(message)
        self.message = message
        self.status = status


def parse_ids(values: Iterable[str]) -> list[str]:
    """The result IDs of ``?ids=`` (each value may hold several, split on commas or spaces),
    in order, without repeats; a malformed one is a CompareError (400)."""
    ids: list[str] = []
    for value in values:
        for part in re.split(r"[\s,]+", value.strip()):
            if not part:
                continue
            if not RESULT_ID.match(part):
                shown = part if len(part) <= 40 else part[:40] + "…"
                raise CompareError(
                    f"“{shown}” is not a result ID: they read like 0.7-036 or 5.1-0001."
                )
            if part not in ids:
                ids.append(part)
    if len(ids) > MAX_PICKS:
        raise CompareError(
            f"At most {MAX_PICKS} results can be compared at once; {len(ids)} were given."
        )
    return ids


def parse_view(value: str | None) -> str:
    if value in (None, ""):
        return PUBLISHED
    if value not in VIEWS:
        raise CompareError(f"Unknown view; choose one of {', '.join(VIEWS)}.")
    return value


def compare_query(ids: Sequence[str], view: str = PUBLISHED) -> str:
    """The permalink's query string: the IDs in order and the view (default left out)."""
    params: list[tuple[str, str]] = [("ids", i) for i in ids]
    if view != PUBLISHED:
        params.append(("view", view))
    return urlencode(params)


def _published(prefix: str = "") -> Q:
    return Q(**{f"{prefix}published_at__lte": timezone.now()})


# --- Comparability ----------------------------------------------------------------


def split_key(key: str) -> tuple[str, str, str]:
    family, _, rest = key.partition(":")
    scenario, _, unit = rest.partition(":")
    return family, scenario, unit


def incomparability(key: str, reference: str) -> str:
    """Why a result with ``key`` does not measure what one with ``reference`` does ("" if it
    does)."""
    if key == reference:
        return ""
    family, scenario, unit = split_key(key)
    ref_family, ref_scenario, ref_unit = split_key(reference)
    reasons = []
    if family != ref_family:
        reasons.append(f"another model or data set ({family} against {ref_family})")
    if unit != ref_unit:
        reasons.append(f"another metric ({unit or 'no unit'} against {ref_unit or 'no unit'})")
    if scenario != ref_scenario and not reasons:
        reasons.append(f"another scenario ({scenario} against {ref_scenario})")
    return "; ".join(reasons) or "measured another way"


def _keys(benchmark_ids: Iterable[int]) -> dict[tuple[int, int], tuple[str, str, str]]:
    """(benchmark id, scenario id) -> (comparison key, better, unit), in one query."""
    return {
        (b, s): (key, better, unit)
        for b, s, key, better, unit in BenchmarkScenario.objects.filter(
            benchmark_id__in=set(benchmark_ids)
        ).values_list("benchmark_id", "scenario_id", "comparison_key", "better", "unit")
    }


def chips(nodes: int | None, accelerators: int | None) -> int | None:
    """Accelerators in the whole system: nodes x accelerators per node (one node if unsaid)."""
    if not accelerators:
        return None
    return (nodes or 1) * accelerators


def system_url(version: str, division: str, submitter_slug: str, folder_id: str) -> str:
    return reverse("results:system", args=[version, division, submitter_slug, folder_id])


def accelerator_slug(canonical_name: str) -> str:
    return slugify(canonical_name)


# --- The compare page -------------------------------------------------------------


@dataclass
class Pick:
    """A compared row: one published result ID and its system."""

    result_id: str
    entry_id: int
    round_version: str
    round_title: str
    division: str
    submitter: str
    system_name: str
    system_url: str
    family_url: str
    model_folder: str
    accelerator: str
    accelerator_canonical: str
    accelerator_count: int | None
    nodes: int | None
    processor: str
    processor_count: int | None
    remove_query: str = ""

    @property
    def chips(self) -> int | None:
        return chips(self.nodes, self.accelerator_count)

    @property
    def accelerator_url(self) -> str:
        slug = accelerator_slug(self.accelerator_canonical)
        # A name of only punctuation or non-Latin letters has no slug, so no page.
        return reverse("compare:accelerator", args=[slug]) if slug else ""


@dataclass
class Figure:
    """One result in the compare table, as the chosen view shows it."""

    value: float
    unit: str
    better: str
    comparison_key: str
    inferred: bool
    compliant: bool | None
    power: tuple[float, str] | None
    shown: float | None = None  # the figure in the chosen view; None where it cannot be had
    shown_unit: str = ""
    note: str = ""  # why the figure is as published, or missing, in this view
    per_cent: float | None = None  # against the first pick's figure
    verdict: str = ""  # "better", "worse" or "same", by the benchmark's direction
    not_comparable: str = ""  # why it does not measure what the first pick's does

    @property
    def is_latency(self) -> bool:
        return self.better == Better.LOWER

    @property
    def per_cent_text(self) -> str:
        return "" if self.per_cent is None else f"{self.per_cent:+.1f}%".replace("-", "\u2212")

    @property
    def per_watt(self) -> float | None:
        if self.is_latency or self.power is None or self.power[1] != "W" or not self.power[0]:
            return None
        return self.value / self.power[0]


@dataclass
class Line:
    """A benchmark and scenario: one figure (or None) per pick."""

    benchmark: str
    benchmark_name: str
    scenario: str
    scenario_label: str
    figures: list[Figure | None]
    order: tuple[int, int] = (0, 0)

    @property
    def shared(self) -> bool:
        return all(f is not None for f in self.figures)

    @property
    def warnings(self) -> list[str]:
        return [f.not_comparable for f in self.figures if f is not None and f.not_comparable]


@dataclass
class Comparison:
    picks: list[Pick]
    view: str
    shared: list[Line] = field(default_factory=list)
    unshared: list[Line] = field(default_factory=list)

    @property
    def rounds(self) -> list[str]:
        return sorted({p.round_version for p in self.picks})

    @property
    def warnings(self) -> list[tuple[Line, str]]:
        return [
            (line, warning) for line in self.shared + self.unshared for warning in line.warnings
        ]

    @property
    def has_power(self) -> bool:
        return any(
            f is not None and f.power is not None
            for line in self.shared + self.unshared
            for f in line.figures
        )

    @property
    def view_label(self) -> str:
        return VIEWS[self.view]

    @property
    def ids(self) -> list[str]:
        return [p.result_id for p in self.picks]

    def view_links(self) -> list[tuple[str, str, bool]]:
        """(label, query string, current) of each view of these picks."""
        return [
            (label, compare_query(self.ids, key), key == self.view) for key, label in VIEWS.items()
        ]


def comparison(ids: Sequence[str], view: str = PUBLISHED) -> Comparison:
    """The results of the given result IDs side by side, in 4 queries (none without IDs).

    An ID that is not published (unknown, withdrawn, or of a round still under
    embargo) is a CompareError with status 404, the same message for each, so
    that the page tells nothing about a round before its publication.
    """
    if not ids:
        return Comparison([], view)
    rows = {
        row.result_id: row
        for row in Entry.objects.filter(
            _published("system__round__"),
            result_id__in=ids,
            system__withdrawn_at__isnull=True,
        ).values_list(
            "pk",
            "result_id",
            "model_folder",
            "system__round__version",
            "system__round__title",
            "system__division",
            "system__submitter__name",
            "system__submitter__slug",
            "system__folder_id",
            "system__name",
            "system__accelerator__name",
            "system__accelerator__canonical_name",
            "system__accelerator_count",
            "system__nodes",
            "system__processor__name",
            "system__processor_count",
            named=True,
        )
    }
    missing = [i for i in ids if i not in rows]
    if missing:
        raise CompareError(
            f"No published result has the ID {', '.join(missing)}. "
            "Result IDs are given when a round is published.",
            status=404,
        )
    picks = []
    for result_id in ids:
        row = rows[result_id]
        picks.append(
            Pick(
                result_id=result_id,
                entry_id=row.pk,
                round_version=row.system__round__version,
                round_title=row.system__round__title,
                division=row.system__division,
                submitter=row.system__submitter__name,
                system_name=row.system__name,
                system_url=system_url(
                    row.system__round__version,
                    row.system__division,
                    row.system__submitter__slug,
                    row.system__folder_id,
                ),
                family_url=reverse(
                    "compare:family", args=[row.system__submitter__slug, row.system__folder_id]
                ),
                model_folder=row.model_folder,
                accelerator=row.system__accelerator__name or "",
                accelerator_canonical=row.system__accelerator__canonical_name or "",
                accelerator_count=row.system__accelerator_count,
                nodes=row.system__nodes,
                processor=row.system__processor__name or "",
                processor_count=row.system__processor_count,
                remove_query=compare_query([i for i in ids if i != result_id], view),
            )
        )
    results = Result.objects.visible().filter(entry_id__in=[p.entry_id for p in picks])
    values = list(
        results.values_list(
            "pk",
            "entry_id",
            "benchmark_id",
            "benchmark__slug",
            "benchmark__name",
            "benchmark__order",
            "scenario_id",
            "scenario__name",
            "scenario__label",
            "scenario__order",
            "scenario__better",
            "value",
            "unit",
            "inferred",
            "compliant",
            named=True,
        )
    )
    power = _power(results)
    keys = _keys(v.benchmark_id for v in values)
    column = {p.entry_id: index for index, p in enumerate(picks)}
    lines: dict[tuple[str, str], Line] = {}
    for v in values:
        key, better, _ = keys.get((v.benchmark_id, v.scenario_id), ("", "", ""))
        line = lines.get((v.benchmark__slug, v.scenario__name))
        if line is None:
            line = lines[(v.benchmark__slug, v.scenario__name)] = Line(
                v.benchmark__slug,
                v.benchmark__name,
                v.scenario__name,
                v.scenario__label,
                [None] * len(picks),
                order=(v.benchmark__order, v.scenario__order),
            )
        # Rounds number their benchmarks alike; the line takes the earliest place any has.
        line.order = min(line.order, (v.benchmark__order, v.scenario__order))
        line.figures[column[v.entry_id]] = Figure(
            value=v.value,
            unit=v.unit,
            better=better or v.scenario__better,
            comparison_key=key,
            inferred=v.inferred,
            compliant=v.compliant,
            power=power.get(v.pk),
        )
    ordered = sorted(lines.values(), key=lambda line: (line.order, line.benchmark, line.scenario))
    for line in ordered:
        _show(line, picks, view)
    return Comparison(
        picks,
        view,
        shared=[line for line in ordered if line.shared],
        unshared=[line for line in ordered if not line.shared],
    )


def _power(results) -> dict[int, tuple[float, str]]:
    return {
        result_id: (value, unit)
        for result_id, value, unit in Measurement.objects.filter(
            result__in=results.values("pk"), kind__in=POWER_KINDS
        ).values_list("result_id", "value", "unit")
    }


def _show(line: Line, picks: Sequence[Pick], view: str) -> None:
    """Each figure of the line in the view, with its per cent against the first pick's."""
    for figure, pick in zip(line.figures, picks, strict=True):
        if figure is None:
            continue
        if figure.is_latency and view != PUBLISHED:
            # A latency divided by chips or watts means nothing: it stays as published.
            figure.shown, figure.shown_unit = figure.value, figure.unit
            figure.note = "latency: as published"
        elif view == PER_ACCELERATOR:
            count = pick.chips
            if count is None:
                figure.note = "no accelerator count"
            else:
                figure.shown = figure.value / count
                figure.shown_unit = f"{figure.unit} per accelerator"
        elif view == PER_WATT:
            if figure.per_watt is None:
                figure.note = "power not measured" if figure.power is None else "no power in W"
            else:
                figure.shown = figure.per_watt
                figure.shown_unit = f"{figure.unit} per W"
        else:
            figure.shown, figure.shown_unit = figure.value, figure.unit
    first = line.figures[0]
    for figure in line.figures[1:]:
        if figure is None or first is None:
            continue
        figure.not_comparable = incomparability(figure.comparison_key, first.comparison_key)
        if figure.not_comparable or figure.shown is None or not first.shown:
            continue
        figure.per_cent = (figure.shown - first.shown) / first.shown * 100
        figure.verdict = verdict(figure.per_cent, first.better)


def verdict(per_cent: float, better: str) -> str:
    """ "better", "worse" or "same" for a change of ``per_cent``, by the figure's direction."""
    if abs(per_cent) < 0.05:
        return "same"
    higher = per_cent > 0
    return "better" if higher == (better != Better.LOWER) else "worse"


# --- History: an accelerator ----------------------------------------------------


@dataclass
class Best:
    """The best result of one round for one benchmark and scenario (on an accelerator page)."""

    round_version: str
    round_title: str
    result_id: str
    value: float
    unit: str
    per_accelerator: float | None
    chips: int | None
    submitter: str
    system_name: str
    system_url: str
    count: int = 1
    not_comparable: str = ""  # against the newest round's figure of the group


@dataclass
class HistoryGroup:
    benchmark: str
    scenario: str
    scenario_label: str
    unit: str
    better: str
    rounds: list[Best]

    @property
    def is_latency(self) -> bool:
        return self.better == Better.LOWER


@dataclass
class AcceleratorHistory:
    name: str
    spellings: list[str]
    groups: list[HistoryGroup]
    round_count: int


@dataclass
class AcceleratorLink:
    name: str
    slug: str
    rounds: int
    systems: int


def accelerator_index() -> list[AcceleratorLink]:
    """Every canonical accelerator name of a published round, with its rounds and systems,
    in 1 query."""
    rows = (
        Accelerator.objects.filter(
            _published("systems__round__"), systems__withdrawn_at__isnull=True
        )
        .values("canonical_name")
        .annotate(
            rounds=Count("systems__round", distinct=True),
            system_count=Count("systems", distinct=True),
        )
        .order_by("canonical_name")
    )
    links = [
        AcceleratorLink(
            row["canonical_name"],
            accelerator_slug(row["canonical_name"]),
            row["rounds"],
            row["system_count"],
        )
        for row in rows
    ]
    # A name without a slug has no page (see Pick.accelerator_url).
    return [link for link in links if link.slug]


# What a history cell reads of a result, on both history pages.
_CELL_FIELDS = (
    "benchmark_id",
    "benchmark__slug",
    "benchmark__order",
    "scenario_id",
    "scenario__name",
    "scenario__label",
    "scenario__order",
    "scenario__better",
    "value",
    "unit",
    "entry__result_id",
)


def accelerator_history(slug: str) -> AcceleratorHistory:
    """An accelerator's best published result per round, per benchmark and scenario, in 3
    queries. Throughput is ranked per accelerator (value / (nodes x accelerators)), latency
    as published."""
    names = list(
        Accelerator.objects.filter(
            _published("systems__round__"), systems__withdrawn_at__isnull=True
        )
        .values_list("canonical_name", "name")
        .distinct()
        .order_by("canonical_name", "name")
    )
    matched = {c for c, _ in names if accelerator_slug(c) == slug}
    if not matched:
        raise Http404("No accelerator of that name in a published round.")
    values = (
        Result.objects.published()
        .filter(entry__system__accelerator__canonical_name__in=matched)
        .values_list(
            "entry__system__round__version",
            "entry__system__round__title",
            "entry__system__round__published_at",
            *_CELL_FIELDS,
            "entry__system__division",
            "entry__system__submitter__name",
            "entry__system__submitter__slug",
            "entry__system__folder_id",
            "entry__system__name",
            "entry__system__accelerator_count",
            "entry__system__nodes",
            named=True,
        )
        .order_by("-entry__system__round__published_at", "benchmark__order", "scenario__order")
    )
    values = list(values)
    keys = _keys(v.benchmark_id for v in values)
    groups: dict[tuple[str, str], HistoryGroup] = {}
    orders: dict[tuple[str, str], tuple[int, int]] = {}
    # (benchmark, scenario, round) -> [score, the row, results, comparison key]; a
    # Best (and its URL) is made for the winners only: a round has 1,000s of rows.
    winners: dict[tuple[str, str, str], list] = {}
    for v in values:
        gkey = (v.benchmark__slug, v.scenario__name)
        ckey, better, unit = keys.get((v.benchmark_id, v.scenario_id), ("", "", ""))
        better = better or v.scenario__better
        if gkey not in groups:
            # Newest round first: the group's unit and direction are the newest round's.
            groups[gkey] = HistoryGroup(
                v.benchmark__slug, v.scenario__name, v.scenario__label, unit or v.unit, better, []
            )
            orders[gkey] = (v.benchmark__order, v.scenario__order)
        score = _score(v.value, v.entry__system__nodes, v.entry__system__accelerator_count, better)
        bkey = (*gkey, v.entry__system__round__version)
        current = winners.get(bkey)
        if current is None:
            winners[bkey] = [score, v, 1, ckey]
            continue
        current[2] += 1
        if score > current[0]:
            current[0], current[1] = score, v
    group_key: dict[int, str] = {}
    for (benchmark, scenario, _), (_, v, count, ckey) in winners.items():
        group = groups[(benchmark, scenario)]
        chip_count = chips(v.entry__system__nodes, v.entry__system__accelerator_count)
        best = Best(
            v.entry__system__round__version,
            v.entry__system__round__title,
            v.entry__result_id or "",
            v.value,
            v.unit,
            None if group.is_latency or chip_count is None else v.value / chip_count,
            chip_count,
            v.entry__system__submitter__name,
            v.entry__system__name,
            system_url(
                v.entry__system__round__version,
                v.entry__system__division,
                v.entry__system__submitter__slug,
                v.entry__system__folder_id,
            ),
            count=count,
        )
        group.rounds.append(best)
        # The newest round comes first (the query's order): the others are set against it.
        best.not_comparable = incomparability(ckey, group_key.setdefault(id(group), ckey))
    ordered = sorted(groups, key=lambda g: (orders[g], g))
    return AcceleratorHistory(
        name=sorted(matched)[0],
        spellings=sorted({n for c, n in names if c in matched}),
        groups=[groups[g] for g in ordered],
        round_count=len({v.entry__system__round__version for v in values}),
    )


def _score(value: float, nodes: int | None, accelerators: int | None, better: str) -> tuple:
    """Greater is better: the lowest latency; the most throughput per accelerator, and
    after every system with a chip count, those without one by their throughput."""
    if better == Better.LOWER:
        return (1, -value)
    count = chips(nodes, accelerators)
    return (1, value / count) if count is not None else (0, value)


# --- History: a system family ---------------------------------------------------
#
# A family is one submitter's systems with the same system-description file name
# (systems/<folder_id>.json, compared without regard to case) in any round and
# division: submitters keep the file name of a machine from round to round
# (NVIDIA's "T4x8_TRT", Intel's "1-node-2S-CPX-28c"), while the display name
# often changes (software versions in brackets).


@dataclass
class FamilyMember:
    """One system of the family: a column of its page."""

    round_version: str
    round_title: str
    division: str
    name: str
    url: str
    accelerator: str
    chips: int | None
    system_id: int


@dataclass
class FamilyCell:
    value: float
    unit: str
    result_id: str
    not_comparable: str = ""  # against the newest member's figure of the row
    more: int = 0  # other rows of the system (open models) with this benchmark and scenario


@dataclass
class FamilyRow:
    benchmark: str
    scenario: str
    scenario_label: str
    better: str
    cells: list[FamilyCell | None]

    @property
    def is_latency(self) -> bool:
        return self.better == Better.LOWER


@dataclass
class SystemFamily:
    submitter: str
    submitter_slug: str
    folder_id: str
    members: list[FamilyMember]  # oldest round first
    rows: list[FamilyRow]


def system_family(submitter_slug: str, folder_id: str) -> SystemFamily:
    """A family's results per benchmark and scenario, one column per published system, in 3
    queries."""
    systems: list[Any] = list(
        System.objects.filter(
            _published("round__"),
            submitter__slug=submitter_slug,
            folder_id__iexact=folder_id,
            withdrawn_at__isnull=True,
        )
        .order_by("round__published_at", "round__version", "division")
        .values_list(
            "pk",
            "round__version",
            "round__title",
            "division",
            "name",
            "folder_id",
            "submitter__name",
            "accelerator__name",
            "accelerator_count",
            "nodes",
            named=True,
        )
    )
    if not systems:
        raise Http404("No system of that submitter and name in a published round.")
    members = [
        FamilyMember(
            s.round__version,
            s.round__title,
            s.division,
            s.name,
            system_url(s.round__version, s.division, submitter_slug, s.folder_id),
            s.accelerator__name or "",
            chips(s.nodes, s.accelerator_count),
            s.pk,
        )
        for s in systems
    ]
    column = {m.system_id: i for i, m in enumerate(members)}
    values = list(
        Result.objects.visible()
        .filter(entry__system_id__in=column)
        .order_by("benchmark__order", "scenario__order", "entry__number", "pk")
        .values_list(
            "entry__system_id",
            *_CELL_FIELDS,
            named=True,
        )
    )
    keys = _keys(v.benchmark_id for v in values)
    rows: dict[tuple[str, str], FamilyRow] = {}
    cell_keys: dict[tuple[str, str, int], str] = {}
    orders: dict[tuple[str, str], tuple[int, int]] = {}
    for v in values:
        rkey = (v.benchmark__slug, v.scenario__name)
        ckey, better, _ = keys.get((v.benchmark_id, v.scenario_id), ("", "", ""))
        better = better or v.scenario__better
        row = rows.get(rkey)
        if row is None:
            row = rows[rkey] = FamilyRow(
                v.benchmark__slug,
                v.scenario__name,
                v.scenario__label,
                better,
                [None] * len(members),
            )
        order = (v.benchmark__order, v.scenario__order)
        orders[rkey] = min(orders.get(rkey, order), order)
        index = column[v.entry__system_id]
        cell = row.cells[index]
        candidate = FamilyCell(v.value, v.unit, v.entry__result_id or "")
        if cell is None:
            row.cells[index] = candidate
            cell_keys[(*rkey, index)] = ckey
            continue
        # Several rows of one system (open models): the best is shown, the others counted.
        candidate.more = cell.more + 1
        lower = better == Better.LOWER
        if (candidate.value < cell.value) if lower else (candidate.value > cell.value):
            row.cells[index] = candidate
        else:
            cell.more += 1
    for rkey, row in rows.items():
        present = [i for i, c in enumerate(row.cells) if c is not None]
        newest = cell_keys[(*rkey, present[-1])]
        for i in present[:-1]:
            cell = row.cells[i]
            assert cell is not None
            cell.not_comparable = incomparability(cell_keys[(*rkey, i)], newest)
    return SystemFamily(
        submitter=systems[0].submitter__name,
        submitter_slug=submitter_slug,
        folder_id=systems[-1].folder_id,
        members=members,
        rows=[rows[k] for k in sorted(rows, key=lambda k: (orders[k], k))],
    )
