from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views
from .cache import stored

app_name = "api"

urlpatterns = [
    path("rounds/", views.RoundList.as_view(), name="rounds"),
    path("rounds/<str:version>/", stored(views.RoundDetail.as_view(), "round"), name="round"),
    path(
        "rounds/<str:version>/benchmarks/",
        stored(views.BenchmarkList.as_view(), "benchmarks"),
        name="benchmarks",
    ),
    path(
        "rounds/<str:version>/systems/",
        stored(views.SystemList.as_view(), "systems"),
        name="systems",
    ),
    path(
        "rounds/<str:version>/results/",
        stored(views.ResultList.as_view(), "results"),
        name="results",
    ),
    path(
        "rounds/<str:version>/corrections/",
        stored(views.CorrectionList.as_view(), "corrections"),
        name="corrections",
    ),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
]
