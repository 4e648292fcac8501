"""The compare page as a person uses it, in headless Chromium, without JavaScript: build a
comparison from result IDs with the form, switch to per accelerator and per watt, take a
system off; at 1366 px and at a phone's 390 px. Screenshots go to tests.browser.ARTIFACTS.
"""

import pytest

from tests.browser import ARTIFACTS, chromium, serve, site_env

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serve(site_env(tmp_path_factory.mktemp("site"))) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def cell(page, benchmark: str, scenario: str, column: int) -> str:
    """The text of a result cell (column 1 is the first system), by its row's heading."""
    row = page.locator("table.compare tbody tr").filter(
        has=page.locator("th", has_text=benchmark).filter(has_text=scenario)
    )
    return " ".join(row.first.locator("td").nth(column - 1).inner_text().split())


def test_build_a_comparison_and_toggle_the_views(site, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900}, java_script_enabled=False)
    page.goto(site + "/compare/")
    page.get_by_label("Result IDs").fill("0.7-066")
    page.get_by_role("button", name="Compare").click()
    assert "Add at least one more result ID" in page.locator("main").inner_text()
    page.get_by_label("Add a result ID").fill("0.7-080")
    page.get_by_role("button", name="Add").click()
    assert "ids=0.7-066&ids=0.7-080" in page.url
    assert "D52G 10xA100-PCIe" in page.locator("ol.picks").inner_text()
    offline = cell(page, "resnet", "Offline", 2)
    assert offline.startswith("326,612.00") and "+5311.5% better" in offline
    page.screenshot(path=str(ARTIFACTS / "compare.png"), full_page=True)

    page.get_by_role("link", name="Per accelerator").click()
    assert "view=per-accelerator" in page.url
    assert "divided by nodes × accelerators" in page.locator(".view-note").inner_text()
    offline = cell(page, "resnet", "Offline", 2)
    assert "32,661.20" in offline and "per accelerator" in offline and "+441.1%" in offline
    assert "10 chips" in page.locator("table.compare thead").inner_text()
    page.screenshot(path=str(ARTIFACTS / "compare-per-accelerator.png"), full_page=True)

    page.get_by_role("link", name="Per watt").click()
    assert "view=per-watt" in page.url
    # v0.7 measured no power: said so in each cell, no figure made up.
    assert "power not measured" in cell(page, "resnet", "Offline", 1)
    page.screenshot(path=str(ARTIFACTS / "compare-per-watt.png"), full_page=True)

    # The permalink keeps the view; taking a system off keeps it too.
    page.get_by_role("link", name="Remove 0.7-080").click()
    assert page.url.endswith("/compare/?ids=0.7-066&view=per-watt")
    page.close()


def test_the_comparison_reads_on_a_phone(site, browser):
    page = browser.new_page(viewport={"width": 390, "height": 844})
    page.goto(site + "/compare/?ids=0.7-066&ids=0.7-080&ids=0.7-001&view=per-accelerator")
    # The table scrolls inside its wrapper; the page itself does not widen.
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert page.locator("table.compare").is_visible()
    page.screenshot(path=str(ARTIFACTS / "compare-phone.png"), full_page=True)
    page.close()


def test_from_a_system_page_to_its_accelerator_history(site, browser):
    page = browser.new_page(viewport={"width": 1366, "height": 900}, java_script_enabled=False)
    page.goto(site + "/v0.7/closed/nvidia/T4x1_TRT/")
    page.get_by_role("link", name="NVIDIA T4 in every round").click()
    assert page.get_by_role("heading", level=1).inner_text() == "NVIDIA T4"
    assert page.locator("section.history-group").count() > 5
    page.screenshot(path=str(ARTIFACTS / "accelerator-history.png"), full_page=True)
    page.close()
