"""What comes in: submitters' members and the archives they upload.

A :class:`Submission` is one uploaded archive, for one round and one
submitter. Every upload is kept; each gets the next version number for its
(round, submitter) and the newest is the candidate staff review. Nothing here
reaches the public catalogue: staff review (accept/reject) writes the
catalogue rows, and only when the round is published do they show.
"""

from __future__ import annotations

import datetime as dt
import posixpath
import uuid

from django.conf import settings
from django.db import models
from django.db.models import OuterRef, Q, Subquery
from django.urls import reverse
from django.utils import timezone

from .storage import submission_storage

# File names an upload may have, longest first (".tar.gz" before ".gz").
ARCHIVE_SUFFIXES = (".tar.gz", ".tgz", ".tar", ".zip")


def archive_suffix(name: str) -> str | None:
    lowered = name.lower()
    return next((s for s in ARCHIVE_SUFFIXES if lowered.endswith(s)), None)


class Membership(models.Model):
    """A user who may upload, and see the uploads, of a submitter; kept by staff."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    submitter = models.ForeignKey(
        "results.Submitter", on_delete=models.CASCADE, related_name="memberships"
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["submitter__name", "user__username"]
        constraints = [
            models.UniqueConstraint(fields=["user", "submitter"], name="membership_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.submitter}"


class SubmissionStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    CHECKING = "checking", "Checking"
    PASSED = "passed", "Passed the checks"
    FAILED = "failed", "Failed the checks"
    # The check stopped (its worker died) more often than it is retried; staff can check again.
    STALLED = "stalled", "Stalled"
    # Set by staff review only.
    ACCEPTING = "accepting", "Being accepted"
    ACCEPTED = "accepted", "Accepted by staff"
    REJECTED = "rejected", "Rejected by staff"


PENDING = (SubmissionStatus.QUEUED, SubmissionStatus.CHECKING)
# Work a worker holds a lease on: it writes heartbeat_at while it runs.
LEASED = (SubmissionStatus.CHECKING, SubmissionStatus.ACCEPTING)
CHECKED = (SubmissionStatus.PASSED, SubmissionStatus.FAILED)
REVIEWED = (SubmissionStatus.ACCEPTED, SubmissionStatus.REJECTED)


class SubmissionQuerySet(models.QuerySet):
    def visible_to(self, user):
        """What a user may see: staff everything, members their submitters' uploads."""
        if not user.is_authenticated or not user.is_active:
            return self.none()
        if user.is_staff:
            return self
        return self.filter(submitter__memberships__user=user)

    def for_entry(self, round_, submitter):
        return self.filter(round=round_, submitter=submitter)

    def candidates(self):
        """The newest version of each (round, submitter): what staff review."""
        newest = (
            Submission.objects.filter(round=OuterRef("round"), submitter=OuterRef("submitter"))
            .order_by("-version")
            .values("pk")[:1]
        )
        return self.filter(pk=Subquery(newest))

    def pending(self):
        return self.filter(status__in=PENDING)

    def awaiting_review(self):
        """Candidates that passed the checks and no one has reviewed yet (or being accepted)."""
        return self.candidates().filter(
            status__in=[SubmissionStatus.PASSED, SubmissionStatus.ACCEPTING]
        )


def _archive_name(submission: Submission, filename: str) -> str:
    # Our own name, never the uploader's: one folder per round and submitter,
    # one file per submission.
    suffix = archive_suffix(filename) or ".bin"
    return posixpath.join(
        "submissions",
        submission.round.version,
        submission.submitter.slug,
        f"{submission.pk}{suffix}",
    )


class Submission(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    round = models.ForeignKey("results.Round", on_delete=models.PROTECT, related_name="submissions")
    submitter = models.ForeignKey(
        "results.Submitter", on_delete=models.PROTECT, related_name="submissions"
    )
    version = models.PositiveIntegerField(
        help_text="1, 2, 3 ... per round and submitter; the newest is the candidate."
    )
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        on_delete=models.SET_NULL,
        related_name="submissions",
    )
    received_at = models.DateTimeField(default=timezone.now)

    # The receipt: what was received, exactly.
    archive = models.FileField(storage=submission_storage, upload_to=_archive_name, max_length=300)
    original_name = models.CharField(max_length=255, help_text="The uploaded file's name.")
    size = models.PositiveBigIntegerField(help_text="Bytes received.")
    sha256 = models.CharField(max_length=64, help_text="SHA-256 of the bytes received.")

    # The check.
    status = models.CharField(
        max_length=10, choices=SubmissionStatus, default=SubmissionStatus.QUEUED
    )
    stage = models.CharField(max_length=100, blank=True, help_text="What the check is doing.")
    progress = models.PositiveSmallIntegerField(default=0, help_text="Percent of the check done.")
    task_id = models.CharField(max_length=64, blank=True, editable=False)
    heartbeat_at = models.DateTimeField(
        null=True, blank=True, help_text="Last sign of life of the worker checking it."
    )
    attempts = models.PositiveSmallIntegerField(
        default=0, help_text="Times a worker took the check (or the acceptance) up."
    )
    review_note = models.TextField(
        blank=True, help_text="Why the last acceptance did not go through, if it did not."
    )
    waivers = models.JSONField(
        default=list,
        blank=True,
        help_text="Warnings a reviewer waived: the finding, the reason, who and when.",
    )
    check_started_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(
        default=dict, blank=True, help_text="The checker's findings, systems and results."
    )

    # Staff review (accept/reject); set by the review, not by the check.
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_at = models.DateTimeField(null=True, blank=True)
    rejection_reason = models.TextField(blank=True)

    objects = SubmissionQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["round", "submitter", "version"], name="submission_version_unique"
            ),
            models.CheckConstraint(condition=Q(progress__lte=100), name="submission_progress"),
        ]
        indexes = [
            models.Index(fields=["status", "received_at"], name="submission_status_idx"),
        ]

    def __str__(self) -> str:
        return f"{self.submitter} {self.round.version} v{self.version} ({self.status})"

    def get_absolute_url(self) -> str:
        return reverse("submissions:detail", args=[self.pk])

    @property
    def is_pending(self) -> bool:
        return self.status in PENDING

    @property
    def is_checked(self) -> bool:
        return not self.is_pending

    @property
    def is_stalled(self) -> bool:
        """Stalled, or its worker has not been heard of for longer than the lease: the
        submitter is told, and the page stops refreshing, until the reaper queues it again."""
        if self.status == SubmissionStatus.STALLED:
            return True
        if self.status not in LEASED:
            return False
        seen = self.heartbeat_at or self.check_started_at
        lease = dt.timedelta(seconds=settings.SUBMISSION_CHECK_LEASE_SECONDS)
        return seen is not None and seen < timezone.now() - lease

    @property
    def check_seconds(self) -> float | None:
        if self.check_started_at and self.checked_at:
            return (self.checked_at - self.check_started_at).total_seconds()
        return None

    @property
    def unreadable(self) -> dict | None:
        return self.report.get("unreadable")

    @property
    def counts(self) -> dict:
        return self.report.get("counts", {})


class SubmissionForReview(Submission):
    """The review queue in the admin: the newest upload of each submitter that passed."""

    class Meta:
        proxy = True
        verbose_name = "upload awaiting review"
        verbose_name_plural = "review queue"
