"""Staff keep memberships here and see every upload with its report.

Deliberately simple: the review of uploads (accept, reject) builds on
``SubmissionAdmin``.
"""

from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin

from . import uploads
from .models import REVIEWED, Membership, Submission, SubmissionStatus

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
    readonly_fields = [
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
        "status",
        "stage",
        "progress",
        "task_id",
        "check_started_at",
        "checked_at",
        "report",
    ]
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
    actions = ["check_again"]

    def has_add_permission(self, request):
        return False  # uploads come through the site

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
