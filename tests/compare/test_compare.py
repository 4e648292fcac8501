"""The compare page: per cents by direction, efficiency views, comparability, bad input."""

import pytest
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from compare import selectors
from compare.selectors import CompareError

from .conftest import rid

pytestmark = pytest.mark.django_db

URL = "/compare/"
T4_V07 = "0.7-066"  # NVIDIA's T4x1_TRT: 1 x T4
QCT = "0.7-080"  # QCT's D52G: 10 x A100-PCIe, one node


def line(comparison, benchmark, scenario):
    for found in comparison.shared + comparison.unshared:
        if (found.benchmark, found.scenario) == (benchmark, scenario):
            return found
    raise AssertionError(f"no line {benchmark} {scenario}")


def test_the_url_name_and_parameter_the_round_table_uses():
    assert reverse("compare:compare") == URL


def test_per_cent_follows_the_direction(v20):
    result = selectors.comparison([T4_V07, rid(v20, "T4x1_TRT")])
    offline = line(result, "resnet", "Offline")
    base, other = offline.figures
    assert base.per_cent is None and base.verdict == ""
    assert other.per_cent == pytest.approx((6000.0 - 6035.57) / 6035.57 * 100)
    assert other.verdict == "worse" and other.per_cent_text == "\u22120.6%"
    # Lower latency is better: half the latency is -54%, better.
    single = line(result, "resnet", "SingleStream").figures[1]
    assert single.per_cent == pytest.approx((0.5 - 1.086217) / 1.086217 * 100)
    assert single.verdict == "better"
    assert selectors.verdict(0.01, "higher") == "same"


def test_page_shows_the_shared_lines_side_by_side(client, v07):
    response = client.get(URL, {"ids": [T4_V07, QCT]})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Supermicro 4029GP-TRT-OTO-28 (1x T4, TensorRT)" in html and "D52G 10xA100-PCIe" in html
    comparison = response.context["comparison"]
    assert [(x.benchmark, x.scenario) for x in comparison.shared] == [
        ("resnet", "Offline"),
        ("ssd-large", "Offline"),
    ]
    # T4x1_TRT's other lines are there, greyed, under "Not shared by all".
    assert ("resnet", "SingleStream") in [(x.benchmark, x.scenario) for x in comparison.unshared]
    assert "Not shared by all" in html and 'class="unshared"' in html
    assert "+5311.5%" in html and "6,035.57" in html  # 326612 against 6035.57 samples/s


def test_per_accelerator_divides_by_nodes_times_accelerators(client, v20):
    t4, acme = rid(v20, "T4x1_TRT"), rid(v20, "big")
    response = client.get(URL, {"ids": [t4, acme], "view": "per-accelerator"})
    comparison = response.context["comparison"]
    assert [p.chips for p in comparison.picks] == [1, 8]  # 2 nodes x 4
    base, other = line(comparison, "resnet", "Offline").figures
    assert (base.shown, other.shown) == (6000.0, 10000.0)
    assert other.shown_unit == "samples/s per accelerator"
    assert other.per_cent == pytest.approx(66.666, rel=1e-4) and other.verdict == "better"
    # A latency is not divided: it is shown as published, and says so.
    latency = line(comparison, "resnet", "SingleStream").figures[1]
    assert latency.shown == 0.25 and latency.note == "latency: as published"
    assert latency.per_cent == pytest.approx(-50.0)
    html = response.content.decode()
    assert "divided by nodes × accelerators" in html and "(2 nodes × 4)" in html
    assert "latency: as published" in html and "8 chips" in html


def test_per_watt_where_power_was_measured(client, v20):
    t4, acme = rid(v20, "T4x1_TRT"), rid(v20, "big")
    comparison = selectors.comparison([t4, acme, T4_V07], selectors.PER_WATT)
    base, other, old = line(comparison, "resnet", "Offline").figures
    assert (base.shown, other.shown) == (60.0, 40.0)
    assert other.per_cent == pytest.approx(-33.333, rel=1e-4) and other.verdict == "worse"
    assert old.shown is None and old.note == "power not measured" and old.per_cent is None
    response = client.get(URL, {"ids": [t4, acme, T4_V07], "view": "per-watt"})
    html = response.content.decode()
    assert "samples/s per W" in html and "power not measured" in html and "2,000.00 W" in html


