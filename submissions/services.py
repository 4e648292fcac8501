"""Services for the inbound path: the only code that writes checked results.

``import_report`` turns a checker report into catalogue rows in one
transaction. It is idempotent: the same report twice changes nothing, and
rows are matched on the spec's result identity (division, submitter folder,
system folder, benchmark folder, scenario), so result IDs survive re-imports.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from mlperf import CheckReport, Limits, check_tree, read_tree
from mlperf.names import canonical_part_name
from mlperf.official import Difference, Matching
from results.models import (
    Accelerator,
    Benchmark,
    Category,
    Correction,
    CorrectionKind,
    Entry,
    Measurement,
    OfficialDifference,
    Processor,
    Result,
    Round,
    Scenario,
    Submitter,
    System,
    SystemType,
)
from results.rules import rules_for_round
from results.services import publish_round, rows_changed


def archive_limits() -> Limits:
    return Limits(**getattr(settings, "SUBMISSION_LIMITS", {}))


def check_path(round_: Round, path, *, strict: bool, submitters: set[str] | None = None):
    """Read and check a folder or archive against the round's rules as staff keep them.

    Raises ``mlperf.UnreadableInput`` when the input cannot be read.
    """
    rules = rules_for_round(round_)
    tree = read_tree(path, archive_limits(), rules=rules)
    return check_tree(tree, rules, strict=strict, submitters=submitters)


@dataclass
class ImportSummary:
    created: Counter = field(default_factory=Counter)
    updated: Counter = field(default_factory=Counter)
    unchanged: Counter = field(default_factory=Counter)
    not_in_tree: list[str] = field(default_factory=list)
    official_differences: list = field(default_factory=list)


def _sync(obj, values: dict) -> bool:
    """Set ``values`` on ``obj``; True when anything changed."""
    changed = False
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed = True
    return changed


def _clip(model, name: str, value: str) -> str:
    # The raw JSON keeps the whole text; the column keeps what fits.
    return value[: model._meta.get_field(name).max_length]


# What a correction of a published result records: the figure and its marks.
RECORDED_FIELDS = ("value", "unit", "accuracy_raw", "inferred", "compliant")


def _figure(result: Result) -> str:
    marks = [
        mark
        for mark, on in (
            ("inferred", result.inferred),
            ("not compliant", result.compliant is False),
        )
        if on
    ]
    accuracy = f", accuracy {result.accuracy_raw}" if result.accuracy_raw else ""
    return f"{result.value:g} {result.unit}{accuracy}" + (f" ({', '.join(marks)})" if marks else "")


@transaction.atomic
def import_report(
    round_: Round,
    report: CheckReport,
    official: Matching | None = None,
    *,
    reason: str | None = None,
    user=None,
) -> ImportSummary:
    """Write the systems and results a check accepted into ``round_``.

    With ``official`` (the round's official summary matched to the report),
    rows take the official result IDs and the differences are kept for staff.

    Once a round's rows are public, no figure changes without a public record:
    every changed or added result gets a correction in the change log, with
    ``reason`` (by default, the import's own description) and ``user``.
    """
    summary = ImportSummary()
    # Lock the round: one import (or publication) at a time.
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    # Rows already public (handed out IDs): a change to them is a correction.
    public = round_.is_published and round_.numbered_at is not None
    reason = reason or f"Imported again from {report.label}."
    recorded: list[tuple[Result, str, float]] = []  # (result, its old text, its old value)
    rules = rules_for_round(round_)
    categories = {c.slug: c for c in Category.objects.filter(round=round_)}
    system_types = {t.slug: t for t in SystemType.objects.all()}
    benchmarks = {b.slug: b for b in Benchmark.objects.filter(round=round_)}
    scenarios = {s.name: s for s in Scenario.objects.filter(round=round_)}

    submitters = _named_rows(
        Submitter,
        "slug",
        {s.submitter.lower(): s.submitter for s in report.systems},
        summary,
        lambda slug, name: Submitter(slug=slug, name=name),
    )
    processors = _named_rows(
        Processor,
        "name",
        {
            _clip(Processor, "name", s.summary.processor): None
            for s in report.systems
            if s.summary.processor
        },
        summary,
        lambda name, _: Processor(name=name, canonical_name=canonical_part_name(name)),
    )
    accelerators = _named_rows(
        Accelerator,
        "name",
        {
            _clip(Accelerator, "name", s.summary.accelerator): None
            for s in report.systems
            if s.summary.accelerator
        },
        summary,
        lambda name, _: Accelerator(name=name, canonical_name=canonical_part_name(name)),
    )

    # Systems.
    existing = {
        (s.division, s.submitter_id, s.folder_id): s for s in System.objects.filter(round=round_)
    }
    systems: dict[tuple[str, str, str], System] = {}
    to_update = []
    for record in report.systems:
        s = record.summary
        submitter = submitters[record.submitter.lower()]
        values = {
            "submitter_folder": record.submitter,
            "name": _clip(System, "name", s.name),
            "system_type": system_types[
                rules.system_type_slug(rules.suite_of(s.system_type) or s.system_type)
            ],
            "category": categories[record.category],
            "status": _clip(System, "status", s.status),
            "processor": processors.get(_clip(Processor, "name", s.processor)),
            "processor_count": s.processor_count,
            "processor_cores": _clip(System, "processor_cores", s.processor_cores),
            "accelerator": accelerators.get(_clip(Accelerator, "name", s.accelerator)),
            "accelerator_count": s.accelerator_count,
            "nodes": s.nodes,
            "software": _clip(System, "software", s.software),
            "operating_system": _clip(System, "operating_system", s.operating_system),
            "notes": s.notes,
            "description": record.description,
            "findings": [f.as_dict() for f in record.findings],
        }
        key = (record.division, submitter.pk, record.system_id)
        system = existing.get(key)
        if system is None:
            system = System(
                round=round_,
                division=record.division,
                submitter=submitter,
                folder_id=record.system_id,
                **values,
            )
            system.save()
            summary.created["systems"] += 1
        elif _sync(system, values):
            to_update.append(system)
        else:
            summary.unchanged["systems"] += 1
        systems[record.division, record.submitter, record.system_id] = system
    if to_update:
        System.objects.bulk_update(to_update, list(values))
        summary.updated["systems"] += len(to_update)

    # Entries: one per system in closed, per system and model folder in open.
    entries = {
        (e.system_id, e.model_folder): e
        for e in Entry.objects.filter(system__round=round_, system__in=list(systems.values()))
    }
    new_entries = []
    for record in report.results:
        system = systems[record.system_key]
        key = (system.pk, record.model_folder if record.division == "open" else "")
        if key not in entries:
            # Result IDs come at publication (results.services.publish_round).
            entry = Entry(system=system, model_folder=key[1])
            entries[key] = entry
            new_entries.append(entry)
    if new_entries:
        Entry.objects.bulk_create(new_entries)
        summary.created["entries"] += len(new_entries)
        # bulk_create sets primary keys on PostgreSQL and SQLite; refetch to be sure.
        entries = {
            (e.system_id, e.model_folder): e
            for e in Entry.objects.filter(system__in=list(systems.values()))
        }

    # Results.
    existing_results = {
        (r.entry_id, r.benchmark_id, r.scenario_id): r
        for r in Result.objects.filter(entry__in=list(entries.values())).select_related(
            "entry__system"
        )
    }
    seen = set()
    new_results, changed_results = [], []
    fields = None
    for record in report.results:
        system = systems[record.system_key]
        entry = entries[(system.pk, record.model_folder if record.division == "open" else "")]
        benchmark = benchmarks[record.benchmark]
        scenario = scenarios[record.scenario]
        values = {
            "model_folder": _clip(Result, "model_folder", record.model_folder),
            "scenario_folder": record.scenario_folder,
            "value": record.value,
            "unit": record.unit,
            "accuracy": record.accuracy,
            "accuracy_raw": _clip(Result, "accuracy_raw", record.accuracy_raw),
            "accuracy_metrics": record.accuracy_metrics,
            "inferred": record.inferred,
            "compliant": record.compliant,
            "performance": record.performance,
            "run_values": record.run_values,
            "implementation": record.implementation,
            "findings": [f.as_dict() for f in record.findings],
        }
        fields = list(values)
        key = (entry.pk, benchmark.pk, scenario.pk)
        seen.add(key)
        result = existing_results.get(key)
        if result is None:
            new_results.append(
                Result(entry=entry, benchmark=benchmark, scenario=scenario, **values)
            )
            continue
        before, old_number = (_figure(result) if public else ""), result.value
        was = [getattr(result, name) for name in RECORDED_FIELDS]
        if _sync(result, values):
            changed_results.append(result)
            if public and was != [getattr(result, name) for name in RECORDED_FIELDS]:
                recorded.append((result, before, old_number))
        else:
            summary.unchanged["results"] += 1
    Result.objects.bulk_create(new_results, batch_size=500)
    if changed_results:
        Result.objects.bulk_update(changed_results, fields, batch_size=500)
    _sync_measurements(report, systems, entries, benchmarks, scenarios, summary)
    summary.created["results"] += len(new_results)
    summary.updated["results"] += len(changed_results)
    if public:
        _record_public_changes(round_, recorded, new_results, reason, user, summary)
    # Nothing is deleted by an import; results the tree no longer has are reported.
    summary.not_in_tree = sorted(
        r.location for key, r in existing_results.items() if key not in seen
    )
    if official is not None:
        _official_ids(round_, report, official, systems, entries, summary)
    # Rows of a round that is already public get their IDs now.
    publish_round(round_)
    # Derived columns now; cached pages of the round once the import is committed.
    rows_changed(round_)
    return summary


def _record_public_changes(round_, changed, added, reason, user, summary) -> None:
    """The change log's entries for a published round's changed and added results."""
    corrections = [
        Correction(
            round_id=round_.pk,
            system_id=result.entry.system_id,
            result=result,
            kind=CorrectionKind.CORRECT_VALUE,
            old_value=before[:300],
            new_value=_figure(result)[:300],
            old_number=old_number,
            new_number=result.value,
            reason=reason,
            effective=timezone.localdate(),
            created_by=user,
        )
        for result, before, old_number in changed
    ]
    corrections += [
        Correction(
            round_id=round_.pk,
            system_id=result.entry.system_id,
            result=result,
            kind=CorrectionKind.ADD_RESULT,
            new_value=_figure(result)[:300],
            new_number=result.value,
            reason=reason,
            effective=timezone.localdate(),
            created_by=user,
        )
        for result in added
    ]
    Correction.objects.bulk_create(corrections, batch_size=500)
    summary.created["corrections"] += len(corrections)


def _official_ids(round_, report, official: Matching, systems, entries, summary) -> None:
    """Give rows without an ID their official one; keep the differences for staff."""
    differences = list(official.differences)
    taken = set(
        Entry.objects.filter(result_id__in=set(official.ids.values())).values_list(
            "result_id", flat=True
        )
    )
    changed = []
    for record in report.results:
        official_id = official.ids.get(record.location)
        if official_id is None:
            continue
        system = systems[record.system_key]
        entry = entries[(system.pk, record.model_folder if record.division == "open" else "")]
        if entry.result_id == official_id:
            continue
        if entry.result_id is not None or official_id in taken:
            differences.append(
                Difference(
                    record.location,
                    official_id,
                    "id",
                    entry.result_id or "",
                    f"{official_id} (given to another row, or this row has an ID)",
                )
            )
            continue
        entry.result_id = official_id
        taken.add(official_id)
        changed.append(entry)
    Entry.objects.bulk_update(changed, ["result_id"], batch_size=500)
    summary.updated["official IDs"] += len(changed)
    OfficialDifference.objects.filter(round=round_).delete()
    OfficialDifference.objects.bulk_create(
        [
            OfficialDifference(
                round=round_,
                location=_clip(OfficialDifference, "location", d.location),
                official_id=d.official_id,
                field=d.field,
                ours=_clip(OfficialDifference, "ours", d.ours),
                official=_clip(OfficialDifference, "official", d.official),
            )
            for d in differences
        ],
        batch_size=1000,
    )
    summary.official_differences = differences


def _sync_measurements(report, systems, entries, benchmarks, scenarios, summary) -> None:
    """Make each result's measurements those of its record (power, latencies, ...)."""
    keys = {}
    for record in report.results:
        system = systems[record.system_key]
        entry = entries[(system.pk, record.model_folder if record.division == "open" else "")]
        keys[(entry.pk, benchmarks[record.benchmark].pk, scenarios[record.scenario].pk)] = record
    if not keys:
        return
    results = {
        (r.entry_id, r.benchmark_id, r.scenario_id): r.pk
        for r in Result.objects.filter(entry__in={k[0] for k in keys}).only(
            "pk", "entry_id", "benchmark_id", "scenario_id"
        )
    }
    wanted = {}
    for key, record in keys.items():
        for kind, (value, unit) in record.measurements.items():
            wanted[(results[key], kind)] = (value, unit)
    existing = {
        (m.result_id, m.kind): m
        for m in Measurement.objects.filter(result_id__in=[results[k] for k in keys])
    }
    new, changed, stale = [], [], []
    for key, (value, unit) in wanted.items():
        measurement = existing.get(key)
        if measurement is None:
            new.append(Measurement(result_id=key[0], kind=key[1], value=value, unit=unit))
        elif (measurement.value, measurement.unit) != (value, unit):
            measurement.value, measurement.unit = value, unit
            changed.append(measurement)
    stale = [m.pk for key, m in existing.items() if key not in wanted]
    Measurement.objects.bulk_create(new, batch_size=1000)
    Measurement.objects.bulk_update(changed, ["value", "unit"], batch_size=1000)
    Measurement.objects.filter(pk__in=stale).delete()
    summary.created["measurements"] += len(new)
    summary.updated["measurements"] += len(changed)


def _named_rows(model, key_field, wanted: dict, summary: ImportSummary, build):
    """Fetch rows by a unique key, creating the missing ones in bulk."""
    rows = {getattr(o, key_field): o for o in model.objects.filter(**{f"{key_field}__in": wanted})}
    missing = [build(key, extra) for key, extra in wanted.items() if key not in rows]
    if missing:
        model.objects.bulk_create(missing)
        rows = {
            getattr(o, key_field): o for o in model.objects.filter(**{f"{key_field}__in": wanted})
        }
        summary.created[model._meta.verbose_name_plural] += len(missing)
    return rows
