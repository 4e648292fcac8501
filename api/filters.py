"""The API's filters: the round page's (results.filters.EntryFilter), with parts by name.

The page chooses an accelerator or a processor from a list of the submitted
spellings; a program rather types part of a name, so here ``accelerator`` and
``processor`` match the canonical name or the submitted one, in part, in any
case ("t4" finds "NVIDIA T4" and "Tesla T4"). Every other filter is the
page's, with its choices: a value the page would not offer is a 400.
"""

from __future__ import annotations

from typing import Any

import django_filters
from django.db.models import Q, QuerySet

from results.filters import EntryFilter
from results.models import Entry

# Longer than any part name the models hold (Part.name is 200 characters).
PART_MAX_LENGTH = 200


class ApiEntryFilter(EntryFilter):
    # A text match in place of the page's list of spellings (the module's docstring).
    accelerator = django_filters.CharFilter(  # type: ignore[assignment]
        method="filter_part", max_length=PART_MAX_LENGTH, label="Accelerator"
    )
    processor = django_filters.CharFilter(  # type: ignore[assignment]
        method="filter_part", max_length=PART_MAX_LENGTH, label="Processor"
    )

    def filter_part(self, queryset: QuerySet[Entry], name: str, value: str) -> QuerySet[Entry]:
        part = f"system__{name}"
        return queryset.filter(
            Q(**{f"{part}__canonical_name__icontains": value})
            | Q(**{f"{part}__name__icontains": value})
        )


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
    names: Any = ApiEntryFilter.base_filters
    return frozenset(names)
