"""Staff keep memberships here, see every upload with its report, and review them.

The review queue lists the newest upload of each submitter that passed the
checks; accepting stages its rows for the round (public at publication),
rejecting sends the submitter the reason.
"""

from axes.admin import AccessAttemptAdmin
from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import render
from django.urls import path, reverse
from django.utils.html import format_html

from mlperf import RULES
from results.admin import action_with_form

from . import preview, review, uploads
from .models import PENDING, REVIEWED, Membership, Submission, SubmissionForReview, SubmissionStatus

User = get_user_model()


@admin.register(Membership)
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["user", "submitter", "created_at"]
    list_filter = ["submitter"]
    list_select_related = ["user", "submitter"]
    search_fields = ["user__username", "user__email", "submitter__name", "submitter__slug"]
    autocomplete_fields = ["user"]


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 1
    fields = ["submitter", "created_at"]
    readonly_fields = ["created_at"]
    verbose_name = "submitter this user uploads for"
    verbose_name_plural = "submitters this user uploads for"


# django-axes' admin (login lockouts): its clean-up action deletes attempts, so it needs
# the delete permission like Django's own delete action.
AccessAttemptAdmin.cleanup_expired_attempts.allowed_permissions = ("delete",)

# The user page gets the memberships inline, so staff set them where they create accounts.
if admin.site.is_registered(User):
    admin.site.unregister(User)


def _is_staff_account(user) -> bool:
    return user.is_staff or user.is_superuser


@admin.register(User)
class MemberUserAdmin(UserAdmin):
    """Curators hold change_user to keep memberships; only superusers touch roles.

    A curator may edit accounts that are not staff (their name, address, active
    flag and memberships) and set their passwords; a staff account, their own
    included, is read-only to them, so there is no path to the staff or
    superuser flags, groups, permissions or another staff member's password.
    """

    inlines = [*UserAdmin.inlines, MembershipInline]
    # What a curator edits on an account that is not staff.
    member_fieldsets = (
        (None, {"fields": ("username", "password")}),
        ("Personal info", {"fields": ("first_name", "last_name", "email")}),
        ("Access", {"fields": ("is_active",)}),
    )
    role_fields = ("is_staff", "is_superuser", "groups", "user_permissions")

    def get_fieldsets(self, request, obj=None):
        if obj is None or request.user.is_superuser:
            return super().get_fieldsets(request, obj)
        if not self.has_change_permission(request, obj):
            return (*self.member_fieldsets, ("Roles", {"fields": ("is_staff", "groups")}))
        return self.member_fieldsets

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if not request.user.is_superuser:
            readonly += ["last_login", "date_joined", *self.role_fields]
        return readonly

    def has_change_permission(self, request, obj=None):
        # Also guards the password form (UserAdmin.user_change_password asks this).
        if obj is not None and _is_staff_account(obj) and not request.user.is_superuser:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and _is_staff_account(obj) and not request.user.is_superuser:
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = [
        "received_at",
        "submitter",
        "round",
        "version",
        "status",
        "work",
        "original_name",
        "size",
        "uploaded_by",
    ]
    list_filter = ["status", "round", "submitter"]
    list_select_related = ["submitter", "round", "uploaded_by"]
    search_fields = ["id", "sha256", "original_name", "submitter__name", "uploaded_by__username"]
    date_hierarchy = "received_at"
    ordering = ["-received_at"]
    fieldsets = [
        (
            "Receipt",
            {
                "fields": [
                    "id",
                    "round",
                    "submitter",
                    "version",
                    "uploaded_by",
                    "received_at",
                    "archive",
                    "original_name",
                    "size",
                    "sha256",
                ]
            },
        ),
        (
            "Check",
            {
                "fields": [
                    "status",
                    "stage",
                    "progress",
                    "task_id",
                    "attempts",
                    "heartbeat_at",
                    "check_started_at",
                    "checked_at",
                    "report",
                ]
            },
        ),
        ("Review", {"fields": ["reviewed_by", "reviewed_at", "rejection_reason", "review_note"]}),
    ]
    # An upload is a record: everything is read-only; the review goes through the actions.
    readonly_fields = [name for _, options in fieldsets for name in options["fields"]]  # type: ignore[misc]
    actions = ["check_again", "accept", "reject"]

    def has_add_permission(self, request):
        return False  # uploads come through the site

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/review/",
                self.admin_site.admin_view(self.review_view),
                name=f"{opts.app_label}_{opts.model_name}_review",
            ),
            *super().get_urls(),
        ]

    def review_view(self, request, object_id):
        """The review in one place: findings by file and rule, waivers, the preview, and
        the accept and reject buttons (which run the list's actions)."""
        submission = self.get_object(request, object_id)
        if submission is None or not self.has_view_permission(request, submission):
            raise Http404
        may_review = self.has_change_permission(request, submission)
        waive_form = WaiveForm(request.POST if request.method == "POST" else None)
        if request.method == "POST":
            if not may_review:
                raise PermissionDenied
            if waive_form.is_valid():
                try:
                    review.waive_warning(
                        submission,
                        finding=waive_form.cleaned_data["finding"],
                        reason=waive_form.cleaned_data["reason"],
                        user=request.user,
                    )
                except review.ReviewError as exc:
                    messages.error(request, str(exc))
                else:
                    self.log_change(request, submission, "Warning waived")
                    messages.success(request, "Warning waived; the reason is kept with the upload.")
                    return HttpResponseRedirect(request.path)
        opts = self.model._meta
        context = {
            **self.admin_site.each_context(request),
            "title": f"Review {submission}",
            "opts": opts,
            "submission": submission,
            "files": findings_by_file(submission),
            "tables": preview.preview_tables(submission) if submission.is_checked else [],
            "may_review": may_review and submission.status == SubmissionStatus.PASSED,
            "may_waive": may_review,
            "changelist": reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"),
            "waive_form": waive_form,
        }
        return render(request, "admin/submissions/review.html", context)

    @admin.display(description="Progress")
    def work(self, obj):
        """What the worker is doing with it (a check, an acceptance), or why it stopped."""
        if obj.is_stalled:
            return "stalled: its worker stopped"
        if obj.status in (*PENDING, SubmissionStatus.ACCEPTING):
            return f"{obj.stage or obj.get_status_display()} ({obj.progress}%)"
        return obj.review_note or "—"

    def has_delete_permission(self, request, obj=None):
        return False  # every upload is kept

    @admin.action(description="Check again with the round's current rules", permissions=["change"])
    def check_again(self, request, queryset):
        count = 0
        # Pending ones too: a worker that died mid-check leaves an upload "checking".
        for submission in queryset.exclude(status__in=[*REVIEWED, SubmissionStatus.ACCEPTING]):
            Submission.objects.filter(pk=submission.pk).update(
                status=SubmissionStatus.QUEUED, progress=0, stage=""
            )
            uploads.enqueue_check(submission)
            count += 1
        self.message_user(request, f"{count} upload(s) queued for checking.", messages.SUCCESS)

    @admin.action(description="Accept: stage the rows for the round", permissions=["change"])
    def accept(self, request, queryset):
        # The worker checks the archive again and stages the rows (review.run_acceptance):
        # a large upload would time the request out. The list shows its progress.
        for submission in queryset.select_related("round", "submitter", "uploaded_by"):
            try:
                review.request_acceptance(submission, user=request.user)
            except review.ReviewError as exc:
                self.message_user(request, f"{submission}: {exc}", messages.ERROR)
                continue
            self.log_change(request, submission, "Acceptance requested")
            submission.refresh_from_db()
            if submission.status == SubmissionStatus.ACCEPTED:
                self.message_user(
                    request,
                    f"{submission}: accepted; its rows are staged for {submission.round}"
                    f"{'' if submission.round.is_published else ', public at its publication'}.",
                    messages.SUCCESS,
                )
            elif submission.review_note:
                message = f"{submission}: {submission.review_note}"
                self.message_user(request, message, messages.ERROR)
            else:
                self.message_user(
                    request,
                    f"{submission}: queued for acceptance; the worker checks it again "
                    "(progress in the list).",
                    messages.SUCCESS,
                )

    @admin.action(description="Reject with a reason…", permissions=["change"])
    def reject(self, request, queryset):
        return action_with_form(
            self,
            request,
            queryset.select_related("round", "submitter", "uploaded_by"),
            RejectForm,
            "Reject uploads",
            self._reject_one,
            done="uploads rejected",
        )

    def _reject_one(self, submission, data, request):
        try:
            review.reject_submission(submission, reason=data["reason"], user=request.user)
        except review.ReviewError as exc:
            raise ValidationError(str(exc)) from exc


