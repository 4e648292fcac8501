"""Submitters' pages: upload, status and receipt, report, preview, versions.

Every page needs a login; an upload that is not the user's (nor staff's to
see) is a 404, exactly like one that does not exist.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any
from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.forms.utils import ErrorList
from django.http import FileResponse, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.template.defaultfilters import filesizeformat
from django.views.decorators.csrf import csrf_exempt, csrf_protect
from django.views.decorators.http import require_http_methods, require_safe

from mlperf import RULES

from . import preview, selectors, uploads
from .forms import UploadForm
from .handlers import HashingUploadHandler

# The report page lists at most this many findings; the JSON has them all.
MAX_FINDINGS_SHOWN = 1000
LEVELS = ("error", "warning", "info")


@login_required
@require_safe
def index(request: HttpRequest) -> HttpResponse:
    submissions = list(selectors.visible_submissions(request.user).order_by("-received_at")[:50])
    context = {
        "submitters": selectors.user_submitters(request.user),
        "open_rounds": selectors.open_rounds(),
        "submissions": submissions,
    }
    return render(request, "submissions/index.html", context)


@csrf_exempt
@login_required
def upload(request: HttpRequest) -> HttpResponse:
    # Before anything reads the body: stream the file to disk and hash it on the way.
    # (CSRF is then checked by csrf_protect below, once the handlers are in place.)
    request.upload_handlers = [HashingUploadHandler(request)]
    return _upload(request)


@csrf_protect
@require_http_methods(["GET", "POST"])
def _upload(request: HttpRequest) -> HttpResponse:
    max_bytes = settings.SUBMISSION_MAX_UPLOAD_BYTES
    open_rounds = selectors.open_rounds()
    submitters = selectors.user_submitters(request.user)
    if request.method == "POST":
        form = UploadForm(request.POST, request.FILES, user=request.user, max_bytes=max_bytes)
        valid = form.is_valid()
        too_large = getattr(request, "upload_too_large", None)
        if too_large:
            form.errors["archive"] = ErrorList(
                [f"The file is larger than {filesizeformat(too_large)}; nothing was kept."]
            )
            valid = False
        if valid:
            try:
                submission = uploads.receive_upload(
                    round_=form.cleaned_data["round"],
                    submitter=form.cleaned_data["submitter"],
                    user=request.user,
                    file=form.cleaned_data["archive"],
                )
            except uploads.UploadClosed as exc:
                form.add_error("round", str(exc))
            else:
                uploads.send_receipt(submission, request)
                uploads.enqueue_check(submission)
                messages.success(
                    request,
                    f"Received {submission.original_name} as version {submission.version}. "
                    "Keep this receipt.",
                )
                return redirect(submission)
    else:
        form = UploadForm(
            user=request.user,
            max_bytes=max_bytes,
            initial={"round": open_rounds.first(), "submitter": submitters.first()},
        )
    context = {"form": form, "open_rounds": open_rounds, "submitters": submitters}
    return render(request, "submissions/upload.html", context, status=400 if form.errors else 200)


@login_required
@require_safe
def detail(request: HttpRequest, pk: UUID) -> HttpResponse:
    submission = selectors.visible_submission(request.user, pk)
    newer = (
        selectors.visible_submissions(request.user)
        .filter(
            round=submission.round_id,
            submitter=submission.submitter_id,
            version__gt=submission.version,
        )
        .count()
    )
    context = {"submission": submission, "newer": newer}
    return render(request, "submissions/detail.html", context)


@login_required
@require_safe
def report(request: HttpRequest, pk: UUID) -> HttpResponse:
    submission = selectors.visible_submission(request.user, pk)
    level = request.GET.get("level", "")
    shown_levels = (level,) if level in LEVELS else ("error", "warning")
    findings = submission.report.get("findings", [])
    counts = {name: 0 for name in LEVELS}
    for finding in findings:
        counts[finding.get("level", "info")] = counts.get(finding.get("level", "info"), 0) + 1
    selected = [f for f in findings if f.get("level") in shown_levels]
    groups: OrderedDict[str, list[dict[str, Any]]] = OrderedDict()
    for finding in sorted(
        selected[:MAX_FINDINGS_SHOWN],
        key=lambda f: (f.get("path", ""), LEVELS.index(f.get("level", "info"))),
    ):
        rule = RULES.get(finding.get("rule", ""))
        groups.setdefault(finding.get("path") or "(the archive)", []).append(
            {**finding, "title": rule.title if rule else ""}
        )
    context = {
        "submission": submission,
        "groups": groups,
        "counts": counts,
        "level": level if level in LEVELS else "",
        "hidden": max(0, len(selected) - MAX_FINDINGS_SHOWN),
        "rejected": submission.report.get("rejected", []),
    }
    return render(request, "submissions/report.html", context)


@login_required
@require_safe
def report_json(request: HttpRequest, pk: UUID) -> HttpResponse:
    submission = selectors.visible_submission(request.user, pk)
    data = {
        "submission": str(submission.pk),
        "round": submission.round.version,
        "submitter": submission.submitter.slug,
        "version": submission.version,
        "received_at": submission.received_at.isoformat(),
        "file": submission.original_name,
        "size": submission.size,
        "sha256": submission.sha256,
        "status": submission.status,
        "report": submission.report,
    }
    response = JsonResponse(data, json_dumps_params={"indent": 1})
    response["Content-Disposition"] = (
        f'attachment; filename="submission-{submission.pk}-report.json"'
    )
    return response


@login_required
@require_safe
def preview_page(request: HttpRequest, pk: UUID) -> HttpResponse:
    submission = selectors.visible_submission(request.user, pk)
    tables = preview.preview_tables(submission) if submission.is_checked else []
    context = {
        "submission": submission,
        "tables": tables,
        "row_count": sum(len(t.rows) for t in tables),
        "result_count": len(submission.report.get("results", [])),
    }
    return render(request, "submissions/preview.html", context)


@login_required
@require_safe
def archive(request: HttpRequest, pk: UUID) -> FileResponse:
    submission = selectors.visible_submission(request.user, pk)
    return FileResponse(
        submission.archive.open("rb"),
        as_attachment=True,
        filename=submission.original_name,
        content_type="application/octet-stream",
    )


@login_required
@require_safe
def versions(request: HttpRequest, version: str, submitter: str) -> HttpResponse:
    round_, submitter_, uploads_ = selectors.versions(request.user, version, submitter)
    context = {"round": round_, "submitter": submitter_, "uploads": uploads_}
    return render(request, "submissions/versions.html", context)


@login_required
@require_safe
def compare(request: HttpRequest, version: str, submitter: str) -> HttpResponse:
    round_, submitter_, uploads_ = selectors.versions(request.user, version, submitter)
    if "from" not in request.GET and "to" not in request.GET:
        # The newest against the one before it.
        older, newer = uploads_[min(1, len(uploads_) - 1)], uploads_[0]
    else:
        older = selectors.version_of(uploads_, request.GET.get("from"))
        newer = selectors.version_of(uploads_, request.GET.get("to"))
    diff = preview.diff_versions(older, newer)
    context = {"round": round_, "submitter": submitter_, "uploads": uploads_, "diff": diff}
    return render(request, "submissions/compare.html", context)
