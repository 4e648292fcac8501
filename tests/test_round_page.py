"""The round page: tables per (system type, division, category), filters, sorting, queries."""

import re
from datetime import timedelta

import pytest
from django.utils import timezone

from results.models import Round

pytestmark = pytest.mark.django_db

URL = "/v0.7/"
TABLES = {"show": "tables"}
# Every table on one page: the round, the filters' choices, the comparability and the
# ranking links, a count of each table's rows, and round_results (rows with their systems,
# results, and four lookup tables: benchmarks, scenarios, system types, categories).
TABLES_QUERIES = 19


def table_titles(html):
    return re.findall(r'<section id="[^"]+" class="results-section">\s*<h2>([^<]+)</h2>', html)


def row_ids(html, section):
    part = html.split(f'<section id="{section}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<td class="id"><a href="/id/[^"]+" id="([^"]+)"', part)


def test_round_page_lists_every_table_in_order(client, v07, django_assert_num_queries):
    with django_assert_num_queries(TABLES_QUERIES):
        response = client.get(URL, TABLES)
    assert response.status_code == 200
    html = response.content.decode()
    assert table_titles(html) == [
        "Datacenter, Closed division, Available",
        "Datacenter, Closed division, Preview",
        "Datacenter, Closed division, Research, Development, or Internal",
        "Datacenter, Open division, Available",
        "Datacenter, Open division, Research, Development, or Internal",
        "Edge, Closed division, Available",
        "Edge, Closed division, Research, Development, or Internal",
        "Edge, Open division, Available",
        "Edge, Open division, Research, Development, or Internal",
    ]
    assert "321 rows and 1,205 results" in html
    # All rows are shown: no pagination.
    assert len(re.findall(r'<td class="id">', html)) == 321


def test_query_count_does_not_grow_with_rows(client, v07, django_assert_num_queries):
    # Fewer rows, the same queries (one more to resolve the filter's choice).
    with django_assert_num_queries(TABLES_QUERIES + 1):
        response = client.get(URL, {"submitter": "atos"})
    html = response.content.decode()
    assert len(re.findall(r'<td class="id">', html)) == 1
    assert "1 row and 4 results match the filters" in html


def test_columns_are_the_benchmarks_and_scenarios_a_table_has(client, v07):
    html = client.get(URL, {"division": "closed", "system_type": "edge"}).content.decode()
    edge = html.split('<section id="closed-edge-available"', 1)[1].split("</section>")[0]
    headers = re.findall(r'<span class="bm">([^<]+)</span> <span class="sc">([^<]+)</span>', edge)
    assert headers[:4] == [
        ("resnet", "Single stream"),
        ("resnet", "Multi stream"),
        ("resnet", "Offline"),
        ("ssd-small", "Single stream"),
    ]
    assert ("dlrm-99", "Offline") not in headers  # not an edge benchmark
    assert '<span class="unit">ms</span>' in edge
    assert "Model" not in edge.split("<tbody")[0]


def test_open_tables_add_model_accuracy_and_notes(client, v07):
    html = client.get(URL, {"division": "open", "submitter": "inaccel"}).content.decode()
    head = html.split('class="results-section"')[1].split("<tbody")[0]
    for header in (">Model<", ">Accuracy<", ">Notes<"):
        assert header in head
    assert "62.266" in html
    # The metric, the value as reported, its target; for every open row.
    assert "Top-1 62.266% (target ≥ 75.6954%; below the target)" in html


@pytest.mark.parametrize(
    ("params", "rows"),
    [
        ({"submitter": "nvidia"}, 23),
        ({"accelerator": "NVIDIA T4"}, None),
        ({"benchmark": "dlrm-99"}, None),
        ({"division": "open", "category": "rdi"}, 9),
        ({"software": "TFLite v2.2.0 (ruy)"}, None),
    ],
)
def test_filters(client, v07, params, rows):
    response = client.get(URL, params)
    assert response.status_code == 200
    html = response.content.decode()
    count = len(re.findall(r'<td class="id">', html))
    assert 0 < count < 321 if rows is None else count == rows
    for key, value in params.items():
        if key == "accelerator":
            assert f'name="accelerator" value="{value}"' in html
        else:
            assert f'value="{value}" selected' in html or key == "software"


def test_benchmark_filter_keeps_whole_rows(client, v07):
    html = client.get(URL, {"benchmark": "dlrm-99", "submitter": "inspur"}).content.decode()
    # The matching row still shows its other benchmarks.
    assert "ResNet" in html or "resnet" in html
    assert len(re.findall(r'<td class="id">', html)) == 2


