"""The API's filters (the round page's, with parts matched by name) and its 400s and 404s:
bad input is a clean JSON error, never a 500."""

import pytest

from results.models import Result, System

SYSTEMS = "/api/v1/rounds/v0.7/systems/"
RESULTS = "/api/v1/rounds/v0.7/results/"


def everything(api_get, path, params):
    response = api_get(path, {**params, "page_size": 1000})
    assert response.status_code == 200, response.content
    return response.json()["results"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("params", "field", "expected"),
    [
        ({"division": "open"}, "division", {"open"}),
        ({"system_type": "edge"}, "system_type", {"edge"}),
        ({"category": "preview"}, "category", {"preview"}),
        ({"submitter": "nvidia"}, "submitter", {"NVIDIA"}),
        ({"benchmark": "resnet"}, "benchmark", {"resnet"}),
        ({"scenario": "Server"}, "scenario", {"Server"}),
        ({"benchmark": "bert-99", "scenario": "Offline"}, "scenario", {"Offline"}),
    ],
)
def test_results_filters(api_get, v07, params, field, expected):
    rows = everything(api_get, RESULTS, params)
    assert rows and {row[field] for row in rows} == expected


@pytest.mark.django_db
def test_parts_match_canonical_names_in_part_and_any_case(api_get, v07):
    rows = everything(api_get, SYSTEMS, {"accelerator": "nvidia t4"})
    names = {s["accelerator"]["name"] for s in rows}
    # Submitted as "NVIDIA T4", "Tesla T4", "NVIDIA GRID T4-16Q": one canonical name.
    assert {"NVIDIA T4", "NVIDIA Tesla T4"} <= names
    assert {s["accelerator"]["canonical_name"] for s in rows} == {"NVIDIA T4"}
    expected = System.objects.filter(round=v07, accelerator__canonical_name="NVIDIA T4").count()
    assert len(rows) == expected
    epyc = everything(api_get, SYSTEMS, {"processor": "EpYc"})
    assert epyc and all("epyc" in s["processor"]["canonical_name"].lower() for s in epyc)
    results = everything(api_get, RESULTS, {"accelerator": "t4", "scenario": "Offline"})
    assert results and all("T4" in r["accelerator"] for r in results)
    assert everything(api_get, SYSTEMS, {"accelerator": "no such chip"}) == []


@pytest.mark.django_db
def test_filters_combine_and_agree_with_the_download(api_get, client, v07):
    query = {"division": "closed", "system_type": "datacenter", "benchmark": "resnet"}
    rows = everything(api_get, RESULTS, query)
    download = client.get("/v0.7/results.json", query).json()["results"]
    assert [{k: v for k, v in r.items() if k != "accuracy_metrics"} for r in rows] == download
    expected = Result.objects.for_round(v07).filter(
        entry__system__division="closed",
        entry__system__system_type__slug="datacenter",
        benchmark__slug="resnet",
        entry__system__withdrawn_at__isnull=True,
    )
    assert len(rows) == expected.count()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("path", "params", "bad"),
    [
        (RESULTS, {"benchmark": "nope"}, "benchmark"),
        (RESULTS, {"scenario": "Sideways"}, "scenario"),
        (RESULTS, {"division": "secret"}, "division"),
        (SYSTEMS, {"category": "x" * 500}, "category"),
        (SYSTEMS, {"accelerator": "x" * 201}, "accelerator"),
        (SYSTEMS, {"submitter": "'; DROP TABLE results_system; --"}, "submitter"),
        (SYSTEMS, {"acclerator": "t4"}, "acclerator"),
        ("/api/v1/rounds/", {"division": "open"}, "division"),
        ("/api/v1/rounds/v0.7/corrections/", {"benchmark": "resnet"}, "benchmark"),
        (RESULTS, {"page_size": "lots"}, "page_size"),
        (RESULTS, {"page_size": "0"}, "page_size"),
        (RESULTS, {"page_size": "5000"}, "page_size"),
    ],
)
def test_bad_input_is_a_400_that_names_it(api_get, v07, path, params, bad):
    response = api_get(path, params)
    assert response.status_code == 400
    body = response.json()
    assert body["detail"] and list(body["errors"]) == [bad]


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["abc", "0", "-1", "99999", "1e3", "9" * 40, "last2"])
def test_a_page_that_does_not_exist_is_a_404(api_get, v07, page):
    response = api_get(RESULTS, {"page": page})
    assert response.status_code == 404
    assert response.json() == {"detail": "Invalid page."}


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url",
    [
        RESULTS + "?accelerator=t4%00",
        RESULTS + "?benchmark=%00",
        "/api/v1/rounds/v0.7%00/results/",
        RESULTS + "?%00=1",
    ],
)
def test_control_characters_are_a_json_400(client, v07, url):
    response = client.get(url)
    assert response.status_code == 400
    assert response.json()["detail"]


@pytest.mark.django_db
@pytest.mark.parametrize("version", ["v0.0", "nope", "v0.7x", "é", "v" * 300])
def test_unknown_rounds_are_a_404(api_get, v07, version):
    for path in ("", "results/", "systems/"):
        response = api_get(f"/api/v1/rounds/{version}/{path}")
        assert response.status_code == 404 and response.json()["detail"]


@pytest.mark.django_db
def test_only_get_is_allowed(client, v07):
    assert client.post(RESULTS, {}).status_code in (403, 405)
    assert client.delete("/api/v1/rounds/v0.7/").status_code in (403, 405)
