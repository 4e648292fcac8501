"""Staff review, and a whole round walked through: rules copied, upload, accept, embargo,
publication, correction."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.core import mail
from django.test import Client
from django.utils import timezone

from results.models import Correction, Result, Round
from results.tasks import publish_due_rounds
from submissions.models import Submission, SubmissionStatus
from submissions.review import ReviewError, accept_submission, reject_submission
from tests.test_derived_columns import assert_up_to_date

from .conftest import make_user, pack, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def curator(django_user_model):
    user = make_user(django_user_model, "cora", staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    return user


def login(user) -> Client:
    client = Client()
    client.force_login(user)  # authenticate() needs a request under django-axes
    return client


def test_a_whole_round(v07, curator, member_a, ivatech_tree, tmp_path):
    staff = login(curator)
    public = Client()

    # Staff create v1.0 by copying v0.7's rules, open for uploads, published in a month.
    publication = timezone.now() + dt.timedelta(days=30)
    response = staff.post(
        "/admin/results/round/add/",
        {
            "version": "v1.0",
            "title": "MLPerf Inference v1.0",
            "result_id_prefix": "1.0",
            "code_url": "",
            "submission_deadline_0": (timezone.now() + dt.timedelta(days=7)).strftime("%Y-%m-%d"),
            "submission_deadline_1": "23:59:00",
            "published_at_0": publication.strftime("%Y-%m-%d"),
            "published_at_1": publication.strftime("%H:%M:%S"),
            "copy_rules_from": v07.pk,
            "categories-TOTAL_FORMS": "0",
            "categories-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    v10 = Round.objects.get(version="v1.0")
    assert v10.benchmarks.count() == 10

    # A member of IVATech uploads; the check passes (tasks run at once in tests).
    member = login(member_a)
    response = upload(member, v10, "ivatech", pack(ivatech_tree, tmp_path / "iva.tar.gz"))
    assert response.status_code == 302
    submission = Submission.objects.get(round=v10)
    assert submission.status == SubmissionStatus.PASSED

    # It is in the review queue; staff accept it.
    queue = staff.get("/admin/submissions/submissionforreview/").content.decode()
    assert "IVATech" in queue and "report" in queue and "preview" in queue
    mail.outbox.clear()
    response = staff.post(
        "/admin/submissions/submissionforreview/",
        {
            "action": "accept",
            "_selected_action": [submission.pk],
        },
    )
    assert response.status_code == 302
    submission.refresh_from_db()
    assert (submission.status, submission.reviewed_by) == (SubmissionStatus.ACCEPTED, curator)
    assert "Staff accepted it" in mail.outbox[0].body
    staged = Result.objects.filter(entry__system__round=v10)
    assert staged.count() == 2
    assert staged.first().entry.result_id is None  # IDs come at publication
    assert_up_to_date(v10)

    # Before the publication time, the public sees nothing of it; staff see a draft.
    for url in (
        "/v1.0/",
        "/v1.0/results.csv",
        "/v1.0/changes/",
        staged.first().entry.system.get_absolute_url(),
    ):
        assert public.get(url).status_code == 404, url
    assert "v1.0" not in public.get("/").content.decode()
    assert "Draft." in staff.get("/v1.0/").content.decode()

    # At the publication time it is all there, with result IDs.
    Round.objects.filter(pk=v10.pk).update(published_at=timezone.now())
    publish_due_rounds.call()  # what the worker runs at that time (results.tasks)
    page = public.get("/v1.0/").content.decode()
    assert "1.0-001" in page and "Edge, Closed division, Research, Development, or Internal" in page
    csv = b"".join(public.get("/v1.0/results.csv").streaming_content).decode()
    assert csv.count("\n") == 3 and "1.0-001" in csv

    # A correction after publication: the change log shows it, the old value stays on record.
    result = staged.get(scenario__name="Offline")
    old = result.value
    response = staff.post(
        f"/admin/results/result/{result.pk}/change/",
        {
            "new_value": str(old * 0.9),
            "reason": "Reported with the wrong batch size.",
            "effective": timezone.localdate().isoformat(),
        },
    )
    assert response.status_code == 302
    log = public.get("/v1.0/changes/").content.decode()
    assert "Reported with the wrong batch size." in log and f"{old:g} samples/s" in log
    assert Correction.objects.get(result=result).old_value == f"{old:g} samples/s"
    assert f"{old * 0.9:g}" in public.get(result.entry.system.get_absolute_url()).content.decode()


def passed_upload(member_a, v07, ivatech_tree, tmp_path, name="iva.tar.gz"):
    v07.submission_deadline = timezone.now() + dt.timedelta(days=1)
    v07.save(update_fields=["submission_deadline"])
    upload(login(member_a), v07, "ivatech", pack(ivatech_tree, tmp_path / name))
    return Submission.objects.filter(submitter__slug="ivatech").order_by("-version").first()


def test_reject_with_a_reason_the_submitter_sees(v07, curator, member_a, ivatech_tree, tmp_path):
    submission = passed_upload(member_a, v07, ivatech_tree, tmp_path)
    staff = login(curator)
    data = {"action": "reject", "_selected_action": [submission.pk]}
    assert "Reject uploads" in staff.post("/admin/submissions/submission/", data).content.decode()
    mail.outbox.clear()
    staff.post(
        "/admin/submissions/submission/",
        data
        | {
            "apply": "1",
            "reason": "Please add the code folder for resnet.",
        },
    )
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.REJECTED
    assert "Please add the code folder" in mail.outbox[0].body
    page = login(member_a).get(submission.get_absolute_url()).content.decode()
    assert "Please add the code folder for resnet." in page
    with pytest.raises(ReviewError, match="already rejected"):
        reject_submission(submission, reason="again", user=curator)


def test_only_the_newest_passed_upload_can_be_accepted(
    v07, curator, member_a, ivatech_tree, tmp_path
):
    first = passed_upload(member_a, v07, ivatech_tree, tmp_path, "a.tar.gz")
    second = passed_upload(member_a, v07, ivatech_tree, tmp_path, "b.tar.gz")
    assert second.version == first.version + 1
    with pytest.raises(ReviewError, match="newer version"):
        accept_submission(first, user=curator)
    queue = login(curator).get("/admin/submissions/submissionforreview/").content.decode()
    assert queue.count('name="_selected_action"') == 1
    Submission.objects.filter(pk=second.pk).update(status=SubmissionStatus.FAILED)
    second.refresh_from_db()
    with pytest.raises(ReviewError, match="passed the checks"):
        accept_submission(second, user=curator)


def test_accepting_into_a_published_round_updates_rows_and_keeps_ids(
    v07, curator, member_a, ivatech_tree, tmp_path
):
    before = Result.objects.get(
        entry__system__round=v07,
        entry__system__division="closed",
        entry__system__submitter__slug="ivatech",
        scenario__name="Offline",
    )
    submission = passed_upload(member_a, v07, ivatech_tree, tmp_path)
    summary = accept_submission(submission, user=curator)
    assert summary.created["results"] == 0  # the same rows as the published tree
    after = Result.objects.get(pk=before.pk)
    assert after.entry.result_id == before.entry.result_id
    assert Result.objects.count() == 1205


def test_the_submitter_and_the_public_never_reach_the_review(v07, member_a):
    assert login(member_a).get("/admin/submissions/submissionforreview/").status_code == 302
    assert Client().get("/admin/submissions/submissionforreview/").status_code == 302


def test_a_changed_figure_in_a_published_round_leaves_a_public_record(
    v07, curator, member_a, ivatech_tree, tmp_path, client
):
    """Issue 12, item 1: an accepted re-upload changes public figures only with corrections."""
    from results.models import Correction, CorrectionKind

    run = ivatech_tree / "closed/IVATech/results/iva-fpga-1/resnet/Offline/performance/run_1"
    offline = run / "mlperf_log_summary.txt"
    before = Result.objects.get(
        entry__system__round=v07,
        entry__system__submitter__slug="ivatech",
        entry__system__division="closed",
        scenario__name="Offline",
    )
    text = offline.read_text()
    old = next(line for line in text.splitlines() if line.startswith("Samples per second"))
    offline.write_text(text.replace(old, "Samples per second: 1234.5"))
    submission = passed_upload(member_a, v07, ivatech_tree, tmp_path)
    accept_submission(submission, user=curator)

    after = Result.objects.get(pk=before.pk)
    assert after.value == 1234.5 and after.entry.result_id == before.entry.result_id
    (correction,) = Correction.objects.filter(result=after)
    assert correction.kind == CorrectionKind.CORRECT_VALUE
    assert correction.old_value.startswith(f"{before.value:g} samples/s")
    assert correction.new_value.startswith("1234.5 samples/s")
    assert (correction.old_number, correction.new_number) == (before.value, 1234.5)
    assert "Accepted upload" in correction.reason and correction.created_by == curator
    log = client.get("/v0.7/changes/").content.decode()
    assert "1234.5 samples/s" in log


def test_an_upload_that_drops_a_required_result_changes_nothing(
    v07, curator, member_a, ivatech_tree, tmp_path
):
    import shutil

    from results.models import Correction, CorrectionKind

    single = ivatech_tree / "closed/IVATech/results/iva-fpga-1/resnet/SingleStream"
    gone = Result.objects.get(
        entry__system__round=v07,
        entry__system__submitter__slug="ivatech",
        entry__system__division="closed",
        scenario__name="SingleStream",
    )
    shutil.rmtree(single)
    submission = passed_upload(member_a, v07, ivatech_tree, tmp_path)
    with pytest.raises(ReviewError):
        # Without its required SingleStream the folder no longer passes the round's rules.
        accept_submission(submission, user=curator)
    assert Result.objects.get(pk=gone.pk).withdrawn_at is None
    assert not Correction.objects.filter(kind=CorrectionKind.WITHDRAW_RESULT).exists()
