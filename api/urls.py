from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from . import views

app_name = "api"

urlpatterns = [
    path("rounds/", views.RoundList.as_view(), name="rounds"),
    path("rounds/<str:version>/", views.RoundDetail.as_view(), name="round"),
    path("rounds/<str:version>/benchmarks/", views.BenchmarkList.as_view(), name="benchmarks"),
    path("rounds/<str:version>/systems/", views.SystemList.as_view(), name="systems"),
    path("rounds/<str:version>/results/", views.ResultList.as_view(), name="results"),
    path("rounds/<str:version>/corrections/", views.CorrectionList.as_view(), name="corrections"),
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", views.DocsView.as_view(url_name="api:schema"), name="docs"),
]
