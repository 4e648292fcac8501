"""The API's reads: the public pages' selectors, asked as an anonymous visitor.

The API is anonymous: it never reads the session, so staff and submitters
see through it exactly what everyone sees (published rounds only, never a
draft). Every list has a total order (its last key is unique), so pages
never overlap or skip.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.contrib.auth.models import AnonymousUser
from django.db.models import Prefetch, QuerySet

from results import selectors
from results.filters import EntryFilter
from results.models import Benchmark, BenchmarkScenario, Correction, Entry, Result, Round, System

ANONYMOUS = AnonymousUser()


def rounds() -> QuerySet[Round]:
    """Published rounds, newest first, with their counts (the round index's query)."""
    return selectors.published_rounds()


def round_detail(version: str) -> Round:
    round_ = selectors.viewable_round(version, ANONYMOUS)
    counted = selectors.published_rounds().prefetch_related("categories", "scenarios")
    return counted.get(pk=round_.pk)


def published_round(version: str) -> Round:
    """The round if it is public now, else Http404 (as its page)."""
    return selectors.viewable_round(version, ANONYMOUS)


def benchmarks(round_: Round) -> QuerySet[Benchmark]:
    scenarios = BenchmarkScenario.objects.select_related("scenario").order_by(
        "scenario__order", "scenario__name"
    )
    return (
        Benchmark.objects.filter(round=round_)
        .prefetch_related(Prefetch("scenarios", queryset=scenarios))
        .order_by("order", "slug")
    )


def systems(round_: Round, entries: QuerySet[Entry] | None) -> QuerySet[System]:
    """The round's systems (withdrawn ones too, marked: their pages are public) in the
    tables' order; with filters, those with a row that matches."""
    found = System.objects.filter(round=round_)
    if entries is not None:
        found = found.filter(pk__in=entries.values("system"))
    return (
        found.select_related(
            "round", "submitter", "system_type", "category", "processor", "accelerator"
        )
        .prefetch_related(Prefetch("entries", queryset=Entry.objects.order_by("number", "pk")))
        .defer("description", "findings")
        .order_by("division", "system_type__order", "category__order", "rank", "pk")
    )


def results(round_: Round, filterset: EntryFilter | None) -> QuerySet[Result]:
    """The round's results as the download reads them (``round_results_query``), with
    the result's primary key last in the order, so that every page is stable."""
    if filterset is None:
        query = selectors.round_results_query(round_)
    else:
        query = selectors.round_results_query(round_, filterset.qs, filterset.narrowing())
    return query.order_by(*selectors.RESULT_ORDER, "pk")


def result_rows(round_: Round, page: QuerySet[Result]) -> Iterator[dict]:
    """The download's JSON rows (``export_rows``, ``json_row``) of one page of results,
    each with every accuracy metric of its result.

    The page's slice is read once, as keys and metrics (the one query that sorts the
    whole round); the download's query then reads just those results, in the same
    total order, so that rows and metrics pair up one to one.
    """
    picked = list(page.values_list("pk", "accuracy_metrics"))
    if not picked:
        return
    # By key alone: the page's results were chosen by round_results_query already (and
    # SQLite plans a scan of the round when it is asked for the round again).
    rows = selectors.export_rows(
        Result.objects.filter(pk__in=[pk for pk, _ in picked]).order_by(
            *selectors.RESULT_ORDER, "pk"
        )
    )
    for row, (_, metrics) in zip(rows, picked, strict=True):
        yield {**selectors.json_row(row), "accuracy_metrics": metrics or []}


def corrections(round_: Round) -> QuerySet[Correction]:
    """The round's change log, newest first (as its changes page)."""
    return selectors.round_corrections(round_).order_by("-effective", "-created_at", "-pk")