def test_comparability_warnings_across_rounds(client, v20):
    response = client.get(URL, {"ids": [T4_V07, rid(v20, "T4x1_TRT")]})
    comparison = response.context["comparison"]
    # MultiStream was a number of streams until v1.1, a latency in ms from v2.0.
    multi = line(comparison, "resnet", "MultiStream").figures[1]
    assert multi.not_comparable == "another metric (ms against streams)"
    assert multi.per_cent is None
    # 3D U-Net moved from BraTS 2019 to KiTS19 in v2.0.
    unet = line(comparison, "3d-unet-99", "Offline").figures[1]
    assert "another model or data set (3d-unet-99-kits19 against 3d-unet-99-brats19)" in (
        unet.not_comparable
    )
    assert unet.per_cent is None
    # Offline measures the same thing in both.
    assert line(comparison, "resnet", "Offline").figures[1].not_comparable == ""
    html = response.content.decode()
    assert "Not comparable across rounds" in html
    label = line(comparison, "resnet", "MultiStream").scenario_label
    assert f"resnet {label}: another metric (ms against streams)" in html


def test_the_permalink_reproduces_the_view(client, v07):
    query = selectors.compare_query([QCT, T4_V07], "per-accelerator")
    assert query == "ids=0.7-080&ids=0.7-066&view=per-accelerator"
    response = client.get(f"{URL}?{query}")
    comparison = response.context["comparison"]
    assert comparison.ids == [QCT, T4_V07] and comparison.view == "per-accelerator"
    links = dict((label, q) for label, q, _ in comparison.view_links())
    assert links["Per watt"] == "ids=0.7-080&ids=0.7-066&view=per-watt"
    assert links["As published"] == "ids=0.7-080&ids=0.7-066"
    # Each system can be taken off by a link; the form adds one (no JavaScript needed).
    html = response.content.decode()
    assert "<title>Compare 0.7-080, 0.7-066 · " in html
    assert 'href="?ids=0.7-066&amp;view=per-accelerator"' in html
    assert '<input type="hidden" name="ids" value="0.7-080">' in html
    assert 'name="ids"' in html and 'method="get"' in html


def test_adding_with_the_form_and_ids_in_one_field(client, v07):
    # The text field may hold several IDs; an empty one (the form's, unfilled) is ignored.
    response = client.get(URL, {"ids": [T4_V07, f"{QCT}, {T4_V07}", ""]})
    assert response.context["comparison"].ids == [T4_V07, QCT]


def test_one_or_no_id_asks_for_more(client, v07):
    empty = client.get(URL)
    assert empty.status_code == 200 and "Result IDs" in empty.content.decode()
    one = client.get(URL, {"ids": T4_V07})
    assert one.status_code == 200
    assert "Add at least one more result ID" in one.content.decode()


@pytest.mark.parametrize(
    ("params", "status", "message"),
    [
        ({"ids": ["0.7-066", "0.7-9999"]}, 404, "No published result has the ID 0.7-9999"),
        ({"ids": ["0.7-066", "<script>"]}, 400, "is not a result ID"),
        ({"ids": ["0.7-066", "x" * 5000]}, 400, "is not a result ID"),
        ({"ids": [f"0.7-{n:03d}" for n in range(1, 8)]}, 400, "At most 6 results"),
        ({"ids": ["0.7-066", "0.7-080"], "view": "per-chip"}, 400, "Unknown view"),
    ],
)
def test_bad_input_is_a_clear_4xx(client, v07, params, status, message):
    response = client.get(URL, params)
    assert response.status_code == status
    html = response.content.decode()
    assert message in html and 'role="alert"' in html
    assert "<script>" not in html.split("<main", 1)[1].split("</main>")[0]


def test_parse_ids():
    assert selectors.parse_ids(["5.1-0001 0.7-036"]) == ["5.1-0001", "0.7-036"]
    assert selectors.parse_ids(["bench-10x-001"]) == ["bench-10x-001"]
    with pytest.raises(CompareError):
        selectors.parse_ids(["0.7-"])
    with pytest.raises(CompareError):
        selectors.parse_ids(["../0.7-001"])


def test_query_count_does_not_grow_with_rows_or_rounds(client, v20, django_assert_num_queries):
    # Rows, their results, power, comparison keys: 4, for 2 rows of one round or 6 of two.
    with django_assert_num_queries(4):
        assert client.get(URL, {"ids": [T4_V07, QCT]}).status_code == 200
    six = [T4_V07, QCT, "0.7-001", "0.7-002", rid(v20, "T4x1_TRT"), rid(v20, "big")]
    with django_assert_num_queries(4):
        response = client.get(URL, {"ids": six, "view": "per-watt"})
    assert response.status_code == 200 and len(response.context["comparison"].picks) == 6
    with django_assert_num_queries(0):
        client.get(URL)


@given(
    first=st.floats(1e-3, 1e7),
    other=st.floats(1e-3, 1e7),
    better=st.sampled_from(["higher", "lower"]),
)
def test_verdict_follows_the_direction(first, other, better):
    per_cent = (other - first) / first * 100
    found = selectors.verdict(per_cent, better)
    if abs(per_cent) < 0.05:
        assert found == "same"
    else:
        assert (found == "better") == ((other > first) if better == "higher" else (other < first))
