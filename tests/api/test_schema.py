"""The OpenAPI document and its browsable docs (Swagger UI from static/, under the CSP)."""

import re

import pytest

from mlperf_site import settings as site_settings

ENDPOINTS = {
    "/api/v1/rounds/",
    "/api/v1/rounds/{version}/",
    "/api/v1/rounds/{version}/benchmarks/",
    "/api/v1/rounds/{version}/systems/",
    "/api/v1/rounds/{version}/results/",
    "/api/v1/rounds/{version}/corrections/",
}


def test_the_document_names_every_endpoint_read_only(openapi_document):
    paths = openapi_document["paths"]
    assert set(paths) == ENDPOINTS
    for path, operations in paths.items():
        assert set(operations) == {"get"}, path
        responses = operations["get"]["responses"]
        assert {"200", "400", "404"} <= set(responses), path


def test_lists_document_their_pages_and_filters(openapi_document):
    results = openapi_document["paths"]["/api/v1/rounds/{version}/results/"]["get"]
    names = {p["name"] for p in results["parameters"]}
    assert {"page", "page_size", "division", "category", "system_type", "benchmark"} <= names
    assert {"scenario", "submitter", "accelerator", "processor", "software"} <= names
    page = openapi_document["components"]["schemas"]["PaginatedResultList"]
    assert {"count", "next", "previous", "results"} <= set(page["properties"])


@pytest.mark.django_db
def test_the_schema_is_served_as_json(client, openapi_document):
    response = client.get("/api/v1/schema/", {"format": "json"})
    assert response.status_code == 200
    assert response.json()["paths"].keys() == openapi_document["paths"].keys()


@pytest.mark.django_db
def test_the_docs_page_has_no_inline_script_or_style_and_its_files_are_static(client):
    response = client.get("/api/v1/docs/")
    assert response.status_code == 200
    html = response.content.decode()
    # The site's policy, and data: images for Swagger UI's icons (api.views.DocsView).
    policy = f"{site_settings.CONTENT_SECURITY_POLICY}; img-src 'self' data:"
    assert response["Content-Security-Policy"] == policy
    assert "<style" not in html and "style=" not in html
    scripts = re.findall(r"<script([^>]*)>(.*?)</script>", html, re.S)
    assert scripts and all('src="' in attrs and not body.strip() for attrs, body in scripts)
    # Every file from this site (no CDN), and every one served.
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert all(s.startswith("/") for s in sources), sources
    for source in sources:
        if source.startswith("/static/"):
            served = client.get(source)
            assert served.status_code == 200, source
            b"".join(served.streaming_content) if served.streaming else served.content
    init = client.get("/api/v1/docs/", {"script": ""})
    assert init.status_code == 200 and init["Content-Type"].startswith("application/javascript")
    assert "/api/v1/schema/" in init.content.decode()


@pytest.mark.django_db
def test_the_site_links_the_api_docs(client):
    assert b'href="/api/v1/docs/"' in client.get("/").content
