"""Every endpoint, its responses validated against the OpenAPI document (conftest.api_get):
contents, agreement with the downloads, pagination and caching headers."""

import pytest

from results import services
from results.models import Result

ROUND = "/api/v1/rounds/v0.7/"


def all_pages(api_get, path, params=None, page_size=100):
    """Every item of a list, page by page, following ``next``."""
    items, page = [], 1
    while True:
        response = api_get(path, {**(params or {}), "page": page, "page_size": page_size})
        assert response.status_code == 200, response.content
        body = response.json()
        items += body["results"]
        if body["next"] is None:
            assert len(items) == body["count"]
            return items
        assert f"page={page + 1}" in body["next"]
        page += 1


@pytest.mark.django_db
def test_rounds_list_and_detail(api_get, v07):
    body = api_get("/api/v1/rounds/").json()
    assert [r["version"] for r in body["results"]] == ["v0.7"]
    listed = body["results"][0]
    assert listed["result_count"] == Result.objects.for_round(v07).count()
    assert listed["links"]["results"] == ROUND + "results/"
    assert listed["links"]["csv"] == "/v0.7/results.csv"
    detail = api_get(ROUND).json()
    assert {c["slug"] for c in detail["categories"]} == {"available", "preview", "rdi"}
    assert [s["name"] for s in detail["scenarios"]][-1] == "Offline"
    assert api_get("/api/v1/rounds/v0.0/").status_code == 404


@pytest.mark.django_db
def test_benchmarks_carry_scenarios_units_and_direction(api_get, v07):
    body = api_get(ROUND + "benchmarks/").json()
    resnet = next(b for b in body["results"] if b["id"] == "resnet")
    single = next(s for s in resnet["scenarios"] if s["name"] == "SingleStream")
    assert (single["unit"], single["better"]) == ("ms", "lower")
    offline = next(s for s in resnet["scenarios"] if s["name"] == "Offline")
    assert (offline["unit"], offline["better"]) == ("samples/s", "higher")
    assert offline["comparison_key"] == "resnet50:Offline:samples/s"


@pytest.mark.django_db
def test_systems_name_their_parts_canonically(api_get, client, v07):
    systems = all_pages(api_get, ROUND + "systems/")
    assert len(systems) == v07.systems.count()
    t4 = next(s for s in systems if s["accelerator"] and "T4" in s["accelerator"]["name"])
    assert t4["accelerator"]["canonical_name"] == "NVIDIA T4"
    assert t4["accelerator_count"] and t4["nodes"] is not None
    assert t4["page"].startswith("/v0.7/") and t4["result_ids"]
    assert client.get(t4["page"]).status_code == 200


@pytest.mark.django_db
@pytest.mark.parametrize("query", [{}, {"division": "open"}, {"benchmark": "resnet"}])
def test_results_are_the_download_rows_page_by_page(api_get, client, v07, query):
    download = client.get("/v0.7/results.json", query).json()["results"]
    pages = all_pages(api_get, ROUND + "results/", query, page_size=250)
    metrics = [row.pop("accuracy_metrics") for row in pages]
    assert pages == download
    assert any(m and m[0]["metric"] == "Top-1" for m in metrics)


@pytest.mark.django_db
def test_results_show_corrections_as_the_download_does(api_get, client, v07):
    results = Result.objects.for_round(v07).visible().order_by("pk")
    withdrawn, corrected = results[0], results[1]
    services.withdraw_result(withdrawn, reason="Wrong log")
    services.correct_value(corrected, value=corrected.value * 2, reason="Typo")
    rows = all_pages(api_get, ROUND + "results/", page_size=1000)
    statuses = {(r["result_id"], r["benchmark"], r["scenario"]): r["status"] for r in rows}
    for result, status in ((withdrawn, "withdrawn"), (corrected, "corrected")):
        key = (result.entry.result_id, result.benchmark.slug, result.scenario.name)
        assert statuses[key] == status
    changes = api_get(ROUND + "corrections/").json()
    assert [c["kind"] for c in changes["results"]] == ["correct-value", "withdraw-result"]
    first = changes["results"][0]
    assert first["result"]["result_id"] == corrected.entry.result_id
    assert first["reason"] == "Typo" and first["system"]["submitter"]


@pytest.mark.django_db
def test_pages_are_stable_and_do_not_overlap(api_get, v07):
    small = all_pages(api_get, ROUND + "systems/", page_size=7)
    big = all_pages(api_get, ROUND + "systems/", page_size=1000)
    assert small == big
    last = api_get(ROUND + "systems/", {"page": "last", "page_size": 7}).json()
    assert last["next"] is None and last["results"] == small[-len(last["results"]) :]


@pytest.mark.django_db
def test_anonymous_responses_are_public_with_an_etag(api_get, v07):
    response = api_get(ROUND + "results/")
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    etag = response["ETag"]
    again = api_get(ROUND + "results/", headers={"If-None-Match": etag})
    assert again.status_code == 304 and not again.content
    other = api_get(ROUND + "results/", {"page": 2})
    assert other["ETag"] != etag


@pytest.mark.django_db
def test_a_logged_in_visitor_gets_the_same_data_never_stored(
    api_get, client, django_user_model, v07
):
    anonymous = api_get(ROUND + "systems/").json()
    client.force_login(django_user_model.objects.create_user("staff", is_staff=True))
    response = api_get(ROUND + "systems/")
    assert response.json() == anonymous
    assert "no-store" in response["Cache-Control"] and "public" not in response["Cache-Control"]
