"""The round page as a person sees it, in headless Chromium (Debian's package).

The site runs in a separate process on its own SQLite database, loaded with the
bundled round by the same commands `make run` uses.
"""

import pytest

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


def test_round_page_tables_and_sorting(site, browser):
    page = browser.new_page(viewport={"width": 1400, "height": 900}, java_script_enabled=False)
    page.goto(site + "/")
    page.get_by_role("link", name="MLPerf Inference v0.7").click()
    assert page.get_by_role("heading", level=1).inner_text() == "MLPerf Inference v0.7 results"
    page.get_by_role("link", name="Every table on one page").click()

    headings = page.locator("section.results-section h2").all_inner_texts()
    assert headings[0] == "Datacenter, Closed division, Available"
    assert len(headings) == 9
    section = page.locator("#closed-datacenter-available")
    assert section.locator("table").is_visible()
    assert section.locator("tbody tr").count() == 42
    header = section.locator("th", has_text="resnet Offline")
    assert header.is_visible() and "samples/s" in header.inner_text()
    page.screenshot(path=str(ARTIFACTS / "round.png"))

    # Sort by a result column with a click, as a person would; no JavaScript needed.
    header.get_by_role("link").click()
    assert "sort=resnet-Offline" in page.url
    section = page.locator("#closed-datacenter-available")
    first = section.locator("tbody tr").first
    assert first.locator("td.id").inner_text() == "0.7-080"
    cells = section.locator(
        "tbody tr td:nth-child(" + str(column_index(section, "resnet Offline")) + ")"
    )
    values = [float(t.replace(",", "")) for t in cells.all_inner_texts() if t.strip()]
    assert values == sorted(values, reverse=True) and len(values) > 10
    page.screenshot(path=str(ARTIFACTS / "round-sorted.png"))

    # Follow a row to its system page.
    first.get_by_role("link", name="Details").click()
    assert page.get_by_role("heading", level=1).inner_text() == "D52G 10xA100-PCIe"
    assert page.get_by_role("heading", name="System description").is_visible()
    page.close()


def test_filter_form_works_without_javascript(site, browser):
    page = browser.new_page(java_script_enabled=False)
    page.goto(site + "/v0.7/")
    page.get_by_label("Submitter").select_option("atos")
    page.get_by_role("button", name="Filter").click()
    assert "submitter=atos" in page.url
    assert page.locator("td.id").count() == 1
    assert "1 row and 4 results match the filters" in page.locator(".lede").inner_text()
    page.close()


def column_index(section, text: str) -> int:
    headers = section.locator("thead th").all_inner_texts()
    for index, header in enumerate(headers, start=1):
        if " ".join(header.split()).startswith(text.split()[0]) and text.split()[1] in header:
            return index
    raise AssertionError(f"no column {text!r} in {headers}")