def findings_by_file(submission) -> list[dict]:
    """The report's findings as the review reads them: by file, then by rule, errors
    first; each warning with its index (what a waiver names) and its waiver, if any."""
    waivers = {w["finding"]: w for w in submission.waivers}
    files: dict[str, dict[str, list]] = {}
    order = {"error": 0, "warning": 1, "info": 2}
    findings = submission.report.get("findings", [])
    for index, finding in sorted(
        enumerate(findings),
        key=lambda item: (item[1].get("path", ""), order.get(item[1].get("level"), 3)),
    ):
        rule = finding.get("rule", "")
        files.setdefault(finding.get("path") or "(the archive)", {}).setdefault(rule, []).append(
            {**finding, "index": index, "waiver": waivers.get(index)}
        )
    return [
        {
            "path": path,
            "rules": [
                {"rule": rule, "title": RULES[rule].title if rule in RULES else "", "items": items}
                for rule, items in rules.items()
            ],
        }
        for path, rules in files.items()
    ]


class WaiveForm(forms.Form):
    finding = forms.IntegerField(min_value=0, widget=forms.HiddenInput)
    reason = forms.CharField(max_length=2000, widget=forms.TextInput(attrs={"size": 50}))


class RejectForm(forms.Form):
    reason = forms.CharField(
        widget=forms.Textarea(attrs={"rows": 4, "cols": 60}),
        help_text="The submitter sees this on the upload's page and by mail.",
    )


@admin.register(SubmissionForReview)
class ReviewQueueAdmin(SubmissionAdmin):
    """Uploads that passed and wait for staff: accept or reject them from here."""

    list_display = [
        "received_at",
        "submitter",
        "round",
        "version",
        "results",
        "warnings",
        "work",
        "uploaded_by",
        "pages",
    ]
    list_filter = ["round", "submitter"]
    actions = ["accept", "reject"]
    date_hierarchy = None  # type: ignore[assignment]

    def get_queryset(self, request):
        return super().get_queryset(request).awaiting_review()

    @admin.display(description="Results")
    def results(self, obj):
        return obj.counts.get("results", 0)

    @admin.display(description="Warnings to waive")
    def warnings(self, obj):
        return obj.counts.get("warnings", 0)

    @admin.display(description="Review")
    def pages(self, obj):
        return format_html(
            '<a href="{}">review: the report, the preview, accept or reject</a>',
            reverse("admin:submissions_submissionforreview_review", args=[obj.pk]),
        )
