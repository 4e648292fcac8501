"""Public pages: thin views around one selector each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBadRequest,
    HttpResponseBase,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from . import citations, exports, selectors, snapshots
from .cache import cache_round_page, stored_download
from .canonical import round_vocabulary
from .filters import EntryFilter
from .models import Entry, Result, Round
from .tables import table_for_group

# The query parameters of a round's pages; pages with others are not cached.
# "view=per-watt" shows throughput per watt where power was measured.
ROUND_PARAMS = frozenset(EntryFilter.base_filters) | {"sort", "view"}
TABLE_PARAMS = ROUND_PARAMS | {"page"}


@require_safe
def round_index(request: HttpRequest) -> HttpResponse:
    rounds = selectors.published_rounds()
    return render(request, "results/round_index.html", {"rounds": rounds})


def _filtered_entries(
    request: HttpRequest, round_: Round
) -> tuple[EntryFilter, QuerySet[Entry] | None]:
    filterset = EntryFilter(request.GET or None, round_=round_)
    # An invalid choice (a stale link) shows the whole round with the form's error.
    entries = filterset.qs if filterset.is_bound and filterset.is_valid() else None
    return filterset, entries


def _filtered_results(request: HttpRequest, round_: Round) -> tuple[EntryFilter, QuerySet[Result]]:
    filterset, entries = _filtered_entries(request, round_)
    return filterset, selectors.round_results_query(round_, entries, filterset.narrowing())


def _per_watt(request: HttpRequest) -> bool:
    return request.GET.get("view") == "per-watt"


def _tables(request: HttpRequest, groups: Iterable[selectors.TableGroup]) -> list[Any]:
    tables = []
    for group in groups:
        table = table_for_group(group, per_watt=_per_watt(request))
        # One "sort" parameter for every table: a benchmark column sorts them all.
        RequestConfig(request, paginate=False).configure(table)
        tables.append(table)
    return tables


def _round(request: HttpRequest, version: str) -> Round:
    # Reads only: result IDs are handed out by results.tasks at publication, not by a GET.
    return selectors.viewable_round(version, request.user)


@require_safe
@cache_round_page(ROUND_PARAMS, round_vocabulary)
def round_detail(request: HttpRequest, version: str) -> HttpResponse:
    round_ = _round(request, version)
    filterset, entries = _filtered_entries(request, round_)
    # Whole tables up to RESULTS_PAGE_MAX_ROWS rows in all; past that, the first rows of each.
    page = selectors.round_page(
        round_,
        entries,
        sort=request.GET.getlist("sort"),
        max_rows=settings.RESULTS_PAGE_MAX_ROWS,
        preview_rows=settings.RESULTS_TABLE_PREVIEW_ROWS,
        only=filterset.narrowing(),
    )
    context = {
        "round": round_,
        "draft": not round_.is_published,
        "filter": filterset,
        "tables": _tables(request, page.tables),
        "result_count": page.result_count,
        "row_count": page.row_count,
        "query": request.GET.urlencode(),
        "per_watt": _per_watt(request),
        "view_query": _toggled_view(request),
        "rankings": _rankings(page.tables),
        "comparability": selectors.round_comparability(round_),
    }
    return render(request, "results/round_detail.html", context)


@require_safe
@cache_round_page(TABLE_PARAMS, round_vocabulary)
def round_table(request: HttpRequest, version: str, table: str) -> HttpResponse:
    """One table of a round, all its rows, paginated (linked from a cut table)."""
    round_ = _round(request, version)
    filterset, entries = _filtered_entries(request, round_)
    page = selectors.table_page(
        round_,
        table,
        entries,
        sort=request.GET.getlist("sort"),
        page=request.GET.get("page"),
        per_page=settings.RESULTS_TABLE_PAGE_ROWS,
        only=filterset.narrowing(),
    )
    round_query = request.GET.copy()
    round_query.pop("page", None)
    context = {
        "round": round_,
        "draft": not round_.is_published,
        "filter": filterset,
        "table": _tables(request, [page.table])[0],
        "page": page.page,
        "round_query": round_query.urlencode(),
    }
    return render(request, "results/round_table.html", context)


def _rankings(tables: Iterable[Any]) -> list[tuple[str, str, str]]:
    """(benchmark, scenario, label) of the columns on the page, in the round's order."""
    seen: dict[tuple[str, str], tuple[str, str, str]] = {}
    for table in tables:
        for column in table.columns:
            key = (column.key.benchmark, column.key.scenario)
            seen.setdefault(key, (*key, f"{column.benchmark_name} {column.scenario_label}"))
    return list(seen.values())


