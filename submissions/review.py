"""Staff review of uploads: accept (stage the rows for the round) or reject with a reason."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from mlperf import CheckReport
from results.models import Entry, Result, System
from results.services import rows_changed

from . import uploads
from .models import REVIEWED, Submission, SubmissionStatus
from .services import ImportSummary, import_report


class ReviewError(Exception):
    """The upload cannot be accepted or rejected as asked; the message says why."""


ACCEPTABLE = (SubmissionStatus.PASSED, SubmissionStatus.ACCEPTING)


def request_acceptance(submission, *, user) -> None:
    """Queue the acceptance for the worker, which checks the archive again (minutes for a
    large one: never inside the admin's request). Its progress shows in the admin."""
    if submission.status != SubmissionStatus.PASSED:
        raise ReviewError(
            f"Only an upload that passed the checks can be accepted "
            f"(this one is {submission.get_status_display().lower()})."
        )
    _check_newest(submission)
    queued = Submission.objects.filter(pk=submission.pk, status=SubmissionStatus.PASSED).update(
        status=SubmissionStatus.ACCEPTING,
        stage="waiting for a worker",
        progress=0,
        heartbeat_at=None,
        review_note="",
        reviewed_by=user,
    )
    if not queued:
        raise ReviewError("Someone else reviewed this upload meanwhile.")
    from .tasks import accept_upload

    result = accept_upload.enqueue(str(submission.pk), user.pk if user else None)
    Submission.objects.filter(pk=submission.pk).update(task_id=str(result.id)[:64])


def run_acceptance(submission_id: str, user_id: int | None) -> str:
    """The worker's side of request_acceptance: claim, accept, or say why not."""
    from django.contrib.auth import get_user_model

    submission = (
        Submission.objects.select_related("round", "submitter", "uploaded_by")
        .filter(pk=submission_id)
        .first()
    )
    if submission is None or submission.status != SubmissionStatus.ACCEPTING:
        return submission.status if submission else "missing"
    attempt = submission.attempts + 1
    claimed = Submission.objects.filter(
        pk=submission.pk, status=SubmissionStatus.ACCEPTING, attempts=submission.attempts
    ).update(attempts=attempt, heartbeat_at=timezone.now(), stage="checking the archive again")
    if not claimed:
        return "taken"
    submission.attempts = attempt
    user = get_user_model().objects.filter(pk=user_id).first() if user_id else None
    try:
        accept_submission(submission, user=user, attempt=attempt)
    except ReviewError as exc:
        Submission.objects.filter(
            pk=submission.pk, status=SubmissionStatus.ACCEPTING, attempts=attempt
        ).update(status=SubmissionStatus.PASSED, stage="", progress=100, review_note=str(exc))
        return SubmissionStatus.PASSED
    return SubmissionStatus.ACCEPTED


def _check_newest(submission) -> None:
    newest = (
        Submission.objects.candidates()
        .filter(round=submission.round_id, submitter=submission.submitter_id)
        .values_list("pk", flat=True)
        .first()
    )
    if newest != submission.pk:
        raise ReviewError("A newer version of this upload exists; review the newest.")


def accept_submission(submission, *, user, attempt: int | None = None) -> ImportSummary:
    """Stage an upload's rows in its round: public at the round's publication, not before.

    The stored archive is checked again with the round's rules as they are now
    (outside the transaction: it may take a while), and only an acceptable
    report is written. Rows this submitter staged from an earlier version and
    the accepted one no longer has are removed while the round is unpublished
    (nothing public is ever deleted; after publication use corrections).
    ``attempt`` is the worker's claim (run_acceptance): its heartbeat keeps the lease,
    and nothing is written once the reaper has taken the acceptance back.
    """
    if submission.status not in ACCEPTABLE:
        raise ReviewError(
            f"Only an upload that passed the checks can be accepted "
            f"(this one is {submission.get_status_display().lower()})."
        )
    _check_newest(submission)
    progress = None
    if attempt is not None:
        progress = uploads._Progress(submission.pk, attempt, share=95)
    try:
        report = uploads.checked_report(submission, progress=progress)
    except Exception as exc:  # an archive that became unreadable, a storage error
        raise ReviewError(f"The archive could not be checked again: {exc}") from exc
    if not report.acceptable:
        raise ReviewError(
            f"The upload no longer passes the round's rules: {len(report.errors)} error(s), "
            f"e.g. {report.errors[0] if report.errors else 'no results'}."
        )
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if locked.status not in ACCEPTABLE or (attempt is not None and locked.attempts != attempt):
            raise ReviewError("Someone else reviewed this upload meanwhile.")
        summary = import_report(submission.round, report)
        if not submission.round.is_published:
            _drop_stale_staged_rows(submission, report)
        now = timezone.now()
        Submission.objects.filter(pk=submission.pk).update(
            status=SubmissionStatus.ACCEPTED,
            reviewed_by=user,
            reviewed_at=now,
            rejection_reason="",
            stage="",
            progress=100,
            review_note="",
        )
    submission.refresh_from_db()
    uploads.send_verdict(submission)
    return summary


def _drop_stale_staged_rows(submission, report: CheckReport) -> None:
    kept = {r.location for r in report.results}
    staged = Result.objects.filter(
        entry__system__round=submission.round, entry__system__submitter=submission.submitter
    ).select_related("entry__system")
    stale = [r.pk for r in staged if r.location not in kept]
    if stale:
        Result.objects.filter(pk__in=stale).delete()
        Entry.objects.filter(system__round=submission.round, results__isnull=True).delete()
        System.objects.filter(
            round=submission.round, submitter=submission.submitter, entries__isnull=True
        ).delete()
        rows_changed(submission.round)


def reject_submission(submission, *, reason: str, user) -> None:
    """Turn an upload down with a reason its submitter sees on the status page and by mail."""
    if not reason or not reason.strip():
        raise ReviewError("A rejection needs a reason for the submitter.")
    if submission.status in REVIEWED:
        raise ReviewError(f"This upload is already {submission.get_status_display().lower()}.")
    if submission.is_pending:
        raise ReviewError("This upload is still being checked.")
    Submission.objects.filter(pk=submission.pk).update(
        status=SubmissionStatus.REJECTED,
        reviewed_by=user,
        reviewed_at=timezone.now(),
        rejection_reason=reason.strip(),
    )
    submission.refresh_from_db()
    uploads.send_verdict(submission)


def waive_warning(submission, *, finding: int, reason: str, user) -> dict:
    """Waive one warning of the report (its index in ``report["findings"]``) with a reason,
    kept with the upload. Errors cannot be waived: they reject what they name."""
    if not reason or not reason.strip():
        raise ReviewError("A waiver needs a reason.")
    findings = submission.report.get("findings", [])
    if not 0 <= finding < len(findings) or findings[finding].get("level") != "warning":
        raise ReviewError("Only a warning of this upload's report can be waived.")
    if any(w["finding"] == finding for w in submission.waivers):
        raise ReviewError("This warning is already waived.")
    if submission.status not in (SubmissionStatus.PASSED, SubmissionStatus.ACCEPTING):
        raise ReviewError("Only the warnings of an upload awaiting review can be waived.")
    shown = findings[finding]
    waiver = {
        "finding": finding,
        "rule": shown.get("rule", ""),
        "path": shown.get("path", ""),
        "message": shown.get("message", ""),
        "reason": reason.strip(),
        "by": user.get_username(),
        "at": timezone.now().isoformat(timespec="seconds"),
    }
    with transaction.atomic():
        locked = Submission.objects.select_for_update().get(pk=submission.pk)
        if any(w["finding"] == finding for w in locked.waivers):
            raise ReviewError("This warning is already waived.")
        locked.waivers = [*locked.waivers, waiver]
        locked.save(update_fields=["waivers"])
    submission.waivers = locked.waivers
    return waiver
