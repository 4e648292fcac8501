"""The API's filters are the round page's (results.filters.EntryFilter): one filter set,
so that the two never disagree. This module documents them for the OpenAPI document.

``accelerator`` and ``processor`` match the canonical name or the submitted one, in
part, in any case ("t4" finds "NVIDIA T4" and "Tesla T4"), as on the page. Every other
filter is the page's, with its choices: a value the page would not offer is a 400.
"""

from __future__ import annotations

from typing import Any

from results.filters import EntryFilter

# What each query parameter means, for the OpenAPI document (api.views).
FILTER_HELP: dict[str, str] = {
    "division": "A division of the round, e.g. closed, open.",
    "system_type": "A system type slug, e.g. datacenter, edge.",
    "category": "A category slug of the round, e.g. available, preview, rdi.",
    "submitter": "A submitter slug, e.g. nvidia.",
    "benchmark": "A benchmark id of the round, e.g. resnet. Results: only this benchmark.",
    "scenario": "A scenario name of the round, e.g. Offline. Results: only this scenario.",
    "accelerator": "Part of an accelerator's canonical or submitted name, any case.",
    "processor": "Part of a processor's canonical or submitted name, any case.",
    "software": "A software stack, exactly as the round lists it.",
}


def filter_names() -> frozenset[str]:
    names: Any = EntryFilter.base_filters
    return frozenset(names)
