from django.urls import path

from . import views

app_name = "compare"

urlpatterns = [
    # The round table's "compare the ticked rows" form sends ?ids=<result id>&ids=... here.
    path("compare/", views.compare, name="compare"),
    path("accelerators/", views.accelerators, name="accelerators"),
    path("accelerators/<slug:slug>/", views.accelerator, name="accelerator"),
    path("systems/<slug:submitter>/<str:folder_id>/", views.family, name="family"),
]
