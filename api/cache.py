"""The API's responses in the round page cache (results.cache), for anonymous visitors.

A round's endpoints are stored per round generation and public state as its
pages are, so the embargo and corrections hold exactly as there: nothing is
served from the cache for a round that is not published now, and a correction
makes a new key. Only requests whose every parameter takes a value from a
closed set are stored (a choice filter, which a wrong value turns into a 400,
never stored; a page number as the pages write it), so that no run of made-up
URLs can fill the cache: a free-text part name or a page size is served afresh.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from results.cache import cache_round_page

CHOICES = frozenset(
    {"division", "system_type", "category", "submitter", "benchmark", "scenario", "software"}
)
_PAGE = re.compile(r"[1-9][0-9]{0,5}|last")


def _storable_query(request: HttpRequest) -> bool:
    for name in request.GET:
        values = request.GET.getlist(name)
        if len(values) != 1:
            return False
        if name == "page":
            if not _PAGE.fullmatch(values[0]):
                return False
        elif name not in CHOICES:
            return False
    return True


def stored(view: Callable[..., HttpResponseBase], name: str) -> Callable[..., HttpResponseBase]:
    """``view`` (a round's endpoint, ``View.as_view()``) served from the page cache."""

    def render(request: HttpRequest, version: str, origin: str) -> HttpResponseBase:
        return view(request, version=version)

    render.__name__ = f"api_{name}"  # the page key names the view
    cached = cache_round_page(CHOICES | {"page"})(render)

    def endpoint(request: HttpRequest, version: str) -> HttpResponseBase:
        if not _storable_query(request):
            return view(request, version=version)
        # The page links are absolute (DRF's): the key names the scheme and host they hold.
        # The page cache sets the validators (ETag from the key) and answers 304s itself.
        return cached(request, version, f"{request.scheme}://{request.get_host()}")

    # DRF's attributes (cls, initkwargs, csrf_exempt): drf-spectacular finds the view by them.
    return functools.update_wrapper(endpoint, view)
