"""export_results and the round page's downloads: one row per result, stable columns."""

import csv
import io
import json

import pytest
from django.core.management import call_command

pytestmark = pytest.mark.django_db

COLUMNS = [
    "round",
    "result_id",
    "division",
    "system_type",
    "category",
    "submitter",
    "system_id",
    "system_name",
    "benchmark",
    "model",
    "scenario",
    "value",
    "unit",
    "accuracy",
    "inferred",
    "compliant",
    "processor",
    "processor_count",
    "accelerator",
    "accelerator_count",
    "software",
    "power",
    "power_unit",
    "measurements",
    "comparison",
    "status",
]


def export(fmt):
    out = io.StringIO()
    call_command("export_results", round="v0.7", format=fmt, stdout=out)
    return out.getvalue()


def test_csv_export(v07):
    rows = list(csv.DictReader(io.StringIO(export("csv"))))
    assert list(rows[0]) == COLUMNS
    assert len(rows) == 1205
    nettrix = next(
        r
        for r in rows
        if r["system_id"] == "T4x16_TRT"
        and r["submitter"] == "Nettrix"
        and r["benchmark"] == "bert-99.9"
        and r["scenario"] == "Server"
    )
    assert nettrix | {"result_id": "", "system_name": "", "processor": "", "software": ""} == {
        "round": "v0.7",
        "result_id": "",
        "division": "closed",
        "system_type": "datacenter",
        "category": "available",
        "submitter": "Nettrix",
        "system_id": "T4x16_TRT",
        "system_name": "",
        "benchmark": "bert-99.9",
        "model": "bert-99.9",
        "scenario": "Server",
        "value": "2947.35",
        "unit": "queries/s",
        "accuracy": nettrix["accuracy"],
        "inferred": "false",
        "compliant": "true",
        "processor": "",
        "processor_count": "2",
        "accelerator": "NVIDIA T4",
        "accelerator_count": "16",
        "software": "",
        "power": "",
        "power_unit": "",
        "measurements": "",
        "comparison": "bert-99.9:Server:queries/s",
        "status": "published",
    }
    assert sum(r["inferred"] == "true" for r in rows) == 230
    assert {r["compliant"] for r in rows if r["division"] == "open"} == {""}
    inaccel = next(
        r for r in rows if r["system_id"] == "1xU250" and r["scenario"] == "SingleStream"
    )
    assert (inaccel["value"], inaccel["unit"], inaccel["accuracy"]) == ("7.004864", "ms", "62.266")


def test_json_export(v07):
    data = json.loads(export("json"))
    assert data["round"] == "v0.7" and len(data["results"]) == 1205
    first = data["results"][0]
    assert list(first) == COLUMNS
    assert isinstance(first["value"], float) and isinstance(first["accuracy"], float)


def test_download_is_the_same_data_as_the_command(client, v07, django_assert_num_queries):
    # The round, the filter's software choices, the results, their measurements,
    # the round's comparison keys and corrections.
    with django_assert_num_queries(6):
        response = client.get("/v0.7/results.csv")
        body = b"".join(response.streaming_content).decode()
    assert response["Content-Type"].startswith("text/csv")
    assert 'filename="mlperf-inference-v0.7-results.csv"' in response["Content-Disposition"]
    assert body == export("csv").replace("\n", "\r\n")
    assert json.loads(client.get("/v0.7/results.json").content) == json.loads(export("json"))


def test_download_follows_the_filters(client, v07):
    body = b"".join(client.get("/v0.7/results.csv", {"submitter": "atos"}).streaming_content)
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert len(rows) == 4 and {r["submitter"] for r in rows} == {"Atos"}


def test_unknown_format_is_404(client, v07):
    assert client.get("/v0.7/results.xml").status_code == 404
