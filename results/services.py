"""Staff services on the catalogue: publication, corrections, rules, hand entry.

Every write staff make goes through here, in a transaction, whether it comes
from the admin, a command or a test; corrections leave a public record.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps as django_apps
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.db import transaction
from django.db.models import Count, F, OuterRef, Subquery, Value
from django.db.models.functions import Coalesce
from django.utils import timezone

from .cache import invalidate_round, invalidate_rounds
from .models import (
    Accelerator,
    Benchmark,
    BenchmarkScenario,
    Category,
    Correction,
    CorrectionKind,
    Division,
    Entry,
    HandEntry,
    HandEntryStatus,
    Processor,
    Result,
    Round,
    Scenario,
    Submitter,
    SuiteScenario,
    System,
    SystemType,
)
from .seed import SYSTEM_TYPES


def invalidate_round_cache(round_) -> None:
    """Drop the round's cached pages once the change is committed (a Round or a version)."""
    transaction.on_commit(lambda: invalidate_round(round_))


def invalidate_all_rounds_cache() -> None:
    """For names every round shows (submitters, processors, accelerators, system types)."""
    transaction.on_commit(lambda: invalidate_rounds(Round.objects.all()))


def rows_changed(*rounds: Round) -> None:
    """After systems or results of the rounds are added, renamed or removed: bring their
    derived columns up to date and drop their cached pages."""
    for round_ in rounds:
        refresh_derived_columns(round_.pk)
        invalidate_round_cache(round_)


def refresh_derived_columns(round_id: int, apps=None) -> None:
    """Recompute what the public tables read instead of computing it per request:
    ``Entry.result_count`` (results not withdrawn) and ``System.rank`` (the
    position by submitter name and system name, the tables' default order).

    ``apps`` is a migration's app registry; by default, the current models.
    """
    models = apps or django_apps
    entry_model = models.get_model("results", "Entry")
    result_model = models.get_model("results", "Result")
    system_model = models.get_model("results", "System")
    counts = (
        result_model.objects.filter(entry=OuterRef("pk"), withdrawn_at__isnull=True)  # type: ignore[misc]
        .order_by()
        .values("entry")
        .annotate(n=Count("pk"))
        .values("n")
    )
    entry_model.objects.filter(system__round_id=round_id).update(
        result_count=Coalesce(Subquery(counts), Value(0))
    )
    systems = (
        system_model.objects.filter(round_id=round_id)
        .order_by("submitter__name", "name")
        .values_list("pk", "rank", "submitter__name", "name")
    )
    # Systems of one submitter with one name share a rank, so that their rows
    # still follow each other by model folder, as when the tables sorted by name.
    moved, rank, last = [], 0, None
    for pk, old_rank, *names in systems:
        if names != last:
            rank, last = rank + 1, names
        if old_rank != rank:
            moved.append(system_model(pk=pk, rank=rank))
    system_model.objects.bulk_update(moved, ["rank"], batch_size=1000)


# --- Publication ------------------------------------------------------------


def _tree_order(entry: Entry) -> tuple:
    system = entry.system
    # The checker's walk order, the same on every database (no collation surprises).
    return (system.division, system.submitter_folder, system.folder_id, entry.model_folder)


@transaction.atomic
def publish_round(round_: Round, now: dt.datetime | None = None) -> int:
    """Give result IDs to the rows of a published round that have none; returns how many.

    IDs are handed out in the order of the submission tree, from the round's
    counter, which only grows: an ID is never given twice.
    """
    round_ = Round.objects.select_for_update().get(pk=round_.pk)
    now = now or timezone.now()
    if round_.published_at is None or round_.published_at > now:
        return 0
    # Rows that carry an official ID (a round's summary_results.json) keep it.
    pending = sorted(
        Entry.objects.filter(
            system__round=round_, number__isnull=True, result_id__isnull=True
        ).select_related("system"),
        key=_tree_order,
    )
    for entry in pending:
        entry.number = round_.next_result_number
        entry.result_id = round_.result_id(entry.number)
        round_.next_result_number += 1
    Entry.objects.bulk_update(pending, ["number", "result_id"])
    round_.numbered_at = now
    round_.save(update_fields=["next_result_number", "numbered_at"])
    invalidate_round_cache(round_)
    return len(pending)


