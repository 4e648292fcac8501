"""The queries behind the submitters' pages.

Every lookup of an upload goes through :func:`visible_submissions`: what a
user may not see does not exist for them (404, never 403, so that the
existence of another submitter's upload is not given away).
"""

from __future__ import annotations

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils import timezone

from results.models import Round, Submitter

from .models import Submission


def visible_submissions(user) -> QuerySet[Submission]:
    return Submission.objects.visible_to(user).select_related("round", "submitter", "uploaded_by")


def visible_submission(user, pk) -> Submission:
    return get_object_or_404(visible_submissions(user), pk=pk)


def user_submitters(user) -> QuerySet[Submitter]:
    """The submitters a user uploads for: their memberships (staff are no exception)."""
    if not user.is_authenticated:
        return Submitter.objects.none()
    return Submitter.objects.filter(memberships__user=user).order_by("name")


def visible_submitter(user, slug: str) -> Submitter:
    """A submitter whose uploads the user may see: a member's own, or any for staff."""
    submitters = Submitter.objects.all() if user.is_staff else user_submitters(user)
    return get_object_or_404(submitters, slug=slug)


def open_rounds(now=None) -> QuerySet[Round]:
    """Rounds taking uploads: staff set a deadline that has not passed."""
    return Round.objects.filter(submission_deadline__gt=now or timezone.now()).order_by(
        "submission_deadline"
    )


def upload_rounds() -> QuerySet[Round]:
    """Rounds an upload form may name: any with a deadline (a passed one gets a clear error)."""
    return Round.objects.filter(submission_deadline__isnull=False).order_by("-submission_deadline")


def versions(user, version: str, submitter_slug: str) -> tuple[Round, Submitter, list]:
    """Every upload of one submitter to one round, newest first."""
    submitter = visible_submitter(user, submitter_slug)
    round_ = get_object_or_404(Round, version=version)
    uploads = list(
        visible_submissions(user).filter(round=round_, submitter=submitter).order_by("-version")
    )
    if not uploads:
        raise Http404("no uploads")
    return round_, submitter, uploads


def version_of(uploads: list[Submission], number) -> Submission:
    try:
        number = int(number)
    except (TypeError, ValueError):
        raise Http404("no such version") from None
    for upload in uploads:
        if upload.version == number:
            return upload
    raise Http404("no such version")
