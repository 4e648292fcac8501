"""Uploading: receipt, background check, report, preview, versions, deadline."""

import hashlib
import json
from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from results.models import Result, System
from submissions.models import Submission, SubmissionStatus

from .conftest import pack, upload


@pytest.fixture
def alice(client, member_a):
    client.force_login(member_a)
    return client


def test_upload_is_received_checked_and_passes(alice, open_round, ivatech_archive, upload_storage):
    results_before = Result.objects.count()
    response = upload(alice, open_round, "ivatech", ivatech_archive)
    submission = Submission.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/submissions/{submission.pk}/"

    # The receipt: what was received, exactly.
    data = ivatech_archive.read_bytes()
    assert submission.size == len(data)
    assert submission.sha256 == hashlib.sha256(data).hexdigest()
    assert submission.original_name == "ivatech.tar.gz"
    assert submission.version == 1
    assert submission.archive.name == f"submissions/v0.7/ivatech/{submission.pk}.tar.gz"
    assert (upload_storage / submission.archive.name).read_bytes() == data

    # Checked at once (the immediate task backend in tests), with the strict rules.
    assert submission.status == SubmissionStatus.PASSED
    assert submission.progress == 100 and submission.checked_at
    assert submission.report["strict"] is True and submission.report["acceptable"] is True
    assert submission.report["counts"]["results"] == 2
    assert {r["scenario"] for r in submission.report["results"]} == {"Offline", "SingleStream"}

    # Nothing reaches the catalogue.
    assert Result.objects.count() == results_before

    page = alice.get(response["Location"]).content.decode()
    assert str(submission.pk) in page and submission.sha256 in page
    assert f"{len(data)} bytes" in page
    assert "Passed the checks" in page

    # The receipt by mail, then the verdict.
    assert [m.subject for m in mail.outbox] == [
        "Receipt: IVATech v0.7 upload v1",
        "Passed the checks: IVATech v0.7 upload v1",
    ]
    receipt = mail.outbox[0]
    assert receipt.to == ["alice@example.org"]
    assert submission.sha256 in receipt.body and str(submission.pk) in receipt.body
    assert f"http://testserver/submissions/{submission.pk}/" in receipt.body


def test_report_groups_findings_by_file_with_rule_and_section(
    alice, open_round, ivatech_tree, tmp_path
):
    org = ivatech_tree / "closed" / "IVATech"
    result = org / "results/iva-fpga-1/resnet/Offline"
    (result / "accuracy" / "accuracy.txt").unlink()
    verify = org / "compliance/iva-fpga-1/resnet/SingleStream/TEST05/verify_performance.txt"
    verify.write_text("TEST FAIL\n")
    upload(alice, open_round, "ivatech", pack(ivatech_tree, tmp_path / "broken.tar.gz"))
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.FAILED

    page = alice.get(f"/submissions/{submission.pk}/report/").content.decode()
    path = "closed/IVATech/results/iva-fpga-1/resnet/Offline/accuracy/accuracy.txt"
    assert f"<code>{path}</code>" in page
    section = page.split(f"<code>{path}</code>")[1].split("</section>")[0]
    assert "A1" in section and "(§7.2)" in section and "missing accuracy.txt" in section
    assert "badge-error" in section
    # The failing compliance test is a warning, under its own file.
    assert "TEST05/verify_performance.txt</code>" in page
    warnings = alice.get(f"/submissions/{submission.pk}/report/?level=warning").content.decode()
    assert "C1" in warnings and "A1" not in warnings

    data = json.loads(alice.get(f"/submissions/{submission.pk}/report.json").content)
    assert data["sha256"] == submission.sha256
    assert any(f["rule"] == "A1" and f["path"] == path for f in data["report"]["findings"])