def publish_due_rounds(now: dt.datetime | None = None) -> dict[str, int]:
    """Number the rows of every round whose publication time has passed (cron or worker)."""
    now = now or timezone.now()
    due = Round.objects.filter(
        published_at__lte=now, systems__entries__number__isnull=True
    ).distinct()
    return {round_.version: publish_round(round_, now) for round_ in due}


# --- Corrections ------------------------------------------------------------


def _record(
    system,
    kind,
    reason,
    user,
    effective,
    *,
    result=None,
    old="",
    new="",
    old_number: float | None = None,
    new_number: float | None = None,
):
    """A change log entry; ``old``/``new`` are its texts, the numbers its exact figures."""
    if not reason or not reason.strip():
        raise ValidationError("A correction needs a reason.")
    return Correction.objects.create(
        round=system.round,
        system=system,
        result=result,
        kind=kind,
        old_value=str(old)[:300],
        new_value=str(new)[:300],
        old_number=old_number,
        new_number=new_number,
        reason=reason.strip(),
        effective=effective or timezone.localdate(),
        created_by=user,
    )


@transaction.atomic
def withdraw_result(result: Result, *, reason: str, user=None, effective=None) -> Correction:
    result = (
        Result.objects.select_for_update().select_related("entry__system__round").get(pk=result.pk)
    )
    if result.withdrawn_at is not None:
        raise ValidationError(f"{result} is already withdrawn.")
    result.withdrawn_at = timezone.now()
    result.save(update_fields=["withdrawn_at"])
    system = result.entry.system
    correction = _record(
        system,
        CorrectionKind.WITHDRAW_RESULT,
        reason,
        user,
        effective,
        result=result,
        old=f"{result.value:g} {result.unit}",
        old_number=result.value,
    )
    # One row loses one result; ranks do not change, so the whole round is not recomputed.
    Entry.objects.filter(pk=result.entry_id).update(result_count=F("result_count") - 1)
    invalidate_round_cache(system.round)
    return correction


@transaction.atomic
def withdraw_system(system: System, *, reason: str, user=None, effective=None) -> Correction:
    system = System.objects.select_for_update().select_related("round").get(pk=system.pk)
    if system.withdrawn_at is not None:
        raise ValidationError(f"{system} is already withdrawn.")
    system.withdrawn_at = timezone.now()
    system.save(update_fields=["withdrawn_at"])
    correction = _record(system, CorrectionKind.WITHDRAW_SYSTEM, reason, user, effective)
    invalidate_round_cache(system.round)  # the tables leave out withdrawn systems themselves
    return correction


@transaction.atomic
def move_system(
    system: System,
    *,
    reason: str,
    category: Category | None = None,
    division: str | None = None,
    user=None,
    effective=None,
) -> list[Correction]:
    """Move a system to another category and/or division; its rows keep their IDs."""
    system = (
        System.objects.select_for_update().select_related("round", "category").get(pk=system.pk)
    )
    corrections = []
    if category is not None and category != system.category:
        if category.round_id != system.round_id:
            raise ValidationError("The category belongs to another round.")
        corrections.append(
            _record(
                system,
                CorrectionKind.MOVE_CATEGORY,
                reason,
                user,
                effective,
                old=system.category.name,
                new=category.name,
            )
        )
        system.category = category
    if division is not None and division != system.division:
        if division not in Division.values:
            raise ValidationError(f"{division!r} is not a division.")
        clash = System.objects.filter(
            round=system.round,
            division=division,
            submitter=system.submitter,
            folder_id=system.folder_id,
        )
        if clash.exists():
            raise ValidationError(
                f"{system.submitter} already has a system {system.folder_id} in {division}."
            )
        corrections.append(
            _record(
                system,
                CorrectionKind.MOVE_DIVISION,
                reason,
                user,
                effective,
                old=Division(system.division).label,
                new=Division(division).label,
            )
        )
        system.division = division
    if not corrections:
        raise ValidationError("Nothing to move: choose another category or division.")
    system.save(update_fields=["category", "division"])
    invalidate_round_cache(system.round)  # rank and counts do not depend on the table
    return corrections


