"""Charts, search and downloads as a person uses them, in headless Chromium (no JavaScript:
the charts are SVG drawn on the server, the downloads plain links)."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest
from openpyxl import load_workbook

from .browser import ARTIFACTS, chromium, serve, site_env

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serve(site_env(tmp_path_factory.mktemp("site"))) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def test_open_a_chart_and_read_a_value(site, browser):
    page = browser.new_page(viewport={"width": 1200, "height": 900}, java_script_enabled=False)
    page.goto(site + "/v0.7/rank/resnet/Offline/")
    page.get_by_role("link", name="Chart", exact=True).click()
    assert page.url.endswith("/charts/v0.7/resnet/Offline/")
    first_bar = page.locator("svg.chart g.bar").first
    assert first_bar.is_visible()
    hover = first_bar.locator("title").text_content()
    value = float(hover.rsplit(": ", 1)[1].split()[0])
    # The same value, first in the table below the chart.
    cell = page.locator("table.chart-data tbody tr").first.locator("td.value").inner_text()
    assert float(cell) == value and value > 0
    page.screenshot(path=str(ARTIFACTS / "chart.png"), full_page=False)

    page.get_by_role("link", name="Best result per round").click()
    assert page.locator("svg.chart circle").count() >= 1
    assert page.locator("table.chart-data tbody tr").count() >= 1
    page.close()


def test_search_for_an_accelerator_and_land_on_a_page(site, browser):
    page = browser.new_page(java_script_enabled=False)
    page.goto(site + "/")
    page.get_by_role("link", name="Search").click()
    page.get_by_label("Submitter, system, accelerator").fill("A100")
    page.get_by_role("button", name="Search").click()
    assert "q=A100" in page.url
    assert page.get_by_role("heading", name="Accelerators").is_visible()
    link = page.locator("table.search-results td.text a").first
    name = link.inner_text()
    link.click()
    assert page.get_by_role("heading", level=1).inner_text() == name
    assert "A100" in page.locator("dl.summary").inner_text()
    # The system page offers its citation, no JavaScript needed to open it.
    page.get_by_text("Cite").first.click()
    assert "retrieved" in page.locator("pre.cite-text").first.inner_text()
    page.screenshot(path=str(ARTIFACTS / "search-landing.png"))
    page.close()


def test_search_for_an_accelerator_and_land_on_its_history(site, browser):
    """Issue 13: from a search for an accelerator to its results in every round."""
    page = browser.new_page(java_script_enabled=False)
    page.goto(site + "/search/?q=T4")
    page.locator("ul a", has_text="NVIDIA T4").first.click()
    assert page.url.endswith("/accelerators/nvidia-t4/")
    assert "NVIDIA T4" in page.get_by_role("heading", level=1).inner_text()
    assert "v0.7" in page.locator("main").inner_text()
    page.screenshot(path=str(ARTIFACTS / "search-accelerator-history.png"))
    page.close()


def test_download_each_format_and_read_it_back(site, browser):
    context = browser.new_context(accept_downloads=True, java_script_enabled=False)
    page = context.new_page()
    page.goto(site + "/")
    found = {}
    for label in ("CSV", "JSON", "XLSX"):
        with page.expect_download() as info:
            page.get_by_role("link", name=label, exact=True).first.click()
        download = info.value
        data = Path(download.path()).read_bytes()
        assert download.suggested_filename == f"mlperf-inference-v0.7-results.{label.lower()}"
        if label == "CSV":
            rows = list(csv.DictReader(io.StringIO(data.decode())))
            found[label] = [(r["result_id"], r["benchmark"], r["scenario"]) for r in rows]
        elif label == "JSON":
            rows = json.loads(data)["results"]
            found[label] = [(r["result_id"] or "", r["benchmark"], r["scenario"]) for r in rows]
        else:
            sheet = load_workbook(io.BytesIO(data), read_only=True)["results"]
            header, *body = list(sheet.iter_rows(values_only=True))
            at = [header.index(c) for c in ("result_id", "benchmark", "scenario")]
            found[label] = [tuple(row[i] or "" for i in at) for row in body]
    assert len(found["CSV"]) == 1205
    assert found["CSV"] == found["JSON"] == found["XLSX"]
    context.close()
