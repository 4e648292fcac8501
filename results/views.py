"""Public pages: thin views around one selector each."""

from __future__ import annotations

import csv
import json
from itertools import chain

from django.http import HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe
from django_tables2 import RequestConfig

from . import selectors, services
from .filters import EntryFilter
from .tables import table_for_group


@require_safe
def round_index(request):
    rounds = selectors.published_rounds()
    return render(request, "results/round_index.html", {"rounds": rounds})


def _filtered_results(request, round_):
    filterset = EntryFilter(request.GET or None, round_=round_)
    # An invalid choice (a stale link) shows the whole round with the form's error.
    entries = filterset.qs if filterset.is_bound and filterset.is_valid() else None
    return filterset, selectors.round_results(round_, entries)


def _round(request, version):
    round_ = selectors.viewable_round(version, request.user)
    # The first view after the embargo ends hands out the result IDs.
    services.ensure_numbered(round_)
    return round_


@require_safe
def round_detail(request, version):
    round_ = _round(request, version)
    filterset, results = _filtered_results(request, round_)
    tables = []
    for group in selectors.round_tables(results):
        table = table_for_group(group)
        # One "sort" parameter for every table: a benchmark column sorts them all.
        RequestConfig(request, paginate=False).configure(table)
        tables.append(table)
    context = {
        "round": round_,
        "draft": not round_.is_published,
        "filter": filterset,
        "tables": tables,
        "result_count": len(results),
        "row_count": sum(len(t.rows) for t in tables),
        "query": request.GET.urlencode(),
    }
    return render(request, "results/round_detail.html", context)


class _Echo:
    def write(self, value):
        return value


@require_safe
def round_download(request, version, fmt):
    round_ = _round(request, version)
    _, results = _filtered_results(request, round_)
    rows = selectors.export_rows(results)
    filename = f"mlperf-inference-{round_.version}-results.{fmt}"
    if fmt == "json":
        data = [selectors.json_row(row) for row in rows]
        response = HttpResponse(
            json.dumps({"round": round_.version, "results": data}, indent=1),
            content_type="application/json",
        )
    else:
        writer = csv.writer(_Echo())
        header = [writer.writerow(selectors.EXPORT_COLUMNS)]
        body = (
            writer.writerow([selectors.csv_value(row[c]) for c in selectors.EXPORT_COLUMNS])
            for row in rows
        )
        response = StreamingHttpResponse(
            chain(header, body), content_type="text/csv; charset=utf-8"
        )
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_safe
def system_detail(request, version, division, submitter, folder_id):
    system = selectors.system_detail(version, division, submitter, folder_id, request.user)
    return render(
        request,
        "results/system_detail.html",
        {"system": system, "draft": not system.round.is_published},
    )


@require_safe
def round_changes(request, version):
    round_ = _round(request, version)
    corrections = selectors.round_corrections(round_)
    return render(
        request,
        "results/round_changes.html",
        {"round": round_, "corrections": corrections, "draft": not round_.is_published},
    )


@require_safe
def result_id(request, result_id):
    entry = selectors.published_entry(result_id)
    return redirect(entry.system.get_absolute_url() + f"#{entry.result_id}")