@transaction.atomic
def correct_value(
    result: Result, *, value: float, reason: str, user=None, effective=None
) -> Correction:
    if value is None or value <= 0:
        raise ValidationError("A result value must be positive.")
    result = (
        Result.objects.select_for_update().select_related("entry__system__round").get(pk=result.pk)
    )
    if value == result.value:
        raise ValidationError("The new value is the same as the old one.")
    correction = _record(
        result.entry.system,
        CorrectionKind.CORRECT_VALUE,
        reason,
        user,
        effective,
        result=result,
        old=f"{result.value:g} {result.unit}",
        new=f"{value:g} {result.unit}",
        old_number=result.value,
        new_number=value,
    )
    result.value = value
    result.save(update_fields=["value"])
    invalidate_round_cache(result.entry.system.round)
    return correction


# --- Rules ------------------------------------------------------------------


# The system types migration 0002 made, and the suite later rounds add.
SYSTEM_TYPE_NAMES = {slug: (name, order) for slug, name, order in SYSTEM_TYPES} | {
    "datacenter-edge": ("Datacenter and edge", 15),
    "all-systems": ("All systems", 5),  # v0.5 had no system types
}


@transaction.atomic
def load_rules(document: dict, *, round_: Round | None = None) -> tuple[Round, bool]:
    """Create or update the round a profile document describes, and mirror its rows.

    The document is validated first (``mlperf.ProfileError`` names the place
    that is wrong), so a broken file changes nothing. Returns the round and
    whether it was created.
    """
    from mlperf.profiles import RoundRules, upgrade

    document = upgrade(document)
    RoundRules.from_dict(document)
    created = False
    if round_ is None:
        round_ = Round.objects.filter(version=document["version"]).first()
    if round_ is None:
        published_at = document.get("published_at")
        round_ = Round(
            version=document["version"],
            title=document.get("title", document["version"]),
            result_id_prefix=document.get("result_id_prefix", document["version"].lstrip("v")),
            code_url=document.get("code_url", ""),
            published_at=dt.datetime.fromisoformat(published_at.replace("Z", "+00:00"))
            if published_at
            else None,
        )
        created = True
    round_.rules = document
    round_.save()
    sync_rule_rows(round_)
    invalidate_round_cache(round_)
    return round_, created


def sync_rule_rows(round_: Round) -> None:
    """Mirror the round's profile into the rows the pages join on (one mapping, one way).

    Rows are matched by slug or name and updated in place, so results keep
    pointing at them; a row the profile no longer has is kept if results use it.
    """
    from mlperf.profiles import RoundRules

    rules = RoundRules.from_dict(round_.rules)
    for order, category in enumerate(rules.categories, start=1):
        Category.objects.update_or_create(
            round=round_,
            slug=category.slug,
            defaults={
                "name": category.name,
                "order": order * 10,
                "statuses": list(category.statuses),
            },
        )
    scenarios = {}
    for order, s in enumerate(rules.scenarios.values(), start=1):
        scenarios[s.name], _ = Scenario.objects.update_or_create(
            round=round_,
            name=s.name,
            defaults={
                "label": s.label,
                "order": order * 10,
                "metric": s.metric,
                "unit": s.unit,
                "scale": s.scale,
                "better": s.better,
                "min_query_count": s.min_query_count,
                "runs": s.runs,
                "min_samples_per_query": s.min_samples_per_query,
            },
        )
    system_types = {}
    for suite in rules.suites:
        slug = rules.system_type_slug(suite)
        name, order = SYSTEM_TYPE_NAMES.get(slug, (suite.title(), 50))
        system_types[suite], _ = SystemType.objects.get_or_create(
            slug=slug, defaults={"name": name, "order": order}
        )
    for order, b in enumerate(rules.benchmarks.values(), start=1):
        accuracy = b.primary_accuracy
        benchmark, _ = Benchmark.objects.update_or_create(
            round=round_,
            slug=b.id,
            defaults={
                "folder": b.folder,
                "name": b.name,
                "dataset": b.dataset,
                "family": b.family,
                "order": order * 10,
                "qsl_size": b.qsl_size,
                "accuracy_metric": accuracy.metric,
                "accuracy_unit": accuracy.unit,
                "accuracy_pattern": accuracy.pattern,
                "accuracy_reference": accuracy.reference,
                "accuracy_fraction": accuracy.fraction,
                "accuracy_target": accuracy.target,
                "accuracy_upper": accuracy.upper,
            },
        )
        for name, row in b.scenarios.items():
            metric = rules.metric(b, name)
            BenchmarkScenario.objects.update_or_create(
                benchmark=benchmark,
                scenario=scenarios[name],
                defaults={
                    "latency_bound_ms": row.latency_bound_ms,
                    "compliance_tests": list(row.compliance),
                    "unit": metric.unit,
                    "better": metric.better,
                    "comparison_key": rules.comparison_key(b, name),
                },
            )
        wanted = set()
        for suite, suite_rules in b.suites.items():
            for requirement, names in (
                ("required", suite_rules.required),
                ("optional", suite_rules.optional),
            ):
                for name in names:
                    wanted.add((system_types[suite].pk, scenarios[name].pk))
                    SuiteScenario.objects.update_or_create(
                        benchmark=benchmark,
                        system_type=system_types[suite],
                        scenario=scenarios[name],
                        defaults={"requirement": requirement},
                    )
        for suite_row in SuiteScenario.objects.filter(benchmark=benchmark):
            if (suite_row.system_type_id, suite_row.scenario_id) not in wanted:
                suite_row.delete()