def test_preview_shows_the_rows_as_the_round_page_would(alice, open_round, ivatech_archive):
    upload(alice, open_round, "ivatech", ivatech_archive)
    submission = Submission.objects.get()
    systems_before = System.objects.count()
    response = alice.get(f"/submissions/{submission.pk}/preview/")
    page = response.content.decode()
    assert response.status_code == 200
    assert "1 row and 2 results" in page
    assert "Edge, Closed division" in page
    assert "iva-fpga-1" in page or "IVA" in page
    assert 'title="Result IDs come at publication">new<' in page
    table = response.context["tables"][0]
    assert [c.name for c in table.columns if "resnet" in c.name] == [
        "resnet-SingleStream",
        "resnet-Offline",
    ]
    assert System.objects.count() == systems_before  # nothing saved


def test_every_upload_is_a_version_and_versions_compare(alice, open_round, ivatech_tree, tmp_path):
    upload(alice, open_round, "ivatech", pack(ivatech_tree, tmp_path / "v1.tar.gz"))
    results = ivatech_tree / "closed/IVATech/results/iva-fpga-1/resnet"
    summary = results / "Offline/performance/run_1/mlperf_log_summary.txt"
    lines = summary.read_text().splitlines()
    lines = [
        "Samples per second: 999.5" if line.startswith("Samples per second") else line
        for line in lines
    ]
    summary.write_text("\n".join(lines) + "\n")
    upload(alice, open_round, "ivatech", pack(ivatech_tree, tmp_path / "v2.tar.gz"))
    (results / "SingleStream/accuracy/accuracy.txt").unlink()
    upload(alice, open_round, "ivatech", pack(ivatech_tree, tmp_path / "v3.tar.gz"))

    v1, v2, v3 = Submission.objects.order_by("version")
    assert [s.version for s in (v1, v2, v3)] == [1, 2, 3]
    assert [s.status for s in (v1, v2, v3)] == ["passed", "passed", "failed"]
    assert list(Submission.objects.candidates()) == [v3]
    assert all(s.archive.storage.exists(s.archive.name) for s in (v1, v2, v3))  # none deleted

    page = alice.get("/submissions/rounds/v0.7/ivatech/").content.decode()
    assert page.count("<code>v1.tar.gz</code>") == 1 and "candidate" in page

    diff = alice.get("/submissions/rounds/v0.7/ivatech/compare/?from=1&to=2").context["diff"]
    assert [c.scenario for c in diff.changed] == ["Offline"]
    assert diff.changed[0].changed_fields == ["value"]
    assert diff.changed[0].after["value"] == 999.5
    assert diff.unchanged == 1 and not diff.added and not diff.removed

    # v3 lost its SingleStream result and with it (edge needs both) the Offline one.
    response = alice.get("/submissions/rounds/v0.7/ivatech/compare/")
    diff = response.context["diff"]
    assert (diff.older.version, diff.newer.version) == (2, 3)
    assert len(diff.removed) == 2
    assert "removed" in response.content.decode()

    # Either way round.
    diff = alice.get("/submissions/rounds/v0.7/ivatech/compare/?from=3&to=1").context["diff"]
    assert (diff.older.version, diff.newer.version) == (1, 3)
    assert alice.get("/submissions/rounds/v0.7/ivatech/compare/?from=9&to=1").status_code == 404


def test_uploads_after_the_deadline_are_refused(alice, open_round, ivatech_archive, upload_storage):
    open_round.submission_deadline = timezone.now() - timedelta(minutes=1)
    open_round.save()
    response = upload(alice, open_round, "ivatech", ivatech_archive)
    assert response.status_code == 400
    assert "The submission deadline for MLPerf Inference v0.7 was" in response.content.decode()
    assert "uploads are closed" in response.content.decode()
    assert not Submission.objects.exists()
    assert not any(upload_storage.rglob("*.gz"))
    page = alice.get("/submissions/new/").content.decode()
    assert "No round is open for submissions" in page


def test_a_round_without_deadline_takes_no_uploads(alice, v07, ivatech_archive):
    assert v07.submission_deadline is None
    response = upload(alice, v07, "ivatech", ivatech_archive)
    assert response.status_code == 400
    assert not Submission.objects.exists()


