"""Charts (charts/): server-rendered SVG, well-formed and escaped, with the exact values on
hover and in a table, in a fixed number of queries; nothing embargoed."""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET

import pytest
from django.utils import timezone
from hypothesis import given, settings
from hypothesis import strategies as st

from charts import svg
from results.models import Result, Round, System
from tests.factories import make_result, make_round, make_system

pytestmark = pytest.mark.django_db

SVG = "{http://www.w3.org/2000/svg}"


def figure(html: str) -> ET.Element:
    """The page's chart, parsed as XML (so it must be well-formed)."""
    found = re.search(r"<svg .*?</svg>", html, re.S)
    assert found, "no chart on the page"
    return ET.fromstring(found.group(0))


def bar_titles(root: ET.Element) -> list[str]:
    return [str(g.findtext(f"{SVG}title")) for g in root.iter(f"{SVG}g") if g.get("class") == "bar"]


def value_of(title: str) -> float:
    return float(title.rsplit(": ", 1)[1].split()[0])


def test_bar_chart_is_best_first_with_exact_values(client, v07):
    html = client.get("/charts/v0.7/resnet/Offline/").content.decode()
    titles = bar_titles(figure(html))
    values = [value_of(t) for t in titles]
    assert len(values) > 20 and values == sorted(values, reverse=True)
    # The table below holds the same values, in the same order.
    table = re.findall(r'<td class="num value">([^<]+)</td>', html)
    assert [float(v) for v in table][: len(values)] == values
    assert len(table) >= len(values)
    assert "samples/s (higher is better)" in html


def test_latency_chart_puts_the_lowest_first(client, v07):
    titles = bar_titles(figure(client.get("/charts/v0.7/resnet/SingleStream/").content.decode()))
    values = [value_of(t) for t in titles]
    assert values == sorted(values) and values


def test_bars_are_coloured_by_accelerator_with_a_legend(client, v07):
    root = figure(client.get("/charts/v0.7/resnet/Offline/").content.decode())
    legend = [
        t.text
        for g in root.iter(f"{SVG}g")
        if g.get("class") == "legend"
        for t in g.iter(f"{SVG}text")
    ]
    assert "NVIDIA T4" in legend
    fills = {}
    for g in root.iter(f"{SVG}g"):
        if g.get("class") == "bar" and "NVIDIA T4 ×" in g.find(f"{SVG}title").text:
            fills.setdefault(g.find(f"{SVG}rect").get("fill"), 0)
    assert len(fills) == 1  # every T4 bar one colour


def test_svg_file_is_well_formed(client, v07):
    response = client.get("/charts/v0.7/bert-99/Server/chart.svg")
    assert response["Content-Type"] == "image/svg+xml"
    root = ET.fromstring(response.content)
    assert root.tag == f"{SVG}svg" and bar_titles(root)


EVIL = '<script>alert("x")</script>&\'"\x01'


def test_every_text_is_escaped(client, v07):
    best = (
        Result.objects.for_round(v07)
        .filter(benchmark__slug="resnet", scenario__name="SingleStream")
        .order_by("value")
        .first()
    )
    System.objects.filter(pk=best.entry.system_id).update(name=EVIL)
    for url in ("/charts/v0.7/resnet/Offline/", "/charts/v0.7/resnet/SingleStream/"):
        html = client.get(url).content.decode()
        assert "<script>alert" not in html
    svg_text = client.get("/charts/v0.7/resnet/SingleStream/chart.svg").content.decode()
    assert "<script" not in svg_text
    titles = bar_titles(ET.fromstring(svg_text))
    assert any('<script>alert("x")</script>&\'"' in t for t in titles)  # read back as text


def test_svg_text_helper():
    assert svg.text('<a href="x">&\'\x00') == "&lt;a href=&quot;x&quot;&gt;&amp;&#x27;"
    ET.fromstring(f"<t>{svg.text(EVIL)}</t>")


def test_accuracy_scatter_of_the_open_division(client, v07):
    html = client.get("/charts/v0.7/resnet/Offline/accuracy/").content.decode()
    root = figure(html)
    points = [c.find(f"{SVG}title").text for c in root.iter(f"{SVG}circle")]
    assert points and all("(open," in p for p in points)
    metric = v07.benchmarks.get(slug="resnet").accuracy_metric
    assert all(f"; {metric} " in p for p in points)
    assert len(re.findall(r'<td class="num value">', html)) == len(points)