@transaction.atomic
def copy_rules(source: Round, target: Round) -> None:
    """Give ``target`` the profile of ``source`` (its categories, benchmarks, scenarios)."""
    if target.benchmarks.exists() or target.scenarios.exists() or target.categories.exists():
        raise ValidationError(f"{target} already has rules; copy into an empty round.")
    document = dict(source.rules)
    document.update(version=target.version, title=target.title)
    target.rules = document
    target.checker_settings = dict(source.checker_settings)
    target.save(update_fields=["rules", "checker_settings"])
    sync_rule_rows(target)


# --- Hand entry -------------------------------------------------------------


@dataclass
class ResultInput:
    benchmark: Benchmark
    scenario: Scenario
    value: float
    model_folder: str = ""
    accuracy: float | None = None


def validate_results(round_: Round, system_type, division: str, results: list[ResultInput]):
    """The import's rules for results entered by hand; returns a list of error messages."""
    errors = []
    suites = {
        (row.benchmark_id, row.scenario_id)
        for row in SuiteScenario.objects.filter(benchmark__round=round_, system_type=system_type)
    }
    suite_benchmarks = {benchmark for benchmark, _ in suites}
    defined = {
        (row.benchmark_id, row.scenario_id)
        for row in BenchmarkScenario.objects.filter(benchmark__round=round_)
    }
    seen = set()
    for index, item in enumerate(results, start=1):
        label = f"Result {index} ({item.benchmark.slug} {item.scenario.name})"
        key = (item.benchmark.pk, item.scenario.pk)
        if item.benchmark.round_id != round_.pk or item.scenario.round_id != round_.pk:
            errors.append(f"{label}: the benchmark and scenario must be of {round_}.")
            continue
        if key in seen:
            errors.append(f"{label}: entered twice.")
        seen.add(key)
        if item.value is None or item.value <= 0:
            errors.append(f"{label}: the value must be positive (it is in {item.scenario.unit}).")
        if key not in defined:
            errors.append(f"{label}: {item.scenario.name} is not a scenario of this benchmark.")
        elif suites:
            # The system type is a checker suite (datacenter, edge): §5.1 and §5.2 apply.
            if item.benchmark.pk not in suite_benchmarks:
                errors.append(
                    f"{label}: {item.benchmark.slug} is not a benchmark of the {system_type} suite."
                )
            elif division != Division.OPEN and key not in suites:
                errors.append(
                    f"{label}: {item.scenario.name} is neither required nor optional "
                    f"for {item.benchmark.slug} on {system_type} systems."
                )
    if division != Division.OPEN:
        # The accuracy target (and upper bound) holds for hand entry as for an import.
        for index, item in enumerate(results, start=1):
            label = f"Result {index} ({item.benchmark.slug} {item.scenario.name})"
            target, upper = item.benchmark.accuracy_target, item.benchmark.accuracy_upper
            unit = item.benchmark.accuracy_unit
            if item.accuracy is None:
                errors.append(f"{label}: a closed result needs its accuracy.")
            elif item.accuracy < target:
                errors.append(
                    f"{label}: accuracy {item.accuracy:g}{unit} is below the target "
                    f"{target:g}{unit}."
                )
            elif upper is not None and item.accuracy > upper:
                errors.append(
                    f"{label}: accuracy {item.accuracy:g}{unit} is above its limit {upper:g}{unit}."
                )
    if division != Division.OPEN and suites:
        required = {
            (row.benchmark_id, row.scenario_id): row
            for row in SuiteScenario.objects.filter(
                benchmark__round=round_, system_type=system_type, requirement="required"
            ).select_related("benchmark", "scenario")
        }
        entered = {item.benchmark.pk for item in results}
        for (benchmark_id, scenario_id), row in required.items():
            if benchmark_id in entered and (benchmark_id, scenario_id) not in seen:
                errors.append(
                    f"{row.benchmark.slug} on {system_type} systems needs a "
                    f"{row.scenario.name} result."
                )
    return errors