def test_upload_only_for_ones_own_submitters(alice, open_round, ivatech_archive):
    response = upload(alice, open_round, "mobilint", ivatech_archive)
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()
    assert not Submission.objects.exists()


def test_archive_of_another_submitter_fails_the_check(
    client, member_b, open_round, ivatech_archive
):
    client.force_login(member_b)
    upload(client, open_round, "mobilint", ivatech_archive)
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.FAILED
    finding = next(f for f in submission.report["findings"] if f["rule"] == "IN6")
    assert finding["path"] == "closed/IVATech"
    assert "another submitter (IVATech)" in finding["message"]
    assert submission.report["results"] == []


@pytest.mark.parametrize(
    ("name", "words"),
    [("submission.rar", "not one of the accepted kinds"), ("notes.txt", "rule IN1")],
)
def test_file_names_that_are_no_archive_are_refused(
    alice, open_round, ivatech_archive, name, words
):
    response = upload(alice, open_round, "ivatech", ivatech_archive, name=name)
    assert response.status_code == 400
    assert words in response.content.decode()
    assert not Submission.objects.exists()


def test_uploads_over_the_size_limit_are_refused(
    alice, open_round, ivatech_archive, settings, upload_storage
):
    settings.SUBMISSION_MAX_UPLOAD_BYTES = 10_000
    assert ivatech_archive.stat().st_size > 10_000
    response = upload(alice, open_round, "ivatech", ivatech_archive)
    assert response.status_code == 400
    assert "The file is larger than 9.8" in response.content.decode()
    assert not Submission.objects.exists()
    assert list(upload_storage.rglob("*")) == []


def test_upload_page_for_a_user_of_no_submitter(client, staff, open_round):
    client.force_login(staff)
    page = client.get("/submissions/new/").content.decode()
    assert "not a member of any submitter" in page


def test_upload_page_lists_open_rounds_and_own_submitters(alice, open_round):
    response = alice.get("/submissions/new/")
    form = response.context["form"]
    assert list(form.fields["submitter"].queryset.values_list("slug", flat=True)) == ["ivatech"]
    assert form.initial["round"] == open_round
    page = response.content.decode()
    assert 'enctype="multipart/form-data"' in page
    assert "check_submission PATH --round v0.7" in page


def test_index_lists_own_uploads(alice, open_round, ivatech_archive):
    upload(alice, open_round, "ivatech", ivatech_archive)
    page = alice.get("/submissions/").content.decode()
    assert "ivatech.tar.gz" in page and "Open for submissions" in page
    assert "You upload for <strong>IVATech</strong>" in page


def test_status_page_refreshes_while_the_check_is_pending(alice, open_round, ivatech_archive):
    upload(alice, open_round, "ivatech", ivatech_archive)
    submission = Submission.objects.get()
    Submission.objects.filter(pk=submission.pk).update(
        status="checking", stage="reading the archive", progress=42
    )
    page = alice.get(f"/submissions/{submission.pk}/").content.decode()
    assert '<meta http-equiv="refresh" content="3">' in page
    assert 'progress max="100" value="42"' in page and "reading the archive (42%)" in page
    Submission.objects.filter(pk=submission.pk).update(status="passed")
    assert "refresh" not in alice.get(f"/submissions/{submission.pk}/").content.decode()


def test_a_checker_crash_fails_the_upload_with_a_clear_message(
    alice, open_round, ivatech_archive, monkeypatch, caplog
):
    from submissions import uploads

    def crash(*args, **kwargs):
        raise RuntimeError("bug")

    monkeypatch.setattr(uploads, "check_tree", crash)
    upload(alice, open_round, "ivatech", ivatech_archive)
    submission = Submission.objects.get()
    assert submission.status == SubmissionStatus.FAILED
    assert "internal error" in submission.report["internal_error"]
    assert "checking submission" in caplog.text
    page = alice.get(f"/submissions/{submission.pk}/").content.decode()
    assert "This is our fault, not your archive" in page
