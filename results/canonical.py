"""The values each query parameter of a round's pages may take, for the page cache.

``results.cache`` drops anything else before it makes a key (``canonical_query``),
so made-up values (``?sort=junk1``, ``?submitter=nobody``) cost no render and no
cache entry of their own. The vocabulary is read in a few small queries once per
round state and kept in the cache beside the pages.
"""

from __future__ import annotations

from django.core.cache import cache

from . import cache as page_cache
from .models import BenchmarkScenario, Category, Round, System
from .selectors import ROW_ORDER


def _sort_names(round_: Round) -> set[str]:
    # As django-tables2 writes them: the row columns and "<benchmark>-<scenario>" with
    # "." written "_" (selectors.ColumnKey.name), each also reversed with "-".
    columns = {
        f"{benchmark}-{scenario}".replace(".", "_")
        for benchmark, scenario in BenchmarkScenario.objects.filter(
            benchmark__round=round_
        ).values_list("benchmark__slug", "scenario__name")
    }
    names = set(ROW_ORDER) | columns
    return names | {f"-{name}" for name in names}


# Parameters typed as free text (a part of a name, any case): a value that names one of the
# vocabulary's words (in any case and spacing) is stored as that word's page; any other
# text is rendered and not stored, so made-up text cannot fill the cache.
FREE_TEXT = frozenset({"accelerator", "processor"})


def round_vocabulary(version: str, state: str) -> dict[str, frozenset[str]] | None:
    """Filter and sort values of the round's pages; None for a round that does not exist."""
    key = f"results:vocabulary:{version}:{page_cache.generation(version)}:{state}"
    found = cache.get(key)
    if found is not None:
        return found
    round_ = Round.objects.filter(version=version).first()
    if round_ is None:
        return None
    systems = System.objects.filter(round=round_)

    def values(*path: str) -> frozenset[str]:
        return frozenset(v for v in systems.values_list(*path, flat=True).distinct() if v)

    found = {
        "submitter": values("submitter__slug"),
        "accelerator": values("accelerator__canonical_name"),
        "processor": values("processor__canonical_name"),
        "software": values("software"),
        "system_type": values("system_type__slug"),
        "benchmark": frozenset(round_.benchmarks.values_list("slug", flat=True)),
        "category": frozenset(Category.objects.filter(round=round_).values_list("slug", flat=True)),
        "division": frozenset(round_.divisions),
        "scenario": frozenset(s["name"] for s in round_.rules.get("scenarios", [])),
        "view": frozenset({"per-watt", "per-accelerator"}),
        "show": frozenset({"tables"}),
        "sort": frozenset(_sort_names(round_)),
    }
    cache.set(key, found, page_cache.timeout())
    return found
