"""A review staff can do in one place (issue 12, item 10): findings by file and rule
(not JSON), the preview, the accept and reject buttons; a waived warning keeps its
reason with the upload."""

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client

from submissions.models import Submission, SubmissionStatus

from .conftest import make_user, upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def passed(member_a, open_round, ivatech_archive):
    client = Client()
    client.force_login(member_a)
    upload(client, open_round, "ivatech", ivatech_archive)
    submission = Submission.objects.get()
    assert submission.status == "passed"
    return submission


@pytest.fixture
def curator(django_user_model):
    user = make_user(django_user_model, "cora", staff=True)
    user.groups.add(Group.objects.get(name="Curators"))
    client = Client()
    client.force_login(user)
    return client


def url(submission):
    return f"/admin/submissions/submissionforreview/{submission.pk}/review/"


def with_a_warning(submission):
    report = submission.report
    report["findings"].append(
        {"path": "closed/IVATech/systems/iva-fpga-1.json", "rule": "SY2", "level": "warning",
         "message": "field 'host_memory_capacity' is empty", "section": "3.2"}
    )  # fmt: skip
    Submission.objects.filter(pk=submission.pk).update(report=report)
    submission.refresh_from_db()
    return len(report["findings"]) - 1


def test_the_review_page_has_findings_preview_and_buttons(passed, curator):
    with_a_warning(passed)
    queue = curator.get("/admin/submissions/submissionforreview/").content.decode()
    assert url(passed) in queue
    page = curator.get(url(passed)).content.decode()
    assert "<code>closed/IVATech/systems/iva-fpga-1.json</code>" in page
    assert (
        "<strong>SY2</strong>" in page and "field &#x27;host_memory_capacity&#x27; is empty" in page
    )
    assert '"findings"' not in page  # findings, not the JSON
    assert "Preview: the rows" in page and 'class="id"' in page  # the preview's table
    assert 'value="accept"' in page and 'value="reject"' in page
    # The buttons run the list's actions: accept (on the worker), reject asks for a reason.
    response = curator.post(
        "/admin/submissions/submissionforreview/",
        {"action": "reject", "_selected_action": [str(passed.pk)]},
    )
    assert "reason" in response.content.decode()


def test_a_warning_is_waived_with_a_reason_kept_with_the_upload(passed, curator):
    index = with_a_warning(passed)
    response = curator.post(url(passed), {"finding": index, "reason": "Capacity is in notes."})
    assert response.status_code == 302
    passed.refresh_from_db()
    (waiver,) = passed.waivers
    assert (waiver["finding"], waiver["rule"], waiver["reason"], waiver["by"]) == (
        index,
        "SY2",
        "Capacity is in notes.",
        "cora",
    )
    page = curator.get(url(passed)).content.decode()
    assert "Waived by cora" in page and "Capacity is in notes." in page
    # Once only, with a reason, and only warnings.
    for data in (
        {"finding": index, "reason": "again"},
        {"finding": 0, "reason": "not a warning"},
        {"finding": index, "reason": " "},
    ):
        curator.post(url(passed), data)
    passed.refresh_from_db()
    assert len(passed.waivers) == 1


def test_view_only_staff_see_the_review_but_cannot_act(passed, django_user_model):
    index = with_a_warning(passed)
    viewer = make_user(django_user_model, "vera", staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_submissionforreview"))
    client = Client()
    client.force_login(viewer)
    page = client.get(url(passed)).content.decode()
    assert "SY2" in page and 'value="accept"' not in page and "Waive" not in page
    assert client.post(url(passed), {"finding": index, "reason": "x"}).status_code == 403
    assert Submission.objects.get().waivers == []
    assert Submission.objects.get().status == SubmissionStatus.PASSED
