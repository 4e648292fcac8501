"""Staff curation: rules copied, hand entry, embargo and corrections, through services and pages."""

import datetime as dt
import re

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from results import services
from results.models import (
    Benchmark,
    Category,
    Correction,
    Entry,
    Result,
    Round,
    Scenario,
    Submitter,
    System,
    SystemType,
)
from results.rules import rules_for_round

pytestmark = pytest.mark.django_db


@pytest.fixture
def v10(v07):
    round_ = Round.objects.create(
        version="v1.0",
        title="MLPerf Inference v1.0",
        result_id_prefix="1.0",
        published_at=timezone.now() + dt.timedelta(days=30),
    )
    services.copy_rules(v07, round_)
    return round_


def test_copy_rules_gives_the_same_checker_rules(v07, v10):
    copied = rules_for_round(v10)
    original = rules_for_round(v07)
    assert copied.benchmarks == original.benchmarks
    assert copied.scenarios == original.scenarios
    assert copied.categories == original.categories
    assert copied.seeds == original.seeds
    assert Benchmark.objects.filter(round=v10).count() == 10
    with pytest.raises(ValidationError, match="already has rules"):
        services.copy_rules(v07, v10)


def enter_phone(round_, **overrides):
    return services.enter_system(round_, **phone_arguments(round_, **overrides))


def phone_arguments(round_, **overrides):
    resnet = Benchmark.objects.get(round=round_, slug="resnet")
    ssd = Benchmark.objects.get(round=round_, slug="ssd-small")
    single = Scenario.objects.get(round=round_, name="SingleStream")
    arguments = {
        "division": "closed",
        "submitter": Submitter.objects.get_or_create(slug="acme", defaults={"name": "Acme"})[0],
        "folder_id": "phone-x1",
        "name": "Acme Phone X1",
        "system_type": SystemType.objects.get(slug="mobile-phone"),
        "category": Category.objects.get(round=round_, slug="available"),
        "processor": "Acme SoC 9",
        "processor_count": 1,
        "accelerator": "Acme NPU",
        "accelerator_count": 1,
        "software": "Acme NN SDK 2",
        "results": [
            services.ResultInput(resnet, single, 2.5, accuracy=76.1),
            services.ResultInput(ssd, single, 4.75, accuracy=22.4),
        ],
    }
    return arguments | overrides


def test_a_phone_entered_by_hand_gets_its_own_table(client, v07):
    system = enter_phone(v07)
    assert system.entries.get().result_id == f"0.7-{v07.next_result_number:03d}"
    html = client.get("/v0.7/", {"show": "tables"}).content.decode()
    titles = re.findall(r'class="results-section">\s*<h2>([^<]+)</h2>', html)
    assert titles[-1] == "Mobile phones, Closed division, Available"
    section = html.split('id="closed-mobile-phone-available"', 1)[1]
    assert "Acme Phone X1" in section and ">2.5<" in section and ">4.75<" in section


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"results": []}, "at least one result"),
        ({"folder_id": "T4x1_TRT", "submitter": "nvidia"}, "already has a system"),
    ],
)
def test_hand_entry_refuses_what_an_import_would(v07, change, message):
    if change.get("submitter") == "nvidia":
        change["submitter"] = Submitter.objects.get(slug="nvidia")
    with pytest.raises(ValidationError, match=message):
        enter_phone(v07, **change)
    assert not System.objects.filter(name="Acme Phone X1").exists()


def test_hand_entry_applies_suite_rules_and_units(v07):
    dlrm = Benchmark.objects.get(round=v07, slug="dlrm-99")
    resnet = Benchmark.objects.get(round=v07, slug="resnet")
    server = Scenario.objects.get(round=v07, name="Server")
    multi = Scenario.objects.get(round=v07, name="MultiStream")
    edge = SystemType.objects.get(slug="edge")
    with pytest.raises(ValidationError) as caught:
        enter_phone(
            v07,
            system_type=edge,
            results=[
                services.ResultInput(dlrm, server, 10.0),  # not an edge benchmark
                services.ResultInput(resnet, server, 10.0),  # Server is not allowed on edge
                services.ResultInput(resnet, multi, -1.0),  # not positive
            ],
        )
    messages = caught.value.messages
    assert "dlrm-99 is not a benchmark of the Edge suite" in messages[0]
    assert "Server is neither required nor optional for resnet on Edge systems" in messages[1]
    assert "the value must be positive (it is in streams)" in messages[2]


