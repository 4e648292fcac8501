"""Public pages: thin views around one selector each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

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

from . import citations, exports, grid, selectors, snapshots
from .cache import cache_round_page, stored_download
from .canonical import FREE_TEXT, round_vocabulary
from .filters import EntryFilter
from .models import Entry, Result, Round
from .overview import round_overview

# The query parameters of a round's pages; pages with others are not cached.
# "view" shows the figures as published, per accelerator or per watt (results.grid.VIEWS);
# "show=tables" asks for every table on the round page instead of its overview.
ROUND_PARAMS = frozenset(EntryFilter.base_filters) | {"sort", "view", "show"}
TABLE_PARAMS = ROUND_PARAMS | {"page"}


@dataclass
class RenderedTable:
    group: selectors.TableGroup
    html: str


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


def _view(request: HttpRequest) -> str:
    return grid.view_of(request.GET)


def _tables(request: HttpRequest, groups: Iterable[selectors.TableGroup]) -> list[RenderedTable]:
    # One "sort" parameter for every table: a benchmark column sorts them all.
    return [
        RenderedTable(
            group, grid.render_table(group, query=request.GET, view=_view(request), compare=True)
        )
        for group in groups
    ]


def _sort(request: HttpRequest) -> list[str]:
    """The sort in force: the last one given (as the page cache keeps it)."""
    return request.GET.getlist("sort")[-1:]


def _views(request: HttpRequest) -> list[tuple[str, str, bool]]:
    """(label, query string, current) of each way to show the figures."""
    labels = {
        grid.AS_PUBLISHED: "As published",
        grid.PER_ACCELERATOR: "Per accelerator",
        grid.PER_WATT: "Per watt",
    }
    current = _view(request)
    links = []
    for view in grid.VIEWS:
        query = request.GET.copy()
        query.pop("page", None)
        if view == grid.AS_PUBLISHED:
            query.pop("view", None)
        else:
            query["view"] = view
        links.append((labels[view], query.urlencode(), view == current))
    return links


def _round(request: HttpRequest, version: str) -> Round:
    # Reads only: result IDs are handed out by results.tasks at publication, not by a GET.
    return selectors.viewable_round(version, request.user)


def _overview_only(request: HttpRequest) -> bool:
    """The round page as first shown (no filter, sort, view or "show=tables"): its overview."""
    return not any(name in ROUND_PARAMS for name in request.GET)


@require_safe
@cache_round_page(ROUND_PARAMS, round_vocabulary, FREE_TEXT)
def round_detail(request: HttpRequest, version: str) -> HttpResponse:
    round_ = _round(request, version)
    filterset, entries = _filtered_entries(request, round_)
    base = {
        "round": round_,
        "draft": not round_.is_published,
        "filter": filterset,
        "query": request.GET.urlencode(),
        "view": _view(request),
        "views": _views(request),
        "comparability": selectors.round_comparability(round_),
        "rankings": selectors.ranking_links(round_),
    }
    if _overview_only(request):
        overview = round_overview(round_)
        context = {
            **base,
            "overview": overview,
            "row_count": overview.row_count,
            "result_count": overview.result_count,
        }
        return render(request, "results/round_overview.html", context)
    # Whole tables up to RESULTS_PAGE_MAX_ROWS rows in all; past that, the first rows of each.
    page = selectors.round_page(
        round_,
        entries,
        sort=_sort(request),
        max_rows=settings.RESULTS_PAGE_MAX_ROWS,
        preview_rows=settings.RESULTS_TABLE_PREVIEW_ROWS,
        only=filterset.narrowing(),
    )
    context = {
        **base,
        "tables": _tables(request, page.tables),
        "result_count": page.result_count,
        "row_count": page.row_count,
        "compare_url": grid.compare_url(),
        "table_query": _without(request, "show"),
    }
    return render(request, "results/round_detail.html", context)


def _without(request: HttpRequest, name: str) -> str:
    query = request.GET.copy()
    query.pop(name, None)
    return query.urlencode()


@require_safe
@cache_round_page(TABLE_PARAMS, round_vocabulary, FREE_TEXT)
def round_table(request: HttpRequest, version: str, table: str) -> HttpResponse:
    """One table of a round, all its rows, paginated (linked from a cut table)."""
    round_ = _round(request, version)
    filterset, entries = _filtered_entries(request, round_)
    page = selectors.table_page(
        round_,
        table,
        entries,
        sort=_sort(request),
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
        "views": _views(request),
        "view": _view(request),
        "compare_url": grid.compare_url(),
    }
    return render(request, "results/round_table.html", context)


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
@cache_round_page(frozenset({"view"}), round_vocabulary)
def round_ranking(
    request: HttpRequest, version: str, benchmark: str, scenario: str
) -> HttpResponse:
    """One benchmark and scenario across every table of the round, best first."""
    round_ = _round(request, version)
    ranking = selectors.ranking(round_, benchmark, scenario, view=_view(request))
    return render(
        request,
        "results/round_ranking.html",
        {
            "round": round_,
            "draft": not round_.is_published,
            "ranking": ranking,
            "view": _view(request),
            "views": _views(request),
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