@transaction.atomic
def enter_system(
    round_: Round,
    *,
    division: str,
    submitter: Submitter,
    folder_id: str,
    name: str,
    system_type,
    category: Category,
    results: list[ResultInput],
    processor: str = "",
    processor_count: int | None = None,
    accelerator: str = "",
    accelerator_count: int | None = None,
    software: str = "",
    operating_system: str = "",
    notes: str = "",
    description: dict | None = None,
    user=None,
    reason: str = "",
) -> System:
    """Create a system and its results typed in by staff, with the import's rules.

    Staff reach it through review (``accept_hand_entry``), never straight from the form.
    In a round whose rows are public, each result is added on the record (the change
    log), never silently; ``reason`` says who entered it and who accepted it.
    """
    errors = _entry_errors(round_, division, submitter, folder_id, system_type, category, results)
    if errors:
        raise ValidationError(errors)
    system = System.objects.create(
        round=round_,
        division=division,
        submitter=submitter,
        submitter_folder=submitter.name,
        folder_id=folder_id,
        name=name,
        system_type=system_type,
        category=category,
        status=category.slug,
        processor=Processor.objects.get_or_create(name=processor)[0] if processor else None,
        processor_count=processor_count,
        accelerator=(
            Accelerator.objects.get_or_create(name=accelerator)[0] if accelerator else None
        ),
        accelerator_count=accelerator_count if accelerator else 0,
        software=software,
        operating_system=operating_system,
        notes=notes,
        description=description or {"entered_by_hand": True},
    )
    entries: dict[str, Entry] = {}
    public = round_.is_published and round_.numbered_at is not None
    for item in results:
        row_key = item.model_folder if division == Division.OPEN else ""
        if row_key not in entries:
            entries[row_key] = Entry.objects.create(system=system, model_folder=row_key)
        result = Result.objects.create(
            entry=entries[row_key],
            benchmark=item.benchmark,
            scenario=item.scenario,
            model_folder=item.model_folder or item.benchmark.folder,
            scenario_folder=item.scenario.name,
            value=item.value,
            unit=item.scenario.unit,
            accuracy=item.accuracy,
            accuracy_raw="" if item.accuracy is None else f"{item.accuracy:g}",
            findings=[
                {
                    "path": "",
                    "rule": "N1",
                    "level": "info",
                    "section": "§13",
                    "message": "entered by hand by staff; no submission files were checked",
                }
            ],
        )
        if public:
            _record(
                system,
                CorrectionKind.ADD_RESULT,
                reason
                or f"Entered by hand by {user or 'staff'}; no submission files were checked.",
                user,
                None,
                result=result,
                new=f"{result.value:g} {result.unit}",
                new_number=result.value,
            )
    publish_round(round_)  # numbered at once if the round is already public
    rows_changed(round_)
    return system


def _entry_errors(round_, division, submitter, folder_id, system_type, category, results):
    errors = validate_results(round_, system_type, division, results)
    if category.round_id != round_.pk:
        errors.insert(0, "The category belongs to another round.")
    if System.objects.filter(
        round=round_, division=division, submitter=submitter, folder_id=folder_id
    ).exists():
        errors.insert(0, f"{submitter} already has a system {folder_id!r} in {division}.")
    if not results:
        errors.append("Enter at least one result.")
    return errors


# Model fields of the form, stored by primary key so that the payload is plain JSON.
_ENTRY_KEYS = {"submitter": Submitter, "system_type": SystemType, "category": Category}


