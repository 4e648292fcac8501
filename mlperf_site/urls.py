from django.contrib import admin
from django.urls import include, path

from mlperf_site.accounts import ThrottledPasswordResetView
from mlperf_site.views import healthz, readyz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("readyz", readyz, name="readyz"),
    # Before results: its "<version>/" would take these prefixes.
    path(
        "accounts/password_reset/",
        ThrottledPasswordResetView.as_view(),
        name="password_reset",
    ),
    path("accounts/", include("django.contrib.auth.urls")),
    path("submissions/", include("submissions.urls")),
    path("charts/", include("charts.urls")),
    path("search/", include("search.urls")),
    path("", include("compare.urls")),
    path("api/v1/", include("api.urls")),
    path("", include("results.urls")),
]

handler500 = "mlperf_site.views.server_error"
