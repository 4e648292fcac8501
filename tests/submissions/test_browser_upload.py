"""A submitter in headless Chromium, without JavaScript: log in, upload, watch
the status, read the report and the preview.

The site runs in a process of its own on its own SQLite database, with the
database task backend; the worker (`manage.py db_worker`) is started once the
upload is seen queued, so the page is watched going from queued to passed.
"""

import pytest

from tests.browser import ARTIFACTS, chromium, manage, serve, site_env, start

from .conftest import PASSWORD, pack

RESULT = "closed/IVATech/results/iva-fpga-1/resnet/Offline"

pytestmark = pytest.mark.browser

SETUP = f"""
from datetime import timedelta
from django.contrib.auth.models import User
from django.utils import timezone
from results.models import Round, Submitter
from submissions.models import Membership
Round.objects.filter(version="v0.7").update(submission_deadline=timezone.now() + timedelta(days=7))
user = User.objects.create_user("alice", "alice@example.org", {PASSWORD!r})
Membership.objects.create(user=user, submitter=Submitter.objects.get(slug="ivatech"))
"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("upload-site")
    env = site_env(
        folder, DJANGO_TASKS_IMMEDIATE="0", SUBMISSION_STORAGE_ROOT=str(folder / "uploads")
    )
    workers = []

    def start_worker():
        workers.append(
            start(env, "db_worker", "--interval", "0.2", "--no-startup-delay", "--no-reload")
        )

    with serve(env) as url:
        manage(env, "shell", "-c", SETUP)
        try:
            yield url, start_worker
        finally:
            for worker in workers:
                worker.terminate()
                worker.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    with chromium() as browser:
        yield browser


def test_log_in_upload_watch_the_status_read_the_report(site, browser, ivatech_tree, tmp_path):
    url, start_worker = site
    archive = pack(ivatech_tree, tmp_path / "ivatech-v0.7.tar.gz")
    page = browser.new_page(viewport={"width": 1300, "height": 900}, java_script_enabled=False)

    page.goto(url + "/")
    page.get_by_role("link", name="Submitter log in").click()
    page.get_by_label("Username").fill("alice")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Log in").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Submissions"

    page.get_by_role("link", name="Upload a submission").click()
    assert page.get_by_label("Submitter").input_value()  # the only one, chosen
    page.get_by_label("Archive").set_input_files(str(archive))
    page.screenshot(path=str(ARTIFACTS / "upload-form.png"))
    page.get_by_role("button", name="Upload and check").click()

    # The receipt, at once; the check waits for a worker.
    assert "Received ivatech-v0.7.tar.gz as version 1" in page.locator(".messages").inner_text()
    receipt = page.locator("section.receipt").inner_text()
    assert "SHA-256" in receipt and f"{archive.stat().st_size} bytes" in receipt
    assert "Queued" in page.locator("section.status").inner_text()
    page.screenshot(path=str(ARTIFACTS / "upload-queued.png"))

    # The worker starts; the page refreshes itself (no JavaScript) until the verdict.
    start_worker()
    page.get_by_text("Passed the checks:").wait_for(timeout=60_000)
    assert "2 results from 1 system" in page.locator("section.status").inner_text()
    page.screenshot(path=str(ARTIFACTS / "upload-passed.png"), full_page=True)

    page.get_by_role("link", name="Report").click()
    assert page.get_by_role("heading", level=1).inner_text().startswith("IVATech, v0.7, version 1")
    assert "No errors or warnings." in page.locator("main").inner_text()

    page.get_by_role("link", name="Preview of the rows").click()
    section = page.locator("section.results-section")
    assert section.locator("h2").inner_text().startswith("Edge, Closed division")
    assert section.locator("tbody tr").count() == 1
    assert section.locator("tbody td").first.inner_text() == "new"
    page.screenshot(path=str(ARTIFACTS / "upload-preview.png"), full_page=True)

    # Version 2 lacks a mandatory file: it fails, and the report says which and why.
    (ivatech_tree / RESULT / "accuracy" / "accuracy.txt").unlink()
    broken = pack(ivatech_tree, tmp_path / "ivatech-v0.7-fixed.tar.gz")
    page.get_by_role("navigation", name="Main").get_by_role("link", name="Submissions").click()
    page.get_by_role("link", name="Upload a submission").click()
    page.get_by_label("Archive").set_input_files(str(broken))
    page.get_by_role("button", name="Upload and check").click()
    page.get_by_text("Failed the checks:").wait_for(timeout=60_000)
    page.get_by_role("link", name="See what to fix").click()
    group = page.locator("section.file-findings", has_text=f"{RESULT}/accuracy/accuracy.txt")
    assert "A1" in group.inner_text() and "missing accuracy.txt" in group.inner_text()
    assert "§7.2" in group.inner_text() and "error" in group.inner_text()
    page.screenshot(path=str(ARTIFACTS / "upload-report.png"), full_page=True)

    # Both versions are kept; what version 2 changes in the rows.
    page.get_by_role("link", name="IVATech, v0.7").click()
    assert page.locator("table.uploads tbody tr").count() == 2
    page.get_by_role("button", name="Compare the rows").click()
    assert "Rows in version 2 compared with version 1" in page.locator("h1").inner_text()
    assert page.locator("table.diff tr.removed").count() == 2
    page.screenshot(path=str(ARTIFACTS / "upload-compare.png"), full_page=True)

    page.get_by_role("button", name="Log out").click()
    page.goto(url + "/submissions/")
    assert "/accounts/login/" in page.url
    page.close()
