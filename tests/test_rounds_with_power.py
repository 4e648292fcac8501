"""A round with power, imported from its bundled tree: its pages and downloads show power."""

import csv
import io

import pytest
from django.core.management import call_command

from results.models import Measurement, Result, Round

pytestmark = pytest.mark.slow


@pytest.fixture
def v10(db):
    call_command("load_bundled_round", "v1.0", verbosity=0, stdout=io.StringIO())
    return Round.objects.get(version="v1.0")


def test_v1_0_imports_with_its_power_figures(v10):
    results = Result.objects.for_round(v10)
    assert results.count() == 1994
    assert results.filter(entry__system__division="closed").count() == 954
    assert results.filter(inferred=True).count() == 521
    power = Measurement.objects.filter(result__in=results, kind__in=["power", "energy"])
    assert power.count() == 862
    assert set(power.values_list("unit", flat=True)) == {"W", "J/query"}


def test_the_export_has_power_columns(v10, client):
    body = b"".join(client.get("/v1.0/results.csv").streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 1994
    with_power = [r for r in rows if r["power"]]
    assert len(with_power) == 862
    row = next(
        r
        for r in with_power
        if r["system_id"] == "A100-PCIex8_TRT_MaxQ"
        and r["model"] == "resnet50"
        and r["scenario"] == "Server"
    )
    assert row["power_unit"] == "W"
    assert "power=" in row["measurements"] and "latency_p99=" in row["measurements"]
    assert all(r["power_unit"] == "" for r in rows if not r["power"])


def test_pages_show_power_and_the_index_lists_every_round(v10, client):
    index = client.get("/").content.decode()
    assert index.index("MLPerf Inference v1.0") < index.index("MLPerf Inference v0.7")  # newest
    page = client.get("/v1.0/", {"show": "tables"}).content.decode()
    assert 'class="pw"' in page and ">Per watt</a>" in page
    per_watt = client.get("/v1.0/", {"show": "tables", "view": "per-watt"}).content.decode()
    assert "per W" in per_watt and ">As published</a>" in per_watt
    system = v10.systems.get(folder_id="A100-PCIex8_TRT_MaxQ")
    detail = client.get(system.get_absolute_url()).content.decode()
    assert "Power" in detail and " W</div>" in detail
