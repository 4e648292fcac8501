"""The search page: one form, one selector."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.views.decorators.http import require_safe

from . import selectors


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    query = " ".join(request.GET.get("q", "").split())
    if "\x00" in query:
        return HttpResponseBadRequest("A search cannot hold a NUL character.")
    if len(query) > selectors.MAX_QUERY:
        return HttpResponseBadRequest(
            f"A search is at most {selectors.MAX_QUERY} characters long.",
        )
    found = selectors.search(query) if query else None
    return render(request, "search/search.html", {"query": query, "found": found})
