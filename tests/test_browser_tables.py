"""The round tables as a person uses them, at 1366 x 768 and on a phone (390 x 844):
one benchmark at a time, identity columns that stay put, the ranking, the marks.
Screenshots go to the test artifacts (tests/browser.py)."""

import pytest

from .browser import ARTIFACTS, chromium, serve, site_env

pytestmark = pytest.mark.browser

SIZES = [pytest.param((1366, 768), id="1366x768"), pytest.param((390, 844), id="390x844")]

# One nettrix result corrected, another withdrawn, as curators would.
MARKS = """
import datetime as dt
from results import services
from results.models import Result
results = list(Result.objects.filter(entry__system__round__version="v0.7",
    entry__system__submitter__slug="nettrix").order_by("pk")[:2])
services.correct_value(results[0], value=results[0].value + 1, reason="Typo in the log.",
    effective=dt.date(2020, 11, 2))
services.withdraw_result(results[1], reason="Run did not meet the latency bound.")
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serve(site_env(tmp_path_factory.mktemp("site")), shell=MARKS) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.fixture(params=SIZES)
def page(request, browser):
    width, height = request.param
    page = browser.new_page(viewport={"width": width, "height": height})
    page.size = f"{width}"
    yield page
    page.close()


def shot(page, name):
    page.screenshot(path=str(ARTIFACTS / f"tables-{name}-{page.size}.png"))


def test_choose_a_benchmark_and_see_only_its_columns(site, page):
    page.goto(site + "/v0.7/")
    assert page.locator(".overview-table").count() == 9
    shot(page, "overview")
    page.get_by_label("Benchmark").select_option("bert-99")
    page.get_by_role("button", name="Filter").click()
    assert "benchmark=bert-99" in page.url
    headers = page.locator("th.result").all_inner_texts()
    assert headers and all(" ".join(h.split()).startswith("bert-99 ") for h in headers)
    assert not any("bert-99.9" in h for h in headers)
    page.locator("section.results-section").first.scroll_into_view_if_needed()
    shot(page, "bert-99")


def test_scroll_sideways_and_still_read_the_system(site, page):
    page.goto(site + "/v0.7/tables/closed-datacenter-available/")
    wrap = page.locator(".table-wrap").first
    wrap.scroll_into_view_if_needed()
    page.evaluate("el => el.scrollIntoView({block: 'start'})", wrap.element_handle())
    # Sideways until the last result column is at the right edge.
    page.evaluate(
        """el => { const th = el.querySelectorAll("th.result");
        const last = th[th.length - 1];
        el.scrollLeft = last.offsetLeft + last.offsetWidth - el.clientWidth; }""",
        wrap.element_handle(),
    )
    assert page.evaluate("el => el.scrollLeft", wrap.element_handle()) > 300
    row = page.locator("tbody tr").nth(2)
    system = row.locator("td.sys")
    box, view = system.bounding_box(), wrap.bounding_box()
    # The system cell is still inside the scroll box, at its left...
    assert box["x"] >= view["x"] - 1 and box["x"] + box["width"] <= view["x"] + view["width"]
    assert box["y"] + box["height"] <= view["y"] + view["height"]
    assert system.inner_text().strip()
    shot(page, "scrolled-right")
    # ... beside the last results, whose figures (right-aligned) show right of it.
    right = box["x"] + box["width"]
    end = view["x"] + view["width"] + 1
    results = page.evaluate(
        "el => [...el.querySelectorAll('thead th')].map(th => th.classList.contains('result'))",
        wrap.element_handle(),
    )
    last = max(i for i, is_result in enumerate(results) if is_result)
    cell = row.locator("td").nth(last).bounding_box()
    assert right + 40 < cell["x"] + cell["width"] <= end
    # The header stays on top while the rows scroll.
    page.evaluate("el => { el.scrollTop = 600; }", wrap.element_handle())
    header = page.locator("thead th.sys-col").bounding_box()
    assert abs(header["y"] - wrap.bounding_box()["y"]) < 3
    # One scroll box: the table does not widen the page.
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth + 1")
    shot(page, "scrolled")


def test_open_the_ranked_view_and_toggle_per_accelerator(site, page):
    page.goto(site + "/v0.7/")
    page.get_by_role("navigation", name="Rankings").get_by_role(
        "link", name="resnet Offline", exact=True
    ).click()
    assert page.get_by_role("heading", level=1).inner_text() == "resnet, Offline"
    first = page.locator("table.ranking tbody tr").first
    assert first.locator("td").first.inner_text() == "1"
    shot(page, "ranking")
    page.get_by_role("link", name="Per accelerator").click()
    assert "view=per-accelerator" in page.url
    assert "per accelerator" in page.locator("table.ranking thead").inner_text()
    assert "accel." in page.locator("table.ranking tbody tr").first.inner_text()
    shot(page, "ranking-per-accelerator")


def test_a_withdrawn_and_a_corrected_result_show_their_marks(site, page):
    page.goto(site + "/v0.7/?submitter=nettrix")
    withdrawn = page.locator("a.mark.withdrawn")
    corrected = page.locator("tbody sup.mark.corrected")
    assert withdrawn.count() == 1 and corrected.count() == 1
    assert "Withdrawn on" in withdrawn.get_attribute("title")
    assert "it was" in corrected.get_attribute("title")
    withdrawn.scroll_into_view_if_needed()
    assert withdrawn.is_visible() and corrected.is_visible()
    shot(page, "marks")
    withdrawn.click()
    assert "/v0.7/changes/" in page.url


def test_tick_rows_on_the_round_table_and_compare_them(site, page):
    """Issue 13: a comparison starts from the round table, no JavaScript needed."""
    page.goto(site + "/v0.7/?benchmark=resnet&division=closed")
    boxes = page.locator('table.grid input[type="checkbox"][name="ids"]')
    ids = [boxes.nth(i).get_attribute("value") for i in range(2)]
    for i in range(2):
        boxes.nth(i).check()
    page.get_by_role("button", name="Compare selected").first.click()
    assert "/compare/" in page.url and all(f"ids={i}" in page.url for i in ids)
    picks = page.locator("ol.picks").inner_text()
    assert all(i in picks for i in ids)
    assert page.locator("table.compare tbody tr").count() > 0
    shot(page, "compare-from-table")