def test_embargo_and_result_ids_at_publication(client, v10, django_user_model):
    system = enter_phone(v10)
    entry = system.entries.get()
    assert entry.result_id is None  # no ID before publication
    assert client.get("/v1.0/").status_code == 404
    assert client.get(system.get_absolute_url()).status_code == 404
    assert "v1.0" not in client.get("/").content.decode()

    staff = django_user_model.objects.create_user("curator", password="x", is_staff=True)
    client.force_login(staff)
    draft = client.get("/v1.0/")
    assert draft.status_code == 200 and "Draft." in draft.content.decode()
    client.logout()

    # One second before the embargo ends: still nothing; at the time: everything.
    moment = timezone.now().replace(microsecond=0) + dt.timedelta(seconds=2)
    Round.objects.filter(pk=v10.pk).update(published_at=moment)
    assert services.publish_round(v10, now=moment - dt.timedelta(seconds=1)) == 0
    assert (
        Result.objects.published(now=moment - dt.timedelta(seconds=1))
        .filter(entry__system__round=v10)
        .count()
        == 0
    )
    assert Result.objects.published(now=moment).filter(entry__system__round=v10).count() == 2
    assert services.publish_round(v10, now=moment) == 1
    entry.refresh_from_db()
    assert entry.result_id == "1.0-001"


