from django.urls import path

from . import views

app_name = "submissions"

urlpatterns = [
    path("", views.index, name="index"),
    path("new/", views.upload, name="upload"),
    path("<uuid:pk>/", views.detail, name="detail"),
    path("<uuid:pk>/report/", views.report, name="report"),
    path("<uuid:pk>/report.json", views.report_json, name="report-json"),
    path("<uuid:pk>/preview/", views.preview_page, name="preview"),
    path("<uuid:pk>/archive", views.archive, name="archive"),
    path("rounds/<str:version>/<slug:submitter>/", views.versions, name="versions"),
    path("rounds/<str:version>/<slug:submitter>/compare/", views.compare, name="compare"),
]
