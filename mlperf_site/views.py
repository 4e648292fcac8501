from django.http import HttpRequest, HttpResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe


@require_safe
@never_cache
def healthz(request: HttpRequest) -> HttpResponse:
    """Liveness probe for the proxy and orchestration: the process answers."""
    return HttpResponse("ok", content_type="text/plain; charset=utf-8")
