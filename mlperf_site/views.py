import logging
import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpRequest, HttpResponse
from django.views import defaults
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

# Seconds a client is asked to wait when the database cannot be reached.
RETRY_AFTER = 30


def _unavailable() -> HttpResponse:
    response = HttpResponse(
        "The site cannot reach its database; try again shortly.",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = str(RETRY_AFTER)
    response["Cache-Control"] = "no-store"
    return response


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe for the proxy and orchestration: the process answers."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


@require_safe
@never_cache
def readyz(request: HttpRequest) -> HttpResponse:
    """Readiness probe: the process answers and its database does too."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        logger.exception("readiness check: the database does not answer")
        return _unavailable()
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")


def server_error(request: HttpRequest) -> HttpResponse:
    """handler500: a lost (or locked) database is a 503 with Retry-After, not a 500.

    Django calls it inside the handling of the exception, so sys.exc_info() is it.
    """
    exc = sys.exc_info()[1]
    if isinstance(exc, OperationalError | InterfaceError):
        return _unavailable()
    return defaults.server_error(request)
