"""An upload's rows as the round's tables would show them, and the difference
between two uploads, both built from the stored check report.

The preview uses the public tables' own code (``results.selectors.round_tables``
and ``results.tables``) on *unsaved* System, Entry and Result objects: it
writes nothing and shows exactly the columns and formatting the public round
page will.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import django_tables2 as tables
from django.utils.safestring import mark_safe

from results.formatting import format_value
from results.models import (
    Accelerator,
    Benchmark,
    Category,
    Entry,
    Processor,
    Result,
    Scenario,
    System,
    SystemType,
)
from results.selectors import round_tables
from results.tables import RoundTable, table_for_group

from .models import Submission


class PreviewTable(RoundTable):
    """The public table, without links to pages that do not exist yet."""

    result_id = tables.Column(verbose_name="ID", empty_values=(), attrs={"td": {"class": "id"}})

    class Meta(RoundTable.Meta):
        pass

    def render_result_id(self, value, record):
        return mark_safe('<span class="muted" title="Result IDs come at publication">new</span>')

    def render_system(self, value, record):
        return value


def preview_tables(submission: Submission) -> list[RoundTable]:
    tables = []
    for group in round_tables(unsaved_results(submission)):
        table = table_for_group(group, table_class=PreviewTable)
        table.columns.hide("details")
        table.columns.hide("code")
        table.orderable = False
        tables.append(table)
    return tables


def unsaved_results(submission: Submission) -> list[Result]:
    """Result objects (never saved) for the rows a report accepted, in table order."""
    report = submission.report
    round_ = submission.round
    benchmarks = {b.slug: b for b in Benchmark.objects.filter(round=round_)}
    scenarios = {s.name: s for s in Scenario.objects.filter(round=round_)}
    categories = {c.slug: c for c in Category.objects.filter(round=round_)}
    system_types = {t.slug: t for t in SystemType.objects.all()}
    submitter = submission.submitter

    systems: dict[tuple[str, str], System] = {}
    for index, data in enumerate(report.get("systems", []), start=1):
        system_type = system_types.get(data["system_type"])
        category = categories.get(data["category"])
        if system_type is None or category is None:
            continue  # rules changed since the check; the report still lists the findings
        systems[data["division"], data["system_id"]] = System(
            pk=-index,
            round=round_,
            division=data["division"],
            submitter=submitter,
            submitter_folder=data["submitter"],
            folder_id=data["system_id"],
            name=data["name"] or data["system_id"],
            system_type=system_type,
            category=category,
            status=data["status"],
            processor=Processor(name=data["processor"]) if data.get("processor") else None,
            processor_count=data.get("processor_count"),
            processor_cores=data.get("processor_cores") or "",
            accelerator=(
                Accelerator(name=data["accelerator"]) if data.get("accelerator") else None
            ),
            accelerator_count=data.get("accelerator_count"),
            software=data.get("software") or "",
            notes=data.get("notes") or "",
        )

    entries: dict[tuple, Entry] = {}
    results = []
    for data in report.get("results", []):
        system = systems.get((data["division"], data["system_id"]))
        benchmark = benchmarks.get(data["benchmark"])
        scenario = scenarios.get(data["scenario"])
        if system is None or benchmark is None or scenario is None:
            continue
        key = (system.pk, data["model_folder"] if data["division"] == "open" else "")
        entry = entries.get(key)
        if entry is None:
            entry = entries[key] = Entry(pk=-(len(entries) + 1), system=system, model_folder=key[1])
        result = Result(
            entry=entry,
            benchmark=benchmark,
            scenario=scenario,
            model_folder=data["model_folder"],
            scenario_folder=data["scenario_folder"],
            value=data["value"],
            unit=data["unit"],
            accuracy=data.get("accuracy"),
            accuracy_raw=data.get("accuracy_raw") or "",
            inferred=data.get("inferred", False),
            compliant=data.get("compliant"),
            findings=[{"level": "warning"}] * data.get("warnings", 0),
        )
        results.append(result)
    results.sort(
        key=lambda r: (
            r.entry.system.division,
            r.entry.system.system_type.order,
            r.entry.system.category.order,
            r.entry.system.name,
            r.entry.model_folder,
            r.benchmark.order,
            r.scenario.order,
        )
    )
    return results


# --- the difference between two versions -----------------------------------


@dataclass
class RowChange:
    key: tuple[str, str, str, str, str]  # division, system, model folder, benchmark, scenario
    before: dict | None
    after: dict | None

    @property
    def division(self) -> str:
        return self.key[0]

    @property
    def system_id(self) -> str:
        return self.key[1]

    @property
    def model_folder(self) -> str:
        return self.key[2]

    @property
    def benchmark(self) -> str:
        return self.key[3]

    @property
    def scenario(self) -> str:
        return self.key[4]

    @property
    def changed_fields(self) -> list[str]:
        if self.before is None or self.after is None:
            return []
        return [name for name in COMPARED if self.before.get(name) != self.after.get(name)]

    @property
    def shown_before(self) -> str:
        return self._shown(self.before)

    @property
    def shown_after(self) -> str:
        return self._shown(self.after)

    @staticmethod
    def _shown(data: dict | None) -> str:
        if data is None:
            return ""
        text = f"{format_value(data['value'])} {data['unit']}"
        if data.get("accuracy_raw"):
            text += f", accuracy {data['accuracy_raw']}"
        return text


COMPARED = ("value", "unit", "accuracy_raw", "inferred", "compliant", "scenario_folder")


@dataclass
class VersionDiff:
    older: Submission
    newer: Submission
    added: list[RowChange] = field(default_factory=list)
    removed: list[RowChange] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    unchanged: int = 0

    @property
    def is_empty(self) -> bool:
        return not (self.added or self.removed or self.changed)

    @property
    def pending(self) -> list[Submission]:
        return [s for s in (self.older, self.newer) if s.is_pending]


def _rows(submission: Submission) -> dict[tuple, dict]:
    rows = {}
    for data in submission.report.get("results", []):
        key = (
            data["division"],
            data["system_id"],
            data["model_folder"] if data["division"] == "open" else "",
            data["benchmark"],
            data["scenario"],
        )
        rows[key] = data
    return rows


def diff_versions(older: Submission, newer: Submission) -> VersionDiff:
    """Rows the newer upload adds, drops and changes compared with the older one.

    Rows are matched on the spec's result identity: division, system folder,
    (in open) model folder, benchmark and scenario.
    """
    if older.version > newer.version:
        older, newer = newer, older
    before, after = _rows(older), _rows(newer)
    diff = VersionDiff(older, newer)
    for key in sorted(before.keys() | after.keys()):
        change = RowChange(key, before.get(key), after.get(key))
        if change.before is None:
            diff.added.append(change)
        elif change.after is None:
            diff.removed.append(change)
        elif change.changed_fields:
            diff.changed.append(change)
        else:
            diff.unchanged += 1
    return diff