def _toggled_view(request: HttpRequest) -> str:
    """The query string of the same page in the other view (per watt, or as measured)."""
    query = request.GET.copy()
    if _per_watt(request):
        query.pop("view", None)
    else:
        query["view"] = "per-watt"
    return query.urlencode()


def _download(fmt: str, export: exports.Export, stem: str) -> HttpResponseBase:
    """A file of the given format, streamed when the format streams."""
    form = exports.FORMATS[fmt]
    body = form.write(export)
    response: HttpResponseBase
    if form.streams:
        response = StreamingHttpResponse(body, content_type=form.content_type)
    else:
        response = HttpResponse(b"".join(body), content_type=form.content_type)
    response["Content-Disposition"] = f'attachment; filename="{form.filename(stem)}"'
    return response


@require_safe
@stored_download
def round_download(request: HttpRequest, version: str, fmt: str) -> HttpResponseBase:
    """The page's results in any export format, with the page's filters and narrowing."""
    round_ = _round(request, version)
    _, results = _filtered_results(request, round_)
    export = exports.Export(round_.version, selectors.export_rows(results))
    return _download(fmt, export, f"mlperf-inference-{round_.version}-results")


@require_safe
def snapshot_download(request: HttpRequest, version: str, day: str, fmt: str) -> HttpResponseBase:
    """The round's export as it stood at ``day``, with later corrections or without."""
    try:
        date = dt.date.fromisoformat(day)
    except ValueError:
        raise Http404("Not a date: write it YYYY-MM-DD.") from None
    corrections = request.GET.get("corrections", snapshots.EXCLUDE)
    if corrections not in snapshots.CHOICES or set(request.GET) - {"corrections"}:
        return HttpResponseBadRequest(
            "A snapshot takes corrections=include or corrections=exclude."
        )
    found = snapshots.snapshot(snapshots.snapshot_round(version, date), date, corrections)
    export = exports.Export(found.round.version, found.rows, about=found.about)
    return _download(fmt, export, found.stem)


@require_safe
def system_detail(
    request: HttpRequest, version: str, division: str, submitter: str, folder_id: str
) -> HttpResponse:
    system = selectors.system_detail(version, division, submitter, folder_id, request.user)
    citations.attach(
        system, base_url=request.build_absolute_uri("/"), retrieved=timezone.localdate()
    )
    return render(
        request,
        "results/system_detail.html",
        {"system": system, "draft": not system.round.is_published},
    )


@require_safe
@cache_round_page(frozenset({"view"}))
def round_ranking(
    request: HttpRequest, version: str, benchmark: str, scenario: str
) -> HttpResponse:
    """One benchmark and scenario across every table of the round, best first."""
    round_ = _round(request, version)
    ranking = selectors.ranking(round_, benchmark, scenario)
    return render(
        request,
        "results/round_ranking.html",
        {
            "round": round_,
            "draft": not round_.is_published,
            "ranking": ranking,
            "per_watt": _per_watt(request),
            "view_query": _toggled_view(request),
            "links": selectors.ranking_links(round_),
        },
    )


@require_safe
def round_changes(request: HttpRequest, version: str) -> HttpResponse:
    round_ = _round(request, version)
    corrections = selectors.round_corrections(round_)
    return render(
        request,
        "results/round_changes.html",
        {"round": round_, "corrections": corrections, "draft": not round_.is_published},
    )


@require_safe
def result_id(request: HttpRequest, result_id: str) -> HttpResponse:
    entry = selectors.published_entry(result_id)
    return redirect(entry.system.get_absolute_url() + f"#{entry.result_id}")
