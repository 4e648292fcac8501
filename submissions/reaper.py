"""Checks that finish: the reaper of work whose worker died.

A worker keeps a lease on the upload it checks (or accepts) by writing
``heartbeat_at`` as it goes. One not heard of for SUBMISSION_CHECK_LEASE_SECONDS
is taken to be dead (killed by the OOM killer, a deploy, a lost machine):

- a check is queued again, from the start, up to SUBMISSION_CHECK_ATTEMPTS
  attempts; then the upload is marked stalled, with the reason, for the
  submitter to see and staff to check again;
- an acceptance goes back to "passed" with the reason, for staff to accept again
  (the import is one transaction: nothing of it was written).

``manage.py check_worker`` runs it every few seconds beside the worker, and
``manage.py reap_stalled_checks`` once (for cron).
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from . import uploads
from .models import Submission, SubmissionStatus

logger = logging.getLogger(__name__)


def _fail_task_row(task_id: str, now) -> None:
    """The dead worker's task row would say "running" forever: say it failed."""
    try:
        uuid.UUID(task_id)  # the database backend's ids; other backends keep no rows
        from django_tasks_db.models import DBTaskResult
    except (ValueError, ImportError):
        return
    DBTaskResult.objects.filter(pk=task_id, status="RUNNING").update(
        status="FAILED", finished_at=now
    )


def stalled_data(submission: Submission, attempts: int) -> dict:
    data = uploads.internal_error_data(submission)
    data["internal_error"] = (
        f"The check stopped {attempts} times before it finished (its worker was ended, "
        "most likely for want of memory or by a restart). Staff have been told; they can "
        "check it again, or upload again later."
    )
    data["stalled"] = True
    return data


def reap(now: dt.datetime | None = None) -> dict[str, int]:
    """Queue again, or give up on, every check and acceptance whose lease has expired."""
    now = now or timezone.now()
    cutoff = now - dt.timedelta(seconds=settings.SUBMISSION_CHECK_LEASE_SECONDS)
    # A check is leased from its claim; an acceptance from when a worker takes it up (one
    # waiting in the queue has no heartbeat yet and is not dead).
    expired = Q(heartbeat_at__lt=cutoff) | Q(
        heartbeat_at__isnull=True,
        check_started_at__lt=cutoff,
        status=SubmissionStatus.CHECKING,
    )
    done = {"requeued": 0, "stalled": 0, "acceptances": 0}
    stale = Submission.objects.select_related("round", "submitter", "uploaded_by").filter(
        expired, status__in=[SubmissionStatus.CHECKING, SubmissionStatus.ACCEPTING]
    )
    for submission in stale:
        # Only if nothing moved since it was read: the worker may have come back.
        rows = Submission.objects.filter(
            pk=submission.pk, status=submission.status, attempts=submission.attempts
        )
        if submission.status == SubmissionStatus.ACCEPTING:
            if rows.update(
                status=SubmissionStatus.PASSED,
                stage="",
                progress=100,
                review_note="The worker accepting it stopped before it finished; nothing was "
                "staged. Accept it again.",
            ):
                done["acceptances"] += 1
                _fail_task_row(submission.task_id, now)
            continue
        limit = settings.SUBMISSION_CHECK_ATTEMPTS
        if submission.attempts < limit:
            if rows.update(
                status=SubmissionStatus.QUEUED,
                progress=0,
                stage=f"the check stopped; checking again (attempt {submission.attempts + 1} "
                f"of {limit})",
            ):
                logger.warning("check of %s stalled; queued again", submission.pk)
                _fail_task_row(submission.task_id, now)
                uploads.enqueue_check(submission)
                done["requeued"] += 1
        elif rows.update(
            status=SubmissionStatus.STALLED,
            stage="",
            progress=100,
            checked_at=now,
            report=stalled_data(submission, submission.attempts),
        ):
            logger.error("check of %s stalled %s times; given up", submission.pk, limit)
            _fail_task_row(submission.task_id, now)
            submission.refresh_from_db()
            uploads.send_verdict(submission)
            done["stalled"] += 1
    return done
