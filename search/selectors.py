"""Search across the published rounds: systems by submitter, name, parts, software, notes.

On PostgreSQL its full-text search (a search vector over the fields, ranked);
elsewhere (SQLite) every word must appear in one of the fields (icontains).
Two queries whatever the data: the systems (first ``limit``, with what a hit
shows) and the accelerators whose names match. Unpublished rounds never match.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Q, QuerySet
from django.urls import reverse

from compare.selectors import accelerator_slug
from results.models import Accelerator, Round, System

# What a system is found by (each also searched on its canonical part names).
FIELDS = (
    "name",
    "submitter__name",
    "accelerator__name",
    "accelerator__canonical_name",
    "processor__name",
    "processor__canonical_name",
    "software",
    "notes",
)
MAX_QUERY = 200
LIMIT = 100


@dataclass(frozen=True)
class AcceleratorHit:
    name: str  # canonical
    url: str  # its history page, "" where that page does not exist


@dataclass(frozen=True)
class Found:
    query: str
    systems: list[System]
    accelerators: list[AcceleratorHit]
    more: bool  # more systems matched than are shown
    full_text: bool


def _published_systems() -> QuerySet[System]:
    return System.objects.filter(
        round__in=Round.objects.published(), withdrawn_at__isnull=True
    ).select_related("round", "submitter", "accelerator", "processor")


def _words(query: str) -> list[str]:
    return query.split()[:10]


def _plain(systems: QuerySet[System], query: str) -> QuerySet[System]:
    for word in _words(query):
        match = Q()
        for name in FIELDS:
            match |= Q(**{f"{name}__icontains": word})
        systems = systems.filter(match)
    return systems.order_by("-round__published_at", "submitter__name", "name", "pk")


def _full_text(systems: QuerySet[System], query: str) -> QuerySet[System]:
    from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector

    vector = SearchVector(*FIELDS, config="simple")
    search = SearchQuery(query, search_type="websearch", config="simple")
    return (
        systems.annotate(document=vector, search_rank=SearchRank(F("document"), search))
        .filter(document=search)
        .order_by("-search_rank", "-round__published_at", "submitter__name", "name", "pk")
    )


def accelerator_url(canonical_name: str) -> str:
    """The accelerator's history page (the compare app's); its slug is the compare app's."""
    slug = accelerator_slug(canonical_name)
    return reverse("compare:accelerator", args=[slug]) if slug else ""


def search(query: str, limit: int = LIMIT) -> Found:
    full_text = connection.vendor == "postgresql"
    systems = _published_systems()
    systems = _full_text(systems, query) if full_text else _plain(systems, query)
    shown = list(systems[: limit + 1])
    urls: dict[str, str] = {}
    for system in shown:
        name = system.accelerator.canonical_name if system.accelerator else ""
        if name and name not in urls:
            urls[name] = accelerator_url(name)
        system.accelerator_url = urls.get(name, "")  # type: ignore[attr-defined]  # for the template
    names: Q = Q()
    for word in _words(query):
        names &= Q(canonical_name__icontains=word) | Q(name__icontains=word)
    accelerators = (
        Accelerator.objects.filter(names, systems__round__in=Round.objects.published())
        .values_list("canonical_name", flat=True)
        .order_by("canonical_name")
        .distinct()[:20]
    )
    return Found(
        query,
        shown[:limit],
        [AcceleratorHit(name, accelerator_url(name)) for name in accelerators],
        more=len(shown) > limit,
        full_text=full_text,
    )