def _payload(arguments: dict, results: list[ResultInput]) -> dict:
    payload = {
        name: (value.pk if name in _ENTRY_KEYS and value is not None else value)
        for name, value in arguments.items()
    }
    payload["results"] = [
        {
            "benchmark": item.benchmark.pk,
            "scenario": item.scenario.pk,
            "value": item.value,
            "model_folder": item.model_folder,
            "accuracy": item.accuracy,
        }
        for item in results
    ]
    return payload


def _arguments(round_: Round, payload: dict) -> tuple[dict, list[ResultInput]]:
    """The service arguments back from a stored payload; objects deleted since are an error."""
    arguments = {k: v for k, v in payload.items() if k != "results"}
    try:
        for name, model in _ENTRY_KEYS.items():
            arguments[name] = model._default_manager.get(pk=arguments[name])
        benchmarks = Benchmark.objects.in_bulk([r["benchmark"] for r in payload["results"]])
        scenarios = Scenario.objects.in_bulk([r["scenario"] for r in payload["results"]])
        results = [
            ResultInput(
                benchmark=benchmarks[r["benchmark"]],
                scenario=scenarios[r["scenario"]],
                value=r["value"],
                model_folder=r["model_folder"],
                accuracy=r["accuracy"],
            )
            for r in payload["results"]
        ]
    except (KeyError, ObjectDoesNotExist) as exc:
        raise ValidationError(
            f"Something this entry names no longer exists ({exc}); enter it again."
        ) from exc
    return arguments, results


def _entry_summary(arguments: dict, results: list[ResultInput]) -> str:
    return (
        f"{arguments['name']} ({arguments['division']}, {arguments['submitter']}), "
        f"{len(results)} result{'s' if len(results) != 1 else ''}"
    )[:400]


def propose_system(round_: Round, *, results: list[ResultInput], user, **arguments) -> HandEntry:
    """Hold a system typed in by staff for review, checked now with the import's rules.

    Nothing enters the round yet: a second person accepts it (``accept_hand_entry``), as
    staff accept an upload, and the round's embargo applies to it as to an upload.
    """
    errors = _entry_errors(
        round_,
        arguments["division"],
        arguments["submitter"],
        arguments["folder_id"],
        arguments["system_type"],
        arguments["category"],
        results,
    )
    payload = _payload(arguments, results)
    waiting = HandEntry.objects.filter(round=round_, status=HandEntryStatus.PENDING)
    for other in waiting.only("payload", "summary"):
        if all(other.payload.get(k) == payload[k] for k in ("division", "submitter", "folder_id")):
            errors.insert(0, f"An entry of this system awaits review already: {other.summary}.")
    if errors:
        raise ValidationError(errors)
    return HandEntry.objects.create(
        round=round_,
        summary=_entry_summary(arguments, results),
        payload=payload,
        entered_by=user,
    )


def accept_hand_entry(entry: HandEntry, *, user) -> System:
    """Enter a reviewed hand entry into its round, checked again with the rules as they are
    now. The reviewer must be someone other than who typed it in."""
    with transaction.atomic():
        locked = HandEntry.objects.select_for_update().select_related("round").get(pk=entry.pk)
        if locked.status != HandEntryStatus.PENDING:
            raise ValidationError(f"This entry is already {locked.get_status_display().lower()}.")
        if user is None or locked.entered_by_id == user.pk:
            raise ValidationError("A hand entry is accepted by someone other than who entered it.")
        arguments, results = _arguments(locked.round, locked.payload)
        entered_by = locked.entered_by or "staff"
        system = enter_system(
            locked.round,
            **arguments,
            results=results,
            user=user,
            reason=f"Entered by hand by {entered_by}, accepted by {user}; "
            "no submission files were checked.",
        )
        HandEntry.objects.filter(pk=locked.pk).update(
            status=HandEntryStatus.ACCEPTED,
            reviewed_by=user,
            reviewed_at=timezone.now(),
            system=system,
        )
    entry.refresh_from_db()
    return system


def reject_hand_entry(entry: HandEntry, *, reason: str, user) -> None:
    if not (reason or "").strip():
        raise ValidationError("A rejection needs a reason.")
    updated = HandEntry.objects.filter(pk=entry.pk, status=HandEntryStatus.PENDING).update(
        status=HandEntryStatus.REJECTED,
        reviewed_by=user,
        reviewed_at=timezone.now(),
        rejection_reason=reason.strip(),
    )
    if not updated:
        raise ValidationError("This entry has been reviewed already.")
    entry.refresh_from_db()
