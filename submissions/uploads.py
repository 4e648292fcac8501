"""Services for uploads: receive an archive, check it in the background, tell the uploader.

These write only the :class:`~submissions.models.Submission` row and its
archive in the submissions storage. The catalogue is not touched: staff
review turns an accepted report into rows (``services.import_report``).
"""

from __future__ import annotations

import hashlib
import logging
import time

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import dateformat, timezone

from mlperf import (
    RULES,
    CheckReport,
    Finding,
    Level,
    UnreadableInput,
    check_tree,
    read_tree,
)
from results.models import Round, Submitter
from results.rules import rules_for_round

from .models import Submission, SubmissionStatus
from .services import archive_limits
from .storage import local_path

logger = logging.getLogger(__name__)

REPORT_FORMAT = 1


class UploadClosed(Exception):
    """The round takes no uploads (no deadline set, or the deadline has passed)."""


def is_open(round_: Round, now=None) -> bool:
    deadline = round_.submission_deadline
    return deadline is not None and (now or timezone.now()) < deadline


def closed_message(round_: Round) -> str:
    deadline = round_.submission_deadline
    if deadline is None:
        return f"{round_} is not open for submissions."
    when = dateformat.format(timezone.localtime(deadline), "j F Y, H:i T")
    return f"The submission deadline for {round_} was {when}; uploads are closed."


# --- receiving --------------------------------------------------------------


def receive_upload(*, round_: Round, submitter: Submitter, user, file) -> Submission:
    """Store an uploaded archive as the next version of (round, submitter).

    ``file`` is a Django ``File`` (an ``UploadedFile`` from the form); when
    the upload handler already hashed it on the way in, its ``sha256`` is
    used, otherwise the file is hashed here in chunks. The archive goes to the
    submissions storage under a name of our own.
    """
    if not is_open(round_):
        raise UploadClosed(closed_message(round_))
    digest = getattr(file, "sha256", None) or _sha256(file)
    original_name = _clean_name(getattr(file, "name", "") or "upload")
    for attempt in range(3):
        try:
            with transaction.atomic():
                # One number at a time per submitter: the row lock queues concurrent
                # uploads on PostgreSQL (SQLite's writers queue on the database lock).
                list(
                    Submitter.objects.select_for_update().filter(pk=submitter.pk).values_list("pk")
                )
                latest = Submission.objects.for_entry(round_, submitter).aggregate(
                    n=Max("version")
                )["n"]
                submission = Submission(
                    round=round_,
                    submitter=submitter,
                    version=(latest or 0) + 1,
                    uploaded_by=user,
                    original_name=original_name,
                    size=file.size,
                    sha256=digest,
                )
                submission.save(force_insert=True)
            break
        except IntegrityError:
            if attempt == 2:
                raise
    # Then the bytes, outside the transaction: moving gigabytes into storage must not
    # hold the lock that other uploads wait for.
    try:
        submission.archive.save(original_name, file, save=False)
        Submission.objects.filter(pk=submission.pk).update(archive=submission.archive.name)
    except BaseException:
        Submission.objects.filter(pk=submission.pk).delete()
        raise
    return submission


def _sha256(file) -> str:
    digest = hashlib.sha256()
    file.seek(0)
    for chunk in file.chunks():
        digest.update(chunk)
    file.seek(0)
    return digest.hexdigest()


def _clean_name(name: str) -> str:
    # For display only: the last path part, printable, bounded.
    name = name.replace("\\", "/").rsplit("/", 1)[-1]
    name = "".join(c if c.isprintable() else "?" for c in name).strip()
    return name[:255] or "upload"


def enqueue_check(submission: Submission) -> None:
    """Queue the check (run at once when the task backend is the immediate one)."""
    from .tasks import check_submission

    result = check_submission.enqueue(str(submission.pk))
    Submission.objects.filter(pk=submission.pk).update(task_id=str(result.id)[:64])


# --- checking ---------------------------------------------------------------


class _Progress:
    """Writes the share of the archive read so far, and the heartbeat that keeps the
    worker's lease (models.Submission.is_stalled), at most about once a second."""

    def __init__(self, submission_id, attempt: int | None = None, share: float = 90):
        self.submission_id = submission_id
        self.attempt = attempt
        self.share = share
        self.last = 0.0

    def __call__(self, fraction: float) -> None:
        now = time.monotonic()
        if now - self.last < 1.0 and fraction < 1.0:
            return
        self.last = now
        rows = Submission.objects.filter(pk=self.submission_id)
        if self.attempt is not None:
            rows = rows.filter(attempts=self.attempt)
        # Reading is most of the work; the rules and the report take the last tenth.
        rows.update(
            progress=int(fraction * self.share),
            stage="reading the archive" if fraction < 1 else "applying the round's rules",
            heartbeat_at=timezone.now(),
        )


def checked_report(submission: Submission, progress=None) -> CheckReport:
    """Check a stored upload again and return the checker's report, writing nothing.

    For staff review: an accepted upload's rows come from this report
    (``services.import_report(submission.round, checked_report(submission))``),
    with the round's rules as they are at that moment. Raises
    ``UnreadableInput`` for an archive that cannot be read.
    """
    rules = rules_for_round(submission.round)
    with local_path(submission.archive) as path:
        tree = read_tree(
            path, archive_limits(), rules=rules, label=submission.original_name, progress=progress
        )
    return check_tree(
        tree,
        rules,
        strict=True,
        submitters={submission.submitter.slug},
    )


