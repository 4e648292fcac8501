from django.urls import path, re_path

from . import views
from .exports import FORMAT_PATTERN

app_name = "results"

urlpatterns = [
    path("", views.round_index, name="index"),
    path("id/<str:result_id>", views.result_id, name="result-id"),
    path("<str:version>/", views.round_detail, name="round"),
    path("<str:version>/changes/", views.round_changes, name="changes"),
    path("<str:version>/tables/<str:table>/", views.round_table, name="table"),
    path(
        "<str:version>/rank/<str:benchmark>/<str:scenario>/",
        views.round_ranking,
        name="ranking",
    ),
    re_path(
        rf"^(?P<version>[^/]+)/results\.(?P<fmt>{FORMAT_PATTERN})$",
        views.round_download,
        name="download",
    ),
    re_path(
        rf"^(?P<version>[^/]+)/snapshot/(?P<day>[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}})/"
        rf"results\.(?P<fmt>{FORMAT_PATTERN})$",
        views.snapshot_download,
        name="snapshot",
    ),
    path(
        "<str:version>/<str:division>/<slug:submitter>/<str:folder_id>/",
        views.system_detail,
        name="system",
    ),
]
