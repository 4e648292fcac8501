"""The mobile round pages as people see them, on a phone (390 px) and a laptop (1366 px)."""

import pytest

from .browser import ARTIFACTS, chromium, serve, site_env

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    env = site_env(tmp_path_factory.mktemp("mobile-site"))
    with serve(env, rounds=("mobile-v4.0", "mobile-v5.0")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


@pytest.mark.parametrize("width", [390, 1366])
def test_mobile_round_pages_fit_phones_and_laptops(site, browser, width):
    page = browser.new_page(viewport={"width": width, "height": 900}, java_script_enabled=False)
    page.goto(site + "/mobile-v4.0/?show=tables")  # every table; the bare URL is the overview
    assert page.get_by_role("heading", level=1).inner_text() == "MLPerf Mobile v4.0 results"
    assert page.locator("section.results-section h2").all_inner_texts() == [
        "Mobile, Closed division, Phones",
        "Mobile, Closed division, Notebooks",
    ]
    # Wide tables scroll in their own box; the page itself never scrolls sideways.
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTIFACTS / f"mobile-v4.0-{width}.png"), full_page=True)
    page.goto(site + "/mobile-v5.0/?show=tables")
    assert page.locator("#closed-mobile-phones tbody tr").count() == 3
    assert page.evaluate("document.documentElement.scrollWidth") <= width
    page.screenshot(path=str(ARTIFACTS / f"mobile-v5.0-{width}.png"), full_page=True)
    page.close()