def run_check(submission_id) -> str:
    """Check one upload with the round's strict rules; store the report and the verdict.

    The worker claims a queued upload by taking the next attempt number, keeps a lease
    on it by writing ``heartbeat_at`` as it reads, and writes its verdict only while the
    attempt is still its own: if the reaper gave the check to another worker meanwhile
    (this one looked dead), this one's result is dropped. So a check killed at any point
    is checked again from the start, and only one verdict is ever written, in one update.
    An upload that is not queued is left alone.
    """
    submission = (
        Submission.objects.select_related("round", "submitter").filter(pk=submission_id).first()
    )
    if submission is None or submission.status != SubmissionStatus.QUEUED:
        return submission.status if submission else "missing"
    attempt = submission.attempts + 1
    now = timezone.now()
    claimed = Submission.objects.filter(
        pk=submission.pk, status=SubmissionStatus.QUEUED, attempts=submission.attempts
    ).update(
        status=SubmissionStatus.CHECKING,
        stage="reading the archive",
        progress=0,
        attempts=attempt,
        check_started_at=now,
        heartbeat_at=now,
    )
    if not claimed:
        return "taken"  # another worker claimed it first
    try:
        report = checked_report(submission, progress=_Progress(submission.pk, attempt))
        data = report_data(report)
        passed = report.acceptable
    except UnreadableInput as exc:
        data = unreadable_data(submission, exc)
        passed = False
    except Exception:
        logger.exception("checking submission %s failed", submission.pk)
        data = internal_error_data(submission)
        passed = False
    status = SubmissionStatus.PASSED if passed else SubmissionStatus.FAILED
    written = Submission.objects.filter(
        pk=submission.pk, status=SubmissionStatus.CHECKING, attempts=attempt
    ).update(
        status=status,
        report=json_safe(data),
        stage="",
        progress=100,
        checked_at=timezone.now(),
    )
    if not written:
        logger.warning("check of submission %s (attempt %s) was taken over", submission.pk, attempt)
        return "taken"
    submission.refresh_from_db()
    send_verdict(submission)
    return submission.status


def report_data(report: CheckReport) -> dict:
    """A check report as JSON: what the report page, the preview and the diff read."""
    return {"format": REPORT_FORMAT, **report.as_dict()}


def json_safe(value):
    """The report with every string storable in any JSON column: PostgreSQL's jsonb
    refuses NUL characters and lone surrogates, which hostile file names and
    system descriptions can carry. Both are written out as escapes."""
    if isinstance(value, str):
        if value.isprintable() or not any(c == "\x00" or "\ud800" <= c <= "\udfff" for c in value):
            return value
        return value.encode("utf-8", "backslashreplace").decode("utf-8").replace("\x00", "\\x00")
    if isinstance(value, dict):
        return {json_safe(k): json_safe(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [json_safe(v) for v in value]
    return value


def unreadable_data(submission: Submission, exc: UnreadableInput) -> dict:
    rule = exc.rule if exc.rule in RULES else "IN1"
    finding = Finding(exc.path or submission.original_name, rule, Level.ERROR, str(exc))
    return {
        "format": REPORT_FORMAT,
        "input": submission.original_name,
        "round": submission.round.version,
        "strict": True,
        "acceptable": False,
        "unreadable": {"rule": rule, "path": finding.path, "message": str(exc)},
        "counts": {"systems": 0, "results": 0, "errors": 1, "warnings": 0},
        "findings": [finding.as_dict()],
        "rejected": [],
        "systems": [],
        "results": [],
    }


def internal_error_data(submission: Submission) -> dict:
    message = (
        "The checker stopped on an internal error. This is our fault, not your archive's: "
        "staff have been told; upload again later or contact them."
    )
    return {
        "format": REPORT_FORMAT,
        "input": submission.original_name,
        "round": submission.round.version,
        "strict": True,
        "acceptable": False,
        "internal_error": message,
        "counts": {"systems": 0, "results": 0, "errors": 0, "warnings": 0},
        "findings": [],
        "rejected": [],
        "systems": [],
        "results": [],
    }


# --- telling the uploader ---------------------------------------------------


def _absolute(request, path: str) -> str:
    return request.build_absolute_uri(path) if request is not None else path


def _mail_uploader(submission: Submission, subject: str, template: str, url: str) -> None:
    user = submission.uploaded_by
    if user is None or not user.email:
        return
    send_mail(
        subject=f"{subject}: {submission.submitter} {submission.round.version} "
        f"upload v{submission.version}",
        message=render_to_string(template, {"submission": submission, "url": url}),
        from_email=None,
        recipient_list=[user.email],
    )


def send_receipt(submission: Submission, request=None) -> None:
    url = _absolute(request, submission.get_absolute_url())
    _mail_uploader(submission, "Receipt", "submissions/email/receipt.txt", url)


def send_verdict(submission: Submission) -> None:
    url = settings.SITE_URL + reverse("submissions:report", args=[submission.pk])
    try:
        _mail_uploader(
            submission, submission.get_status_display(), "submissions/email/verdict.txt", url
        )
    except OSError:
        # The verdict is on the page; a mail server that is down must not undo the check.
        logger.exception("could not mail the verdict of submission %s", submission.pk)