def test_a_view_after_the_embargo_writes_nothing_the_task_hands_out_ids(client, v10):
    from results.tasks import publish_due_rounds

    system = enter_phone(v10)
    Round.objects.filter(pk=v10.pk).update(published_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get("/v1.0/").status_code == 200
    assert client.get(system.get_absolute_url()).status_code == 200
    assert system.entries.get().result_id is None  # a GET writes nothing (replicas can serve it)
    assert publish_due_rounds.call() == {"v1.0": 1}
    assert "1.0-001" in client.get("/v1.0/", {"show": "tables"}).content.decode()
    assert system.entries.get().result_id == "1.0-001"
    assert services.publish_due_rounds() == {}


def test_saving_a_publication_time_schedules_the_ids_for_that_moment(
    v10, settings, admin_client, django_capture_on_commit_callbacks
):
    from django_tasks import task_backends

    settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}}
    moment = (timezone.now() + dt.timedelta(hours=2)).replace(microsecond=0)
    data = {
        "version": "v1.0",
        "title": v10.title,
        "result_id_prefix": "1.0",
        "code_url": "",
        "submission_deadline_0": "",
        "submission_deadline_1": "",
        "published_at_0": moment.strftime("%Y-%m-%d"),
        "published_at_1": moment.strftime("%H:%M:%S"),
        "categories-TOTAL_FORMS": "0",
        "categories-INITIAL_FORMS": "0",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = admin_client.post(f"/admin/results/round/{v10.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[-3000:]
    queued = task_backends["default"].results
    assert [(r.task.name, r.task.run_after) for r in queued] == [("publish_due_rounds", moment)]


def test_ids_are_never_reused(v10):
    Round.objects.filter(pk=v10.pk).update(published_at=timezone.now())
    first = enter_phone(v10)
    services.withdraw_system(first, reason="Duplicate of another entry.")
    second = enter_phone(v10, folder_id="phone-x2", name="Acme Phone X2")
    assert first.entries.get().result_id == "1.0-001"
    assert second.entries.get().result_id == "1.0-002"


def nettrix_result(v07):
    return Result.objects.select_related("entry__system").get(
        entry__system__round=v07,
        entry__system__folder_id="T4x16_TRT",
        entry__system__submitter__slug="nettrix",
        benchmark__slug="bert-99.9",
        scenario__name="Server",
    )


def test_correcting_a_value_keeps_the_old_one_on_record(client, v07, django_user_model):
    user = django_user_model.objects.create_user("curator", is_staff=True)
    result = nettrix_result(v07)
    old = result.value
    services.correct_value(
        result,
        value=2950.0,
        reason="Typo in the submitted log.",
        user=user,
        effective=dt.date(2020, 11, 2),
    )
    result.refresh_from_db()
    assert result.value == 2950.0
    log = client.get("/v0.7/changes/").content.decode()
    assert "Value corrected" in log and "2947.35 queries/s" in log and "2950 queries/s" in log
    assert "Typo in the submitted log." in log and "2 Nov 2020" in log
    page = client.get(result.entry.system.get_absolute_url()).content.decode()
    assert "2947.35 queries/s → 2950 queries/s" in page
    # The table marks the value as corrected, with the old one; the download says so.
    table = client.get("/v0.7/", {"submitter": "nettrix"}).content.decode()
    assert (
        'class="mark corrected" title="Corrected on 2 Nov 2020; it was 2947.35 queries/s"' in table
    )
    csv = b"".join(client.get("/v0.7/results.csv").streaming_content).decode()
    assert sum(line.endswith(",corrected\r") for line in csv.split("\n")) == 1
    correction = Correction.objects.get()
    assert (correction.created_by, correction.old_value) == (user, "2947.35 queries/s")
    # The exact figures beside the texts (a dated snapshot restores the old one).
    assert (correction.old_number, correction.new_number) == (old, 2950.0)
    with pytest.raises(ValidationError, match="positive"):
        services.correct_value(result, value=0, reason="x")
    with pytest.raises(ValidationError, match="needs a reason"):
        services.correct_value(result, value=1.0, reason=" ")


def test_withdrawn_results_are_marked_and_stay_on_record(client, v07):
    result = nettrix_result(v07)
    correction = services.withdraw_result(result, reason="Run did not meet the latency bound.")
    assert (correction.old_number, correction.new_number) == (result.value, None)
    assert Result.objects.published().count() == 1204
    # The download keeps it, with its status (issue 11).
    csv = b"".join(client.get("/v0.7/results.csv").streaming_content).decode()
    assert csv.count("\n") == 1206  # header + 1205
    assert sum(line.endswith(",withdrawn\r") for line in csv.split("\n")) == 1
    # The table shows the cell as withdrawn, linked to the reason.
    table = client.get("/v0.7/", {"submitter": "nettrix"}).content.decode()
    assert f'href="/v0.7/changes/#c{correction.pk}"' in table
    assert client.get("/v0.7/changes/").content.decode().count(f'id="c{correction.pk}"') == 1
    page = client.get(result.entry.system.get_absolute_url()).content.decode()
    assert 'class="withdrawn"' in page and "withdrawn" in page
    assert Result.objects.filter(pk=result.pk).exists()  # nothing is deleted
    with pytest.raises(ValidationError, match="already withdrawn"):
        services.withdraw_result(result, reason="again")


def test_withdrawing_and_moving_a_system(client, v07):
    system = System.objects.get(round=v07, division="closed", folder_id="T4x2_TRT")
    services.move_system(
        system,
        category=Category.objects.get(round=v07, slug="preview"),
        reason="Hardware not yet available.",
    )
    html = client.get("/v0.7/", {"submitter": "atos"}).content.decode()
    assert "Edge, Closed division, Preview" in html
    services.move_system(system, division="open", reason="Non-reference model.")
    html = client.get("/v0.7/", {"submitter": "atos"}).content.decode()
    assert "Edge, Open division, Preview" in html
    assert Entry.objects.get(system=system).result_id  # the row keeps its ID
    services.withdraw_system(system, reason="Withdrawn by the submitter.")
    html = client.get("/v0.7/", {"submitter": "atos"}).content.decode()
    assert "No results match these filters." in html
    log = client.get("/v0.7/changes/").content.decode()
    for words in ("Moved to another category", "Moved to another division", "System withdrawn"):
        assert words in log
    with pytest.raises(ValidationError, match="Nothing to move"):
        services.move_system(system, division="open", reason="x")


def test_publish_due_rounds_command(v10):
    import io

    from django.core.management import call_command

    enter_phone(v10)
    out = io.StringIO()
    call_command("publish_due_rounds", stdout=out)
    assert out.getvalue() == "No round is due.\n"
    Round.objects.filter(pk=v10.pk).update(published_at=timezone.now())
    call_command("publish_due_rounds", stdout=out)
    assert "v1.0: 1 rows numbered." in out.getvalue()


def test_changes_before_publication_are_not_on_the_public_log(client, v10):
    system = enter_phone(v10)
    result = Result.objects.get(entry__system=system, benchmark__slug="resnet")
    services.correct_value(result, value=2.4, reason="Fixed during review.")
    Round.objects.filter(pk=v10.pk).update(published_at=timezone.now())
    services.correct_value(result, value=2.3, reason="Corrected after publication.")
    log = client.get("/v1.0/changes/").content.decode()
    assert "Corrected after publication." in log and "Fixed during review." not in log
    page = client.get(system.get_absolute_url()).content.decode()
    assert "Corrected after publication." in page and "Fixed during review." not in page
    assert Correction.objects.filter(round=v10).count() == 2  # both stay on record


def test_a_system_page_after_the_numbering_shows_the_ids(client, v10):
    system = enter_phone(v10)
    Round.objects.filter(pk=v10.pk).update(published_at=timezone.now() - dt.timedelta(seconds=1))
    services.publish_due_rounds()
    assert "Result ID 1.0-001" in client.get(system.get_absolute_url()).content.decode()


def test_the_admin_refuses_a_publication_before_the_deadline(admin_client, v10):
    """Issue 12, item 10: uploads still open after the embargo would go public at once."""
    deadline = timezone.now() + dt.timedelta(days=7)
    data = {
        "version": "v1.0",
        "title": v10.title,
        "result_id_prefix": "1.0",
        "code_url": "",
        "submission_deadline_0": deadline.strftime("%Y-%m-%d"),
        "submission_deadline_1": deadline.strftime("%H:%M:%S"),
        "published_at_0": (deadline - dt.timedelta(days=1)).strftime("%Y-%m-%d"),
        "published_at_1": deadline.strftime("%H:%M:%S"),
        "categories-TOTAL_FORMS": "0",
        "categories-INITIAL_FORMS": "0",
    }
    response = admin_client.post(f"/admin/results/round/{v10.pk}/change/", data)
    assert response.status_code == 200
    assert "cannot be before the submission deadline" in response.content.decode()
    data["published_at_0"] = (deadline + dt.timedelta(days=1)).strftime("%Y-%m-%d")
    assert admin_client.post(f"/admin/results/round/{v10.pk}/change/", data).status_code == 302


def test_hand_entry_in_a_published_round_is_on_the_record(v07):
    from results.models import Correction, CorrectionKind

    system = enter_phone(v07)
    added = Correction.objects.filter(system=system, kind=CorrectionKind.ADD_RESULT)
    assert added.count() == 2 and "Entered by hand" in added.first().reason
    assert {(c.old_number, c.new_number) for c in added} == {
        (None, r.value) for r in Result.objects.filter(entry__system=system)
    }


def test_hand_entry_needs_the_required_scenarios_and_the_accuracy_target(v07):
    resnet = Benchmark.objects.get(round=v07, slug="resnet")
    offline = Scenario.objects.get(round=v07, name="Offline")
    edge = SystemType.objects.get(slug="edge")
    with pytest.raises(ValidationError) as caught:
        enter_phone(
            v07,
            system_type=edge,
            results=[services.ResultInput(resnet, offline, 100.0, accuracy=50.0)],
        )
    messages = caught.value.messages
    assert any("accuracy 50% is below the target 75.6954%" in m for m in messages)
    assert any("resnet on Edge systems needs a SingleStream result" in m for m in messages)


def test_a_hand_entry_waits_for_a_second_person_and_the_embargo(v10, django_user_model):
    """Issue 12: hand entry goes through review and the embargo as an upload does."""
    typist = django_user_model.objects.create_user("typist", is_staff=True)
    reviewer = django_user_model.objects.create_user("reviewer", is_staff=True)
    entry = services.propose_system(v10, **phone_arguments(v10), user=typist)
    assert not System.objects.filter(round=v10, folder_id="phone-x1").exists()
    # The import's rules apply at once, and twice the same system cannot wait.
    with pytest.raises(ValidationError, match="awaits review already"):
        services.propose_system(v10, **phone_arguments(v10), user=reviewer)
    with pytest.raises(ValidationError, match="someone other than who entered it"):
        services.accept_hand_entry(entry, user=typist)
    system = services.accept_hand_entry(entry, user=reviewer)
    assert entry.status == "accepted" and entry.system == system
    # v1.0 here is not published: the rows are staged, not public, and not news.
    assert not v10.is_published and not Correction.objects.filter(system=system).exists()
    with pytest.raises(ValidationError, match="already accepted"):
        services.accept_hand_entry(entry, user=reviewer)


def test_a_hand_entry_is_checked_again_when_accepted(v07, django_user_model):
    typist = django_user_model.objects.create_user("typist", is_staff=True)
    reviewer = django_user_model.objects.create_user("reviewer", is_staff=True)
    entry = services.propose_system(v07, **phone_arguments(v07), user=typist)
    # Meanwhile the same system arrived another way: acceptance refuses, nothing changes.
    enter_phone(v07)
    with pytest.raises(ValidationError, match="already has a system"):
        services.accept_hand_entry(entry, user=reviewer)
    entry.refresh_from_db()
    assert entry.status == "pending"
    with pytest.raises(ValidationError, match="needs a reason"):
        services.reject_hand_entry(entry, reason=" ", user=reviewer)
    services.reject_hand_entry(entry, reason="Entered twice.", user=reviewer)
    assert entry.status == "rejected"
