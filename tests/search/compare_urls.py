"""The site's URLs plus a stand-in for the compare app's accelerator page (another branch)."""

from django.http import HttpResponse
from django.urls import include, path

from mlperf_site.urls import urlpatterns as site

compare = (
    [path("accelerators/<slug:slug>/", lambda r, slug: HttpResponse(slug), name="accelerator")],
    "compare",
)
urlpatterns = [path("compare/", include(compare)), *site]
