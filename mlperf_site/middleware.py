"""Site-wide request and response rules: impossible input refused, security headers."""

from __future__ import annotations

import re

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.utils.cache import patch_cache_control

# C0 controls and DEL: no URL of the site holds one, and PostgreSQL refuses NUL in text
# (a 500 once it reaches a query). Tabs and newlines may stand in a query value.
_PATH_CONTROLS = re.compile(r"[\x00-\x1f\x7f]")
_QUERY_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def _impossible(request: HttpRequest) -> bool:
    if _PATH_CONTROLS.search(request.path):
        return True
    return any(
        _QUERY_CONTROLS.search(key) or any(_QUERY_CONTROLS.search(v) for v in values)
        for key, values in request.GET.lists()
    )


class RejectImpossibleInput:
    """A path or query parameter with a control character is a 400, before any view."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _impossible(request):
            if request.path.startswith("/api/"):  # the API's clients read JSON (api.views)
                return JsonResponse({"detail": "Control characters in the address."}, status=400)
            return HttpResponseBadRequest(
                "Bad request: control characters in the address.",
                content_type="text/plain; charset=utf-8",
            )
        return self.get_response(request)


class SecurityHeaders:
    """A Content-Security-Policy on every response; pages for a logged-in user are
    never kept by a browser or a shared cache (they may hold drafts or uploads)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        response.setdefault("Content-Security-Policy", settings.CONTENT_SECURITY_POLICY)
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Replaces any max-age or public a view set: "private, no-store" wins.
            response.headers.pop("Cache-Control", None)
            patch_cache_control(response, private=True, no_store=True)
        return response
