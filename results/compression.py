"""Gzip for what anyone may see, and nothing else.

A compressed response that reflects an attacker's input beside a secret leaks
the secret through its length (BREACH). So only anonymous responses without a
CSRF token or a cookie are compressed: the public pages and downloads, which
hold no secret. A visitor with a session cookie, a page that rendered a CSRF
token (a form that posts), a response that sets a cookie or is private: sent
as they are.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponseBase
from django.middleware.gzip import GZipMiddleware


def may_compress(request: HttpRequest, response: HttpResponseBase) -> bool:
    if settings.SESSION_COOKIE_NAME in request.COOKIES:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE") or response.cookies:
        return False
    return "private" not in response.get("Cache-Control", "")


class PublicGZipMiddleware(GZipMiddleware):
    """Django's GZipMiddleware (it sets Vary: Accept-Encoding, weakens ETags), for public
    responses only (``may_compress``)."""

    def process_response(self, request, response):
        if not may_compress(request, response):
            return response
        return super().process_response(request, response)
