"""Factories: a small round from a profile in a few lines.

    round_ = make_round("v2.0")                       # its rules, from mlperf/rounds/v2.0.json
    system = make_system(round_, "Acme", "box1")      # closed, datacenter, available
    make_result(system, "resnet", "Offline", 1234.5, power=(412.0, "W"))

The rows are the ones an import writes (a system, its table row, results
and measurements), so pages, downloads and selectors can be tested on any
round without reading a tree.
"""

from __future__ import annotations

import copy

from mlperf import load_round_data
from results.models import Entry, Measurement, Result, Round, Submitter, System, SystemType
from results.services import load_rules, rows_changed


def make_round(profile: str = "v2.0", *, version: str | None = None, **changes) -> Round:
    """A round with the rules of a bundled profile (under another version if given)."""
    document = copy.deepcopy(load_round_data(profile))
    if version:
        document.update(version=version, title=f"MLPerf Inference {version}")
        document["result_id_prefix"] = version.lstrip("v")
    document.update(changes)
    round_, _ = load_rules(document)
    return round_


def make_system(
    round_: Round,
    submitter: str,
    folder_id: str,
    *,
    division: str = "closed",
    system_type: str = "datacenter",
    category: str = "available",
    **fields,
) -> System:
    org, _ = Submitter.objects.get_or_create(slug=submitter.lower(), defaults={"name": submitter})
    return System.objects.create(
        round=round_,
        division=division,
        submitter=org,
        submitter_folder=submitter,
        folder_id=folder_id,
        name=fields.pop("name", folder_id),
        system_type=SystemType.objects.get(slug=system_type),
        category=round_.categories.get(slug=category),
        status=category,
        **fields,
    )


def make_result(
    system: System,
    benchmark: str,
    scenario: str,
    value: float,
    *,
    model_folder: str = "",
    power: tuple[float, str] | None = None,
    **fields,
) -> Result:
    round_ = system.round
    entry, _ = Entry.objects.get_or_create(
        system=system, model_folder=model_folder if system.division == "open" else ""
    )
    bench = round_.benchmarks.get(slug=benchmark)
    row = bench.scenarios.filter(scenario__name=scenario).first()
    result = Result.objects.create(
        entry=entry,
        benchmark=bench,
        scenario=round_.scenarios.get(name=scenario),
        model_folder=model_folder or bench.folder,
        scenario_folder=scenario,
        value=value,
        unit=fields.pop("unit", row.unit if row else ""),
        **fields,
    )
    if power is not None:
        kind = "power" if power[1] == "W" else "energy"
        Measurement.objects.create(result=result, kind=kind, value=power[0], unit=power[1])
    rows_changed(round_)
    return result