def test_query_counts_do_not_grow_with_the_rows(client, django_assert_num_queries):
    round_ = make_round("v2.0", version="v9.8", published_at="2022-01-01T00:00:00Z")
    for count in (2, 12):
        for index in range(count):
            system = make_system(round_, "Acme", f"box{count}-{index}")
            make_result(system, "resnet", "Offline", 1000.0 + index)
        for url in (
            "/charts/v9.8/resnet/Offline/",
            "/charts/v9.8/resnet/Offline/chart.svg",
            "/charts/v9.8/resnet/Offline/accuracy/",
        ):
            # The round, the column, the results.
            with django_assert_num_queries(3):
                assert client.get(url).status_code == 200
        # The columns of every round, their best values.
        with django_assert_num_queries(2):
            assert client.get("/charts/history/resnet50/Offline/").status_code == 200


def test_history_joins_only_comparable_rounds(client, v07):
    v10 = make_round("v1.0", version="v1.0", published_at="2021-04-21T00:00:00Z")
    v20 = make_round("v2.0", version="v2.0", published_at="2022-04-06T00:00:00Z")
    make_result(make_system(v10, "Acme", "a"), "resnet", "MultiStream", 20.0)
    make_result(make_system(v20, "Acme", "b"), "resnet", "MultiStream", 0.6)
    make_result(make_system(v20, "Acme", "c"), "resnet", "MultiStream", 0.5)
    html = client.get("/charts/history/resnet50/MultiStream/").content.decode()
    root = figure(html)
    points = [c.find(f"{SVG}title").text for c in root.iter(f"{SVG}circle")]
    assert len(points) == 3  # v0.7, v1.0, v2.0
    assert "best 0.5 ms" in points[-1]  # a latency: the lowest is the best
    breaks = [g for g in root.iter(f"{SVG}g") if g.get("class") == "break"]
    lines = [e for e in root.iter(f"{SVG}line") if e.get("class") == "link"]
    assert len(breaks) == 1 and len(lines) == 1  # v0.7-v1.0 joined, v2.0 measured otherwise
    assert "resnet50:MultiStream:ms" in breaks[0].find(f"{SVG}title").text


def test_history_leaves_out_rounds_not_yet_published(client, v07):
    later = make_round(
        "v2.0", version="v9.7", published_at=(timezone.now() + dt.timedelta(days=1)).isoformat()
    )
    make_result(make_system(later, "Acme", "secret"), "resnet", "Offline", 9e9)
    html = client.get("/charts/history/resnet50/Offline/").content.decode()
    assert "v9.7" not in html and "9000000000" not in html


def test_charts_of_an_embargoed_round_are_404(client, v07):
    Round.objects.filter(pk=v07.pk).update(published_at=timezone.now() + dt.timedelta(hours=1))
    for url in (
        "/charts/v0.7/resnet/Offline/",
        "/charts/v0.7/resnet/Offline/chart.svg",
        "/charts/v0.7/resnet/Offline/accuracy/",
        "/charts/history/resnet50/Offline/",
    ):
        assert client.get(url).status_code == 404, url


def test_unknown_column_is_404(client, v07):
    assert client.get("/charts/v0.7/resnet/Nope/").status_code == 404
    assert client.get("/charts/v0.7/nope/Offline/").status_code == 404
    assert client.get("/charts/history/nope/Offline/").status_code == 404


def test_ranking_page_links_its_charts(client, v07):
    html = client.get("/v0.7/rank/resnet/Offline/").content.decode()
    assert 'href="/charts/v0.7/resnet/Offline/"' in html
    assert 'href="/charts/history/resnet50/Offline/"' in html


def test_a_long_column_draws_the_best_bars_and_tables_them_all(client, settings):
    from charts import views

    round_ = make_round("v2.0", version="v9.5", published_at="2022-01-01T00:00:00Z")
    for index in range(views.MAX_BARS + 5):
        make_result(make_system(round_, "Acme", f"n{index}"), "resnet", "Offline", 10.0 + index)
    html = client.get("/charts/v9.5/resnet/Offline/").content.decode()
    assert len(bar_titles(figure(html))) == views.MAX_BARS
    assert len(re.findall(r'<td class="num value">', html)) == views.MAX_BARS + 5
    assert f"The best {views.MAX_BARS} of {views.MAX_BARS + 5} results" in html


@given(st.text(max_size=60), st.floats(min_value=1e-6, max_value=1e12))
@settings(max_examples=150, deadline=None)
def test_any_name_gives_a_well_formed_chart(name, value):
    bars = [svg.Bar(name, value, name, f"{name}: {value!r}", f"/x/{name}/")]
    root = ET.fromstring(svg.bar_chart(bars, title=name, unit=name))
    expected = svg._NOT_XML.sub("", f"{name}: {value!r}")
    # An XML parser reads a line end as "\n" (XML 1.0, 2.11).
    assert bar_titles(root) == [expected.replace("\r\n", "\n").replace("\r", "\n")]
    ET.fromstring(
        svg.scatter([svg.Point(value, value, name, name)], title=name, x_label=name, y_label=name)
    )
    ET.fromstring(svg.history([svg.Step(name, value, name, False, name)], title=name, y_label=name))
