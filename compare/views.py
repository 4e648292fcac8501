"""Compare and history pages: thin views around one selector each."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors


@require_safe
def compare(request: HttpRequest) -> HttpResponse:
    """Up to six published results side by side; the query string is the permalink."""
    raw = [value for value in request.GET.getlist("ids") if value.strip()]
    context: dict[str, object] = {
        "raw_ids": raw,
        "min_picks": selectors.MIN_PICKS,
        "max_picks": selectors.MAX_PICKS,
        "views": selectors.VIEWS,
        "view": selectors.PUBLISHED,
    }
    status = 200
    try:
        view = context["view"] = selectors.parse_view(request.GET.get("view"))
        ids = selectors.parse_ids(raw)
        context["comparison"] = selectors.comparison(ids, view)
    except selectors.CompareError as error:
        context["error"] = error.message
        # What was typed, each with a link that drops it, so that the visitor can mend it.
        context["typed"] = [
            (value, selectors.compare_query([v for v in raw if v != value])) for value in raw
        ]
        status = error.status
    return render(request, "compare/compare.html", context, status=status)


@require_safe
def accelerators(request: HttpRequest) -> HttpResponse:
    links = selectors.accelerator_index()
    return render(request, "compare/accelerators.html", {"accelerators": links})


@require_safe
def accelerator(request: HttpRequest, slug: str) -> HttpResponse:
    history = selectors.accelerator_history(slug)
    return render(request, "compare/accelerator.html", {"history": history})


@require_safe
def family(request: HttpRequest, submitter: str, folder_id: str) -> HttpResponse:
    family = selectors.system_family(submitter, folder_id)
    return render(request, "compare/family.html", {"family": family})