def test_a_stale_filter_value_shows_everything_with_an_error(client, v07):
    response = client.get(URL, {"submitter": "nobody"})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Select a valid choice" in html
    assert len(re.findall(r'<td class="id">', html)) == 321


def column_values(response, slug, column):
    table = next(t for t in response.context["tables"] if t.group.slug == slug)
    cells = [row.cells.get(column) for row in table.group.rows]
    return [cell.value if cell else None for cell in cells]


def test_sorting_by_a_result_column_puts_the_best_first(client, v07):
    response = client.get(URL, {"sort": "resnet-Offline"})
    ids = row_ids(response.content.decode(), "closed-datacenter-available")
    assert ids[0] == "0.7-080"  # QCT D52G, 10x A100: the highest resnet Offline figure
    values = column_values(response, "closed-datacenter-available", "resnet-Offline")
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=True)  # throughput: highest first
    assert values[len(present) :] == [None] * (len(values) - len(present))  # blanks last

    # Latency: lowest first, blanks still last; and every table on the page is sorted.
    response = client.get(URL, {"sort": "resnet-SingleStream"})
    for slug in ("closed-edge-available", "open-edge-available"):
        values = column_values(response, slug, "resnet-SingleStream")
        present = [v for v in values if v is not None]
        assert present == sorted(present) and values[: len(present)] == present

    # The second click reverses: worst first, and blanks are still last.
    response = client.get(URL, {"sort": "-resnet-SingleStream"})
    values = column_values(response, "closed-edge-available", "resnet-SingleStream")
    present = [v for v in values if v is not None]
    assert present == sorted(present, reverse=True) and values[: len(present)] == present


def test_header_links_keep_the_filters(client, v07):
    html = client.get(URL, {"submitter": "nvidia"}).content.decode()
    assert 'href="?submitter=nvidia&amp;sort=resnet-Offline#closed-datacenter-available"' in html


def test_unpublished_round_is_not_public(client, v07):
    Round.objects.filter(pk=v07.pk).update(published_at=timezone.now() + timedelta(days=1))
    assert client.get(URL).status_code == 404
    assert client.get("/v0.7/results.csv").status_code == 404
    assert client.get("/v0.7/closed/nvidia/T4x1_TRT/").status_code == 404
    assert client.get("/id/0.7-001").status_code == 404
    assert "v0.7" not in client.get("/").content.decode()


def test_rounds_index(client, v07, django_assert_num_queries):
    with django_assert_num_queries(1):
        html = client.get("/").content.decode()
    assert "MLPerf Inference v0.7" in html
    assert '<td class="num">111</td>' in html and '<td class="num">1,205</td>' in html


def test_round_results_show_systems_as_the_models_do(v07):
    """round_results reads values, not models: its rows must agree with System's own
    links, including a folder name that needs quoting."""
    from results.models import System
    from results.selectors import round_results

    odd = System.objects.filter(round=v07).order_by("pk").first()
    odd.folder_id = "odd name ü%#?&+"
    odd.save(update_fields=["folder_id"])
    shown = {result.entry.system.id: result.entry.system for result in round_results(v07)}
    systems = System.objects.filter(round=v07, pk__in=shown).select_related("round", "submitter")
    assert len(systems) == len(shown) == 111
    for system in systems:
        assert shown[system.pk].get_absolute_url() == system.get_absolute_url()
        assert shown[system.pk].code_url == system.code_url
    assert "odd%20name%20%C3%BC%25%23%3F&+" in shown[odd.pk].get_absolute_url()


def test_round_page_starts_from_an_overview(client, v07, django_assert_num_queries):
    # The round, the filters' choices, comparability, ranking links, the rows per table
    # and the best result per table x column (a window function): any number of rows.
    with django_assert_num_queries(12):
        response = client.get(URL)
    html = response.content.decode()
    assert "321 rows and 1,205 results in 9 tables" in html
    assert "About this round" in html
    assert '<td class="id">' not in html  # no full tables
    section = html.split('<section id="closed-datacenter-available"', 1)[1].split("</section>")[0]
    assert 'href="/v0.7/tables/closed-datacenter-available/"' in section
    assert "42 rows" in section
    # Best resnet Offline of the table, linking to the round's ranking.
    best = section.split('href="/v0.7/rank/resnet/Offline/"', 1)[1].split("</tr>")[0]
    assert "D52G 10xA100-PCIe" in best
    assert 'href="?show=tables"' in html


def test_overview_queries_do_not_grow_with_rows(client, v07, django_assert_num_queries):
    from results.models import Entry

    Entry.objects.filter(system__round=v07, system__division="open").update(result_count=0)
    with django_assert_num_queries(12):
        assert client.get(URL).status_code == 200
