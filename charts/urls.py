from django.urls import path, re_path

from . import views

app_name = "charts"

urlpatterns = [
    path(
        "history/<str:family>/<str:scenario>/",
        views.history_chart,
        name="history",
    ),
    path(
        "<str:version>/<str:benchmark>/<str:scenario>/",
        views.column_chart,
        name="column",
    ),
    path(
        "<str:version>/<str:benchmark>/<str:scenario>/accuracy/",
        views.accuracy_chart,
        name="accuracy",
    ),
    # The bare SVG of a round's chart, for a paper or a slide.
    re_path(
        r"^(?P<version>[^/]+)/(?P<benchmark>[^/]+)/(?P<scenario>[^/]+)/chart\.svg$",
        views.column_chart_svg,
        name="column-svg",
    ),
]
