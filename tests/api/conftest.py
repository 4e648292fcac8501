"""The API's tests: every response read through ``api_get`` is validated against the
OpenAPI document the site generates (drf-spectacular), with openapi-core."""

from __future__ import annotations

import json

import pytest


@pytest.fixture(scope="session")
def openapi_document() -> dict:
    from drf_spectacular.generators import SchemaGenerator

    # The document /api/v1/schema/ serves, as JSON would carry it (dates, enums as strings).
    return json.loads(json.dumps(SchemaGenerator().get_schema(request=None, public=True)))


@pytest.fixture(scope="session")
def openapi(openapi_document):
    from openapi_core import OpenAPI

    # from_dict validates the document itself (openapi-spec-validator) first.
    return OpenAPI.from_dict(openapi_document)


@pytest.fixture
def api_get(client, openapi):
    """GET a path of the API; the response, validated against the OpenAPI document."""
    from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse

    def get(path: str, params: dict | None = None, *, on=None, headers: dict | None = None):
        response = (on or client).get(path, params or {}, headers=headers)
        if response.status_code != 304:
            openapi.validate_response(
                DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response)
            )
        return response

    return get
