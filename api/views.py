"""The public API, /api/v1/: read-only, anonymous, published rounds only.

Thin views over api.selectors. Each list is paginated (api.pagination.Pages)
in a total order; filters are the round page's (api.filters); a parameter the
API does not know, or a value the round does not have, is a 400 with a JSON
body that says which. Responses carry an ETag and, for anonymous visitors,
``Cache-Control: public, max-age``; a logged-in visitor gets the same data
with "private, no-store", as on every page of a session.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.cache import get_conditional_response, patch_cache_control, set_response_etag
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from drf_spectacular.views import SpectacularSwaggerSplitView
from rest_framework import generics
from rest_framework.request import Request
from rest_framework.response import Response

from results.filters import EntryFilter
from results.models import Entry, Round

from . import selectors, serializers
from .filters import FILTER_HELP, filter_names
from .pagination import BadQuery, Pages
from .schema import PublicSchema

# Seconds a browser or a shared cache may keep a response: corrections show within it.
MAX_AGE = 300

PAGING = frozenset({"page", "page_size", "format"})
FILTERS = filter_names()

VERSION = OpenApiParameter(
    "version", OpenApiTypes.STR, OpenApiParameter.PATH, description='A round, e.g. "v0.7".'
)


def _filter_parameters(names: frozenset[str]) -> list[OpenApiParameter]:
    return [
        OpenApiParameter(name, OpenApiTypes.STR, OpenApiParameter.QUERY, description=text)
        for name, text in FILTER_HELP.items()
        if name in names
    ]


class PublicView(generics.GenericAPIView):
    """What every endpoint shares: pages, the parameters it knows, caching headers."""

    pagination_class = Pages
    schema = PublicSchema()
    # The query parameters beside page, page_size and format.
    filters: frozenset[str] = frozenset()

    # Whether the session holds a user: DRF replaces the request's user with its own (none
    # here), so SecurityHeaders would take everyone for anonymous; asked before it does.
    logged_in = False

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        session_user = getattr(request._request, "user", None)
        self.logged_in = bool(session_user is not None and session_user.is_authenticated)
        super().initial(request, *args, **kwargs)
        # The benchmark's "render afresh" parameter, where set (benchmarks/settings.py).
        bypass = {settings.RESULTS_CACHE_BYPASS_PARAM} - {""}
        unknown = sorted(set(request.query_params) - self.filters - PAGING - bypass)
        if unknown:
            raise BadQuery(
                "Unknown query parameter.",
                {name: ["Not a parameter of this endpoint."] for name in unknown},
            )

    def finalize_response(
        self, request: Request, response: Response, *args: Any, **kwargs: Any
    ) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            response.render()
            set_response_etag(response)
            if self.logged_in:
                # The same data as anyone's, yet kept by no cache, as every page of a session.
                patch_cache_control(response, private=True, no_store=True)
            else:
                patch_cache_control(response, public=True, max_age=MAX_AGE)
            django_request: HttpRequest = request._request
            return get_conditional_response(
                django_request, etag=response["ETag"], response=response
            )
        return response

    def round(self) -> Round:
        return selectors.published_round(self.kwargs["version"])

    def filterset(self, round_: Round) -> EntryFilter | None:
        """The round page's filters on this request; None without any; a 400 if invalid."""
        query = self.request.query_params
        if not any(name in query for name in FILTERS):
            return None
        filterset = EntryFilter(query, round_=round_)
        if not filterset.is_valid():
            raise BadQuery("Invalid filter.", dict(filterset.errors))
        return filterset

    def entries(self, round_: Round) -> QuerySet[Entry] | None:
        filterset = self.filterset(round_)
        return None if filterset is None else filterset.qs


@extend_schema(summary="Published rounds, newest first")
class RoundList(PublicView, generics.ListAPIView):
    """Every round whose embargo has ended, with its counts and links."""

    serializer_class = serializers.RoundSerializer

    def get_queryset(self) -> QuerySet[Round]:
        return selectors.rounds()


@extend_schema(summary="A published round", parameters=[VERSION])
class RoundDetail(PublicView, generics.RetrieveAPIView):
    """A round, its categories and scenarios; 404 until its embargo ends."""

    serializer_class = serializers.RoundDetailSerializer

    def get_object(self) -> Round:
        return selectors.round_detail(self.kwargs["version"])


@extend_schema(summary="A round's benchmarks, with their scenarios", parameters=[VERSION])
class BenchmarkList(PublicView, generics.ListAPIView):
    """Each benchmark with its scenarios: the unit of its figure and which way is better."""

    serializer_class = serializers.BenchmarkSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.benchmarks(self.round())


@extend_schema(
    summary="A round's systems, in the tables' order",
    parameters=[VERSION, *_filter_parameters(FILTERS)],
)
class SystemList(PublicView, generics.ListAPIView):
    """Systems with a row that matches the filters (all without), withdrawn ones marked."""

    serializer_class = serializers.SystemSerializer
    filters = FILTERS

    def get_queryset(self) -> QuerySet[Any]:
        round_ = self.round()
        return selectors.systems(round_, self.entries(round_))


@extend_schema(
    summary="A round's results, as its downloads have them",
    description="The rows of the round's JSON download (the same filters give the same "
    "rows, in the same order), each with every accuracy metric of the result. Withdrawn "
    "results stay, with status withdrawn; results of a withdrawn system do not.",
    parameters=[VERSION, *_filter_parameters(FILTERS)],
)
class ResultList(PublicView, generics.ListAPIView):
    """The round's results, one row per benchmark and scenario of a system's row."""

    serializer_class = serializers.ResultSerializer
    filters = FILTERS

    def list(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        round_ = self.round()
        page = self.paginate_queryset(selectors.results(round_, self.filterset(round_)))
        return self.get_paginated_response(list(selectors.result_rows(round_, page)))


@extend_schema(summary="A round's change log, newest first", parameters=[VERSION])
class CorrectionList(PublicView, generics.ListAPIView):
    """The public change log: what changed after publication, and why."""

    serializer_class = serializers.CorrectionSerializer

    def get_queryset(self) -> QuerySet[Any]:
        return selectors.corrections(self.round())


class DocsView(SpectacularSwaggerSplitView):
    """Swagger UI from static/ (drf-spectacular-sidecar), its settings in a script file
    of their own (the split view): the site's CSP allows no inline script; the template
    is drf-spectacular's without its inline style."""

    template_name = "api/swagger_ui.html"

    @extend_schema(exclude=True)
    def get(self, request: Request, *args: Any, **kwargs: Any) -> Response:
        # drf-spectacular leaves its views' handlers unannotated.
        response: Response = super().get(request, *args, **kwargs)  # type: ignore[no-untyped-call]
        # Swagger UI's stylesheet draws its icons as data: SVG images, which the site's
        # policy (img-src from default-src 'self') blocks. Images run no script, so this
        # page alone also allows data: images; scripts and styles stay 'self' only.
        response["Content-Security-Policy"] = (
            f"{settings.CONTENT_SECURITY_POLICY}; img-src 'self' data:"
        )
        return response
