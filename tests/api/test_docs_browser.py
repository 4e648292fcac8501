"""The API's docs page in headless Chromium: Swagger UI from static/ renders every
operation under the site's Content-Security-Policy, with no violation reported."""

import pytest

from tests.browser import ARTIFACTS, chromium, serve, site_env

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    with serve(site_env(tmp_path_factory.mktemp("site"))) as url:
        yield url


def test_the_docs_render_under_the_csp_and_try_an_endpoint(site):
    with chromium() as browser:
        home = browser.new_page()
        home.goto(site + "/")
        docs = home.get_attribute("text=JSON API", "href")
        home.close()
        page = browser.new_page(viewport={"width": 1300, "height": 900})
        problems: list[str] = []
        page.on("console", lambda m: m.type == "error" and problems.append(m.text))
        page.on("pageerror", lambda e: problems.append(str(e)))
        requests: list[str] = []
        page.on("request", lambda r: requests.append(r.url))
        page.goto(site + docs)
        page.wait_for_selector(".opblock-summary-path", timeout=30_000)
        paths = page.locator(".opblock-summary-path").all_inner_texts()
        assert any("/api/v1/rounds/{version}/results/" in p for p in paths), paths
        # Open the results operation and run it against the site, as a reader would.
        page.locator(".opblock-summary-path", has_text="/results/").first.click()
        page.click("button.try-out__btn")
        page.fill("input[placeholder='version']", "v0.7")
        page.click("button.execute")
        cell = ".live-responses-table tbody .response-col_status"
        page.wait_for_selector(cell, timeout=30_000)
        page.screenshot(path=str(ARTIFACTS / "api-docs.png"), full_page=False)
        assert page.locator(cell).first.inner_text().strip().startswith("200")
        assert '"result_id"' in page.locator(".live-responses-table tbody").first.inner_text()
        assert not problems, problems
        assert all(url.startswith(site) for url in requests), "a file from elsewhere"
