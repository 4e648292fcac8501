"""Dated snapshots (results/snapshots.py): a round's export as it stood at a date, with or
without later corrections, the same bytes each time for a past date; 404 outside the
round's public life."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json

import pytest
from django.utils import timezone

from results import exports
from results.models import Correction, CorrectionKind, Result, Round, System
from results.services import correct_value, move_system, withdraw_result, withdraw_system
from tests.factories import make_result

pytestmark = pytest.mark.django_db

PUBLISHED = dt.date(2020, 10, 21)  # v0.7's publication (its profile)
DAY = PUBLISHED + dt.timedelta(days=30)
LATER = DAY + dt.timedelta(days=30)


def url(day=DAY, fmt="csv"):
    return f"/v0.7/snapshot/{day.isoformat()}/results.{fmt}"


def body(response) -> bytes:
    assert response.status_code == 200, response.content[:200]
    return b"".join(response.streaming_content) if response.streaming else response.content


def rows(client, corrections="exclude", day=DAY):
    data = body(client.get(url(day), {"corrections": corrections}))
    return list(csv.DictReader(io.StringIO(data.decode())))


def find(found, result: Result):
    system = result.entry.system
    return [
        r
        for r in found
        if (r["submitter"], r["system_id"], r["benchmark"], r["scenario"], r["model"])
        == (
            system.submitter.name,
            system.folder_id,
            result.benchmark.slug,
            result.scenario.name,
            result.model_folder,
        )
    ]


@pytest.fixture
def result(v07):
    return Result.objects.select_related("entry__system__submitter", "benchmark", "scenario").get(
        entry__system__folder_id="T4x1_TRT",
        entry__system__submitter__slug="nvidia",
        benchmark__slug="resnet",
        scenario__name="Offline",
    )


def test_without_corrections_it_is_the_round_download(client, v07):
    snapshot = rows(client)
    current = list(csv.DictReader(io.StringIO(body(client.get("/v0.7/results.csv")).decode())))
    key = lambda r: tuple(r.values())  # noqa: E731
    assert sorted(snapshot, key=key) == sorted(current, key=key) and len(snapshot) == 1205


def test_a_later_correction_is_undone_unless_included(client, v07, result):
    old = result.value
    correct_value(result, value=old * 2, reason="wrong batch", effective=LATER)
    (before,) = find(rows(client, "exclude"), result)
    assert (float(before["value"]), before["status"]) == (float(f"{old:g}"), "published")
    (after,) = find(rows(client, "include"), result)
    assert (float(after["value"]), after["status"]) == (old * 2, "corrected")
    # On or after the correction's date, it is part of the data as it stood.
    (then,) = find(rows(client, "exclude", day=LATER), result)
    assert (float(then["value"]), then["status"]) == (old * 2, "corrected")


def test_a_result_withdrawn_later_is_there_as_published(client, v07, result):
    withdraw_result(result, reason="no", effective=LATER)
    (before,) = find(rows(client, "exclude"), result)
    assert before["status"] == "published"
    (after,) = find(rows(client, "include"), result)
    assert after["status"] == "withdrawn"


def test_a_system_withdrawn_later_is_there_and_earlier_is_not(client, v07, result):
    system = result.entry.system
    withdraw_system(system, reason="no", effective=LATER)
    assert {r["status"] for r in find(rows(client, "exclude"), result)} == {"published"}
    assert {r["status"] for r in find(rows(client, "include"), result)} == {"withdrawn"}
    assert find(rows(client, "exclude", day=LATER), result) == []
    assert find(rows(client, "include", day=LATER), result) == []


def test_a_result_added_later_is_absent(client, v07, result):
    system = System.objects.get(folder_id="1xU250", division="open")
    added = make_result(system, "resnet", "Offline", 123.0, model_folder="resnet-new")
    Correction.objects.create(
        round=v07,
        system=system,
        result=added,
        kind=CorrectionKind.ADD_RESULT,
        new_value="123 samples/s",
        reason="by hand",
        effective=LATER,
    )
    for corrections in ("exclude", "include"):
        assert find(rows(client, corrections), added) == []
        assert len(find(rows(client, corrections, day=LATER), added)) == 1


def test_a_system_moved_later_is_in_its_old_place(client, v07, result):
    system = result.entry.system
    move_system(system, reason="moved", division="open", effective=LATER)
    before = find(rows(client, "exclude"), result)
    assert before and {r["division"] for r in before} == {"closed"}
    after = find(rows(client, "include"), result)
    assert after and {r["division"] for r in after} == {"open"}


def test_a_past_snapshot_is_the_same_bytes_whatever_comes_later(client, v07, result):
    first = {fmt: body(client.get(url(fmt=fmt))) for fmt in exports.FORMATS}
    again = {fmt: body(client.get(url(fmt=fmt))) for fmt in exports.FORMATS}
    assert first == again
    # Corrections made (and effective) after the date leave the file as it was.
    correct_value(result, value=result.value * 3, reason="later", effective=timezone.localdate())
    withdraw_system(
        System.objects.get(folder_id="1xU250", division="open"),
        reason="later",
        effective=timezone.localdate(),
    )
    assert {fmt: body(client.get(url(fmt=fmt))) for fmt in exports.FORMATS} == first


def test_every_format_says_what_it_is(client, v07):
    response = client.get(url(fmt="json"), {"corrections": "include"})
    data = json.loads(body(response))
    assert data["round"] == "v0.7" and len(data["results"]) == 1205
    assert data["snapshot"] == {"date": DAY.isoformat(), "corrections": "include"}
    name = f"mlperf-inference-v0.7-results-{DAY.isoformat()}-with-corrections.json"
    assert f'filename="{name}"' in response["Content-Disposition"]
    xlsx = client.get(url(fmt="xlsx"))
    assert xlsx["Content-Type"] == exports.FORMATS["xlsx"].content_type
    assert "as-published.xlsx" in xlsx["Content-Disposition"]


def test_query_count_is_fixed(client, v07, django_assert_num_queries):
    # The round; the results, measurements, comparison keys and corrections of the export;
    # the change log; withdrawn results; withdrawn systems; categories.
    with django_assert_num_queries(9):
        body(client.get(url()))


@pytest.mark.parametrize(
    "day",
    [
        PUBLISHED - dt.timedelta(days=1),  # before publication
        dt.date.today() + dt.timedelta(days=2),  # in the future
    ],
)
def test_dates_outside_the_rounds_public_life_are_404(client, v07, day):
    assert client.get(url(day)).status_code == 404


def test_publication_day_and_today_have_snapshots(client, v07):
    assert client.get(url(PUBLISHED)).status_code == 200
    assert client.get(url(timezone.localdate())).status_code == 200


def test_bad_input_is_a_clean_4xx(client, v07):
    assert client.get("/v0.7/snapshot/2020-13-45/results.csv").status_code == 404
    # Not a snapshot URL at all: APPEND_SLASH sends it to the system pages, which 404.
    assert client.get("/v0.7/snapshot/20201021/results.csv", follow=True).status_code == 404
    assert client.get(url(fmt="xml"), follow=True).status_code == 404
    assert client.get(url(), {"corrections": "maybe"}).status_code == 400
    assert client.get(url(), {"other": "1"}).status_code == 400


def test_an_embargoed_round_has_no_snapshot(client, v07, admin_user):
    Round.objects.filter(pk=v07.pk).update(published_at=timezone.now() + dt.timedelta(hours=1))
    assert client.get(url(timezone.localdate())).status_code == 404
    client.force_login(admin_user)  # not even for staff: a snapshot is of what was public
    assert client.get(url(timezone.localdate())).status_code == 404
