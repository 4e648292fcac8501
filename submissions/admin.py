"""Staff keep memberships here, see every upload with its report, and review them.

The review queue lists the newest upload of each submitter that passed the
checks; accepting stages its rows for the round (public at publication),
rejecting sends the submitter the reason.
"""

from django import forms
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html

from results.admin import action_with_form

from . import review, uploads
from .models import REVIEWED, Membership, Submission, SubmissionForReview, SubmissionStatus

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


# The user page gets the memberships inline, so staff set them where they create accounts.
if admin.site.is_registered(User):
    admin.site.unregister(User)


@admin.register(User)
class MemberUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, MembershipInline]


@admin.register(Submission)
class SubmissionAdmin(admin.ModelAdmin):
    list_display = [
        "received_at",
        "submitter",
        "round",
        "version",
        "status",
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
                    "check_started_at",
                    "checked_at",
                    "report",
                ]
            },
        ),
        ("Review", {"fields": ["reviewed_by", "reviewed_at", "rejection_reason"]}),
    ]
    # An upload is a record: everything is read-only; the review goes through the actions.
    readonly_fields = [name for _, options in fieldsets for name in options["fields"]]  # type: ignore[misc]
    actions = ["check_again", "accept", "reject"]

    def has_add_permission(self, request):
        return False  # uploads come through the site

    def has_delete_permission(self, request, obj=None):
        return False  # every upload is kept

    @admin.action(description="Check again with the round's current rules")
    def check_again(self, request, queryset):
        count = 0
        # Pending ones too: a worker that died mid-check leaves an upload "checking".
        for submission in queryset.exclude(status__in=REVIEWED):
            Submission.objects.filter(pk=submission.pk).update(
                status=SubmissionStatus.QUEUED, progress=0, stage=""
            )
            uploads.enqueue_check(submission)
            count += 1
        self.message_user(request, f"{count} upload(s) queued for checking.", messages.SUCCESS)

    @admin.action(description="Accept: stage the rows for the round", permissions=["change"])
    def accept(self, request, queryset):
        for submission in queryset.select_related("round", "submitter", "uploaded_by"):
            try:
                summary = review.accept_submission(submission, user=request.user)
            except review.ReviewError as exc:
                self.message_user(request, f"{submission}: {exc}", messages.ERROR)
                continue
            rows = summary.created["results"] + summary.updated["results"]
            self.log_change(request, submission, "Accepted")
            self.message_user(
                request,
                f"{submission}: accepted; {rows} results staged for {submission.round}"
                f"{'' if submission.round.is_published else ', public at its publication'}.",
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

    @admin.display(description="Findings and preview")
    def pages(self, obj):
        return format_html(
            '<a href="{}">report</a> · <a href="{}">preview</a>',
            reverse("submissions:report", args=[obj.pk]),
            reverse("submissions:preview", args=[obj.pk]),
        )
