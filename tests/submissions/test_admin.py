"""The admin for uploads: a record staff can read, and can check again."""

from django.test import Client

from submissions.models import Submission

from .conftest import upload


def test_staff_see_uploads_and_check_them_again(
    admin_client, member_a, open_round, ivatech_archive
):
    browser = Client()
    browser.force_login(member_a)
    upload(browser, open_round, "ivatech", ivatech_archive)
    submission = Submission.objects.get()

    page = admin_client.get("/admin/submissions/submission/").content.decode()
    assert "ivatech.tar.gz" in page
    page = admin_client.get(f"/admin/submissions/submission/{submission.pk}/change/")
    assert page.status_code == 200 and submission.sha256 in page.content.decode()
    assert admin_client.get("/admin/submissions/submission/add/").status_code == 403

    Submission.objects.filter(pk=submission.pk).update(report={}, status="failed")
    response = admin_client.post(
        "/admin/submissions/submission/",
        {"action": "check_again", "_selected_action": [str(submission.pk)]},
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert submission.status == "passed", submission.report
    assert submission.report["counts"]["results"] == 2


def test_a_check_runs_once(member_a, open_round, ivatech_archive, client):
    from submissions.uploads import run_check

    client.force_login(member_a)
    upload(client, open_round, "ivatech", ivatech_archive)
    submission = Submission.objects.get()
    checked_at = submission.checked_at
    assert run_check(submission.pk) == "passed"  # already checked: left alone
    submission.refresh_from_db()
    assert submission.checked_at == checked_at
    assert run_check("00000000-0000-0000-0000-000000000000") == "missing"


def test_hooks_for_the_review(member_a, open_round, ivatech_archive, client):
    """What staff review builds on: the candidates awaiting review, and the
    checker's report of a stored upload, computed again without writing."""
    from results.models import Result
    from submissions.uploads import checked_report

    client.force_login(member_a)
    upload(client, open_round, "ivatech", ivatech_archive)
    upload(client, open_round, "ivatech", ivatech_archive)
    v1, v2 = Submission.objects.order_by("version")
    assert list(Submission.objects.awaiting_review()) == [v2]
    results = Result.objects.count()
    report = checked_report(v2)
    assert report.acceptable and report.counts() == v2.report["counts"]
    assert Result.objects.count() == results
