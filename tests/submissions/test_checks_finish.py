"""Checks that finish (issue 12, item 4): a lease (heartbeat) on each check, a reaper
that queues a dead one again or marks it stalled with the reason, a "stalled" state the
submitter sees, and acceptance on the worker with its progress in the admin."""

import datetime as dt

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.utils import timezone

from results.models import Result
from submissions import reaper, review, uploads
from submissions.models import Submission, SubmissionStatus

from .conftest import make_user, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def checked(member_a, open_round, ivatech_archive):
    client = Client()
    client.force_login(member_a)
    upload(client, open_round, "ivatech", ivatech_archive)
    submission = Submission.objects.get()
    assert submission.status == "passed" and submission.attempts == 1
    return submission, client


def long_ago(seconds=3600):
    return timezone.now() - dt.timedelta(seconds=seconds)


def die_mid_check(submission):
    """What a worker killed mid-check leaves behind."""
    Submission.objects.filter(pk=submission.pk).update(
        status=SubmissionStatus.CHECKING, progress=42, heartbeat_at=long_ago(), report={}
    )


def test_a_check_whose_worker_died_is_stalled_to_the_submitter_then_checked_again(checked):
    submission, client = checked
    die_mid_check(submission)
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "Stalled: the worker checking this upload stopped at 42%" in page
    assert 'http-equiv="refresh"' not in page  # no more "refreshes by itself" for ever

    done = reaper.reap()
    assert done == {"requeued": 1, "stalled": 0, "acceptances": 0}
    submission.refresh_from_db()  # the immediate backend checked it again at once
    assert (submission.status, submission.attempts) == ("passed", 2)
    assert submission.report["counts"]["results"] == 2


def test_a_live_check_is_left_alone(checked):
    submission, _ = checked
    Submission.objects.filter(pk=submission.pk).update(
        status=SubmissionStatus.CHECKING, heartbeat_at=timezone.now()
    )
    assert reaper.reap() == {"requeued": 0, "stalled": 0, "acceptances": 0}
    assert Submission.objects.get().status == "checking"


def test_after_the_last_attempt_it_is_stalled_with_the_reason(checked, settings, mailoutbox):
    submission, client = checked
    Submission.objects.filter(pk=submission.pk).update(attempts=settings.SUBMISSION_CHECK_ATTEMPTS)
    die_mid_check(submission)
    assert reaper.reap()["stalled"] == 1
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.STALLED and not submission.is_pending
    page = client.get(submission.get_absolute_url()).content.decode()
    assert "The check stopped 3 times before it finished" in page
    assert 'http-equiv="refresh"' not in page
    assert mailoutbox[-1].subject.startswith("Stalled")


def test_a_worker_that_lost_its_lease_writes_nothing(checked, monkeypatch):
    """The reaper gave the check to another worker while this one was slow: its verdict
    is dropped, the other's stands."""
    submission, _ = checked
    Submission.objects.filter(pk=submission.pk).update(status=SubmissionStatus.QUEUED)
    real = uploads.checked_report

    def slow_then_overtaken(sub, progress=None):
        report = real(sub, progress=progress)
        # Meanwhile: reaped, and claimed by another worker (attempt + 1), which failed it.
        Submission.objects.filter(pk=sub.pk).update(
            attempts=sub.attempts + 2, status=SubmissionStatus.FAILED, report={"other": 1}
        )
        return report

    monkeypatch.setattr(uploads, "checked_report", slow_then_overtaken)
    assert uploads.run_check(submission.pk) == "taken"
    submission.refresh_from_db()
    assert (submission.status, submission.report) == ("failed", {"other": 1})


@pytest.fixture
def curator_client(django_user_model):
    user = make_user(django_user_model, "cora", staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client = Client()
    client.force_login(user)
    return client


def accept(client, submission):
    return client.post(
        "/admin/submissions/submissionforreview/",
        {"action": "accept", "_selected_action": [str(submission.pk)]},
        follow=True,
    )


def test_accepting_runs_on_the_worker_with_its_progress_in_the_admin(
    checked, curator_client, settings
):
    from django_tasks import task_backends

    submission, _ = checked
    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    before = Result.objects.count()
    changed = Result.objects.order_by("-pk").values_list("pk", flat=True).first()
    response = accept(curator_client, submission)
    assert "queued for acceptance" in response.content.decode()
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTING
    assert Result.objects.count() == before  # the request checked and staged nothing
    assert submission.reviewed_at is None
    queue = curator_client.get("/admin/submissions/submissionforreview/").content.decode()
    assert "waiting for a worker (0%)" in queue

    (queued,) = task_backends["default"].results
    assert queued.task.name == "accept_upload"
    assert queued.task.call(*queued.args) == SubmissionStatus.ACCEPTED  # the worker
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.ACCEPTED
    assert submission.reviewed_by.username == "cora" and submission.reviewed_at
    assert Result.objects.order_by("-pk").values_list("pk", flat=True).first() == changed


def test_an_acceptance_that_fails_on_the_worker_says_why(checked, curator_client):
    submission, _ = checked
    submission.archive.storage.delete(submission.archive.name)
    response = accept(curator_client, submission).content.decode()
    assert "The archive could not be checked again" in response
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PASSED
    assert "could not be checked again" in submission.review_note


def test_an_acceptance_whose_worker_died_goes_back_to_staff(checked, django_user_model):
    submission, _ = checked
    Submission.objects.filter(pk=submission.pk).update(
        status=SubmissionStatus.ACCEPTING, heartbeat_at=long_ago()
    )
    assert reaper.reap()["acceptances"] == 1
    submission.refresh_from_db()
    assert submission.status == SubmissionStatus.PASSED
    assert "Accept it again" in submission.review_note
    # And it can be: the reviewer's action goes through the worker again.
    review.request_acceptance(submission, user=make_user(django_user_model, "rita", staff=True))
    assert Submission.objects.get().status == SubmissionStatus.ACCEPTED


def test_an_acceptance_waiting_in_the_queue_is_not_reaped(checked):
    submission, _ = checked
    Submission.objects.filter(pk=submission.pk).update(
        status=SubmissionStatus.ACCEPTING, heartbeat_at=None, check_started_at=long_ago()
    )
    assert reaper.reap()["acceptances"] == 0


def test_the_reaper_command(checked, capsys):
    from django.core.management import call_command

    submission, _ = checked
    die_mid_check(submission)
    call_command("reap_stalled_checks")
    assert "1 queued again, 0 stalled" in capsys.readouterr().out
