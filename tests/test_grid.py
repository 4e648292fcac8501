"""The round grid (results/grid.py): the sort in force on its header, blanks last both ways,
the per-accelerator view, and the compare form when the compare app is there."""

import re

import pytest

from results.models import Entry

pytestmark = pytest.mark.django_db

URL = "/v0.7/"


def th_for(html, sort_link):
    return re.search(rf'<th([^>]*)><a href="\?[^"]*sort={re.escape(sort_link)}#', html)


@pytest.mark.parametrize(
    ("sort", "column", "direction", "next_link"),
    [
        ("resnet-Offline", "resnet-Offline", "descending", "-resnet-Offline"),  # best first
        ("-resnet-Offline", "resnet-Offline", "ascending", "resnet-Offline"),
        ("resnet-SingleStream", "resnet-SingleStream", "ascending", "-resnet-SingleStream"),
        ("-resnet-SingleStream", "resnet-SingleStream", "descending", "resnet-SingleStream"),
        ("submitter", "submitter", "ascending", "-submitter"),
        ("-submitter", "submitter", "descending", "submitter"),
    ],
)
def test_the_header_shows_the_direction_in_force(client, v07, sort, column, direction, next_link):
    html = client.get(URL, {"sort": sort}).content.decode()
    th = th_for(html, next_link)
    assert th is not None, f"no header linking to sort={next_link}"
    attrs = th.group(1)
    assert f'aria-sort="{direction}"' in attrs
    assert ("asc" if direction == "ascending" else "desc") in attrs.split('"')[1].split()
    # Only the column in force says so: once in each table that has it.
    tables = html.count('<table class="results grid')
    with_column = len(re.findall(rf"sort={re.escape(next_link)}#", html))
    assert html.count("aria-sort=") == with_column <= tables


def values_of(response, slug, name):
    table = next(t for t in response.context["tables"] if t.group.slug == slug)
    return [getattr(row.cells.get(name), "value", None) for row in table.group.rows]


@pytest.mark.parametrize("sort", ["resnet-Server", "-resnet-Server"])
def test_blanks_are_last_in_both_directions(client, v07, sort):
    values = values_of(
        client.get(URL, {"sort": sort}), "closed-datacenter-available", "resnet-Server"
    )
    present = [v for v in values if v is not None]
    assert len(present) < len(values)  # the table has blanks in this column
    assert values[: len(present)] == present
    assert present == sorted(present, reverse=not sort.startswith("-"))


@pytest.mark.parametrize("sort", ["accelerator", "-accelerator"])
def test_blank_row_columns_are_last_in_both_directions(client, v07, sort):
    response = client.get(URL, {"sort": sort})
    table = next(t for t in response.context["tables"] if t.group.slug == "open-edge-available")
    names = [
        row.system.accelerator.name if row.system.accelerator else None for row in table.group.rows
    ]
    present = [n for n in names if n is not None]
    assert len(present) < len(names) and names[: len(present)] == present


def test_per_accelerator_divides_throughput_by_chips_and_leaves_latency(client, v07):
    response = client.get(URL, {"view": "per-accelerator", "submitter": "dellemc"})
    html = response.content.decode()
    assert "samples/s per accel." in html and "ms (latency, as published)" in html
    table = next(
        t for t in response.context["tables"] if t.group.slug == "closed-datacenter-available"
    )
    row = next(
        r for r in table.group.rows if r.cells.get("resnet-Offline") and r.system.accelerator_count
    )
    cell = row.cells["resnet-Offline"]
    chips = (row.system.nodes or 1) * row.system.accelerator_count
    assert f'title="{cell.value / chips!r} samples/s per accelerator"' in html
    assert f"÷ {chips} accel." in html
    assert "Per accelerator</strong>" in html  # the toggle says which view is in force


def test_the_ranking_per_accelerator_is_ranked_by_it(client, v07):
    response = client.get("/v0.7/rank/resnet/Offline/", {"view": "per-accelerator"})
    ranked = response.context["ranking"].results
    figures = [r.per_accelerator for r in ranked]
    present = [f for f in figures if f is not None]
    assert present == sorted(present, reverse=True)
    assert figures[: len(present)] == present  # no accelerator: last
    assert "samples/s per accelerator" in response.content.decode()


def test_rows_can_be_ticked_for_the_compare_page(client, v07):
    html = client.get(URL, {"submitter": "nvidia"}).content.decode()
    form = html.split('<form method="get" action="/compare/"', 1)[1].split("</form>", 1)[0]
    ids = re.findall(r'<input type="checkbox" name="ids" value="([^"]+)"', form)
    expected = Entry.objects.filter(
        system__round=v07, system__submitter__slug="nvidia", result_count__gt=0
    ).values_list("result_id", flat=True)
    assert sorted(ids) == sorted(expected)
    assert "Compare selected</button>" in form


def test_llm_figures_read_with_their_ttft_and_tpot(client):
    """Issue 10: tokens/s with TTFT and TPOT beside them, from the same measurement query."""
    from results.models import Measurement
    from tests.factories import make_result, make_round, make_system

    round_ = make_round("v5.1", version="v9.5", published_at="2025-09-09T00:00:00Z")
    system = make_system(round_, "Acme", "box1", name="Acme Box")
    result = make_result(system, "llama2-70b-99", "Server", 32027.6)
    for kind, value in (("ttft_p99", 1755.26), ("tpot_p99", 198.31)):
        Measurement.objects.create(result=result, kind=kind, value=value, unit="ms")
    make_result(system, "llama2-70b-99", "Offline", 34520.4)  # no token latencies: none shown
    html = client.get("/v9.5/", {"show": "tables"}).content.decode()
    cells = re.findall(r'<span class="pw tok">(.*?)</span>\s*</td>', html, re.S)
    assert len(cells) == 1
    text = re.sub(r"<[^>]+>", "", cells[0])
    assert text == "TTFT 1,755.26 ms · TPOT 198.31 ms"
