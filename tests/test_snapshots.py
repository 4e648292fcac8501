"""Dated snapshots (results/snapshots.py): a round's export as it stood at a date, with or
without later corrections, the same bytes each time for a past date, the download's own
bytes when nothing changed since; 404 outside the round's public life.

A change counts from the day it was made (``Correction.created_at``, a withdrawal's
``withdrawn_at``); ``made_on`` dates one back, as if staff had made it that day.
"""

from __future__ import annotations

import csv
import datetime as dt
import importlib
import io
import json

import pytest
from django.apps import apps
from django.utils import timezone
from openpyxl import load_workbook

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


def made_on(day: dt.date, *corrections: Correction) -> None:
    """As if staff had made these changes on ``day`` (at noon, local time)."""
    moment = timezone.make_aware(dt.datetime.combine(day, dt.time(12)))
    for correction in corrections:
        Correction.objects.filter(pk=correction.pk).update(created_at=moment)
        if correction.kind == CorrectionKind.WITHDRAW_RESULT:
            Result.objects.filter(corrections=correction).update(withdrawn_at=moment)
        elif correction.kind == CorrectionKind.WITHDRAW_SYSTEM:
            System.objects.filter(corrections=correction).update(withdrawn_at=moment)


def download(client, fmt="csv") -> bytes:
    return body(client.get(f"/v0.7/results.{fmt}"))


def xlsx_rows(data: bytes) -> list[dict]:
    sheet = load_workbook(io.BytesIO(data), read_only=True)["results"]
    header, *cells = sheet.iter_rows(values_only=True)
    return [dict(zip(header, row, strict=True)) for row in cells]


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
    made_on(LATER, correct_value(result, value=old * 2, reason="wrong batch", effective=LATER))
    (before,) = find(rows(client, "exclude"), result)
    assert (float(before["value"]), before["status"]) == (old, "published")
    (after,) = find(rows(client, "include"), result)
    assert (float(after["value"]), after["status"]) == (old * 2, "corrected")
    # On or after the day it was made, it is part of the data as it stood.
    (then,) = find(rows(client, "exclude", day=LATER), result)
    assert (float(then["value"]), then["status"]) == (old * 2, "corrected")


def test_the_exact_figure_comes_back_in_every_format(client, v07, result):
    """The change log's text says 88.8239; the snapshot says what the download said."""
    Result.objects.filter(pk=result.pk).update(value=88.82391234)
    first = {fmt: body(client.get(url(fmt=fmt))) for fmt in exports.FORMATS}
    correction = correct_value(result, value=95.1, reason="wrong batch")
    assert correction.old_value.startswith("88.8239 ") and correction.old_number == 88.82391234
    (row,) = find(rows(client, "exclude"), result)
    assert (row["value"], row["status"]) == ("88.82391234", "published")
    (row,) = find(rows(client, "include"), result)
    assert (row["value"], row["status"]) == ("95.1", "corrected")
    key = (result.entry.result_id, "resnet", "Offline")

    def ours(row: dict) -> bool:
        return (row["result_id"], row["benchmark"], row["scenario"]) == key

    data = json.loads(body(client.get(url(fmt="json"))))
    assert [r["value"] for r in data["results"] if ours(r)] == [88.82391234]
    sheet = xlsx_rows(body(client.get(url(fmt="xlsx"))))
    assert [r["value"] for r in sheet if ours(r)] == [88.82391234]
    # The same bytes after the correction as before it, and after more of them.
    assert {fmt: body(client.get(url(fmt=fmt))) for fmt in exports.FORMATS} == first
    result.refresh_from_db()
    correct_value(result, value=101.25, reason="again")
    move_system(result.entry.system, reason="moved", division="open")
    assert {fmt: body(client.get(url(fmt=fmt))) for fmt in exports.FORMATS} == first


def test_a_correction_dated_back_leaves_a_past_snapshot_as_it_was(client, v07, result):
    """The effective date is what the change log shows; the file of a day is what the site
    served that day, so a correction dated before it changes nothing in it."""
    first = body(client.get(url()))
    correct_value(result, value=result.value * 2, reason="was wrong all along", effective=PUBLISHED)
    withdraw_result(Result.objects.exclude(pk=result.pk).first(), reason="no", effective=PUBLISHED)
    assert body(client.get(url())) == first
    assert body(client.get(url(), {"corrections": "include"})) != first


def test_with_nothing_changed_since_it_is_the_download_byte_for_byte(client, v07, result):
    today = timezone.localdate()
    yesterday = today - dt.timedelta(days=1)
    then = {fmt: download(client, fmt) for fmt in exports.FORMATS}
    for fmt in ("csv", "xlsx"):
        assert body(client.get(url(today, fmt))) == then[fmt]
        assert body(client.get(url(yesterday, fmt))) == then[fmt]
    # Changes made today: a value, a withdrawal, a move (its rows change tables) and an
    # addition. Today's snapshot is the download as it is now; yesterday's, as it was.
    Result.objects.filter(pk=result.pk).update(value=88.82391234)
    then = {fmt: download(client, fmt) for fmt in exports.FORMATS}
    correct_value(result, value=95.1, reason="wrong batch")
    other = Result.objects.get(
        entry__system__folder_id="T4x2_TRT",
        entry__system__division="closed",
        benchmark__slug="resnet",
        scenario__name="Offline",
    )
    withdraw_result(other, reason="latency bound")
    move_system(other.entry.system, reason="moved", division="open")
    open_system = System.objects.get(folder_id="1xU250", division="open")
    added = make_result(open_system, "resnet", "Offline", 123.0, model_folder="resnet-new")
    Correction.objects.create(
        round=v07,
        system=open_system,
        result=added,
        kind=CorrectionKind.ADD_RESULT,
        new_value="123 samples/s",
        new_number=123.0,
        reason="by hand",
        effective=today,
    )
    now = {fmt: download(client, fmt) for fmt in exports.FORMATS}
    assert now["csv"] != then["csv"]
    for fmt in ("csv", "xlsx"):
        assert body(client.get(url(yesterday, fmt))) == then[fmt], fmt
        assert body(client.get(url(today, fmt))) == now[fmt], fmt
    # The JSON is the download's with the snapshot's date and mode.
    for day, download_json in ((yesterday, then["json"]), (today, now["json"])):
        snapshot = json.loads(body(client.get(url(day, "json"))))
        assert snapshot.pop("snapshot") == {"date": day.isoformat(), "corrections": "exclude"}
        assert snapshot == json.loads(download_json)


def test_a_result_withdrawn_later_is_there_as_published(client, v07, result):
    withdraw_result(result, reason="no", effective=LATER)
    (before,) = find(rows(client, "exclude"), result)
    assert before["status"] == "published"
    (after,) = find(rows(client, "include"), result)
    assert after["status"] == "withdrawn"


def test_a_system_withdrawn_later_is_there_and_earlier_is_not(client, v07, result):
    system = result.entry.system
    made_on(LATER, withdraw_system(system, reason="no", effective=LATER))
    assert {r["status"] for r in find(rows(client, "exclude"), result)} == {"published"}
    assert {r["status"] for r in find(rows(client, "include"), result)} == {"withdrawn"}
    assert find(rows(client, "exclude", day=LATER), result) == []
    assert find(rows(client, "include", day=LATER), result) == []


def test_a_result_added_later_is_absent(client, v07, result):
    system = System.objects.get(folder_id="1xU250", division="open")
    added = make_result(system, "resnet", "Offline", 123.0, model_folder="resnet-new")
    correction = Correction.objects.create(
        round=v07,
        system=system,
        result=added,
        kind=CorrectionKind.ADD_RESULT,
        new_value="123 samples/s",
        new_number=123.0,
        reason="by hand",
        effective=LATER,
    )
    made_on(LATER, correction)
    for corrections in ("exclude", "include"):
        assert find(rows(client, corrections), added) == []
        assert len(find(rows(client, corrections, day=LATER), added)) == 1


def test_a_system_moved_later_is_in_its_old_place(client, v07, result):
    system = result.entry.system
    move_system(system, reason="moved", division="open", effective=LATER)
    made_on(LATER, *Correction.objects.filter(system=system))
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


def test_the_migration_fills_the_numbers_of_older_rows(v07, result):
    """Rows from before migration 0014 get their figures from their texts (6 digits)."""
    fill = importlib.import_module("results.migrations.0014_correction_numbers").fill
    corrected = correct_value(result, value=95.1234567, reason="typo")
    withdrawn = withdraw_result(result, reason="no")
    moved = move_system(result.entry.system, reason="moved", division="open")[0]
    Correction.objects.update(old_number=None, new_number=None)
    Correction.objects.filter(pk=withdrawn.pk).update(old_value="n/a")
    fill(apps, None)
    numbers = {
        pk: (old, new)
        for pk, old, new in Correction.objects.values_list("pk", "old_number", "new_number")
    }
    assert numbers[corrected.pk] == (float(f"{result.value:g}"), 95.1235)  # what the texts kept
    assert numbers[withdrawn.pk] == (None, None)  # its text did not parse
    assert numbers[moved.pk] == (None, None)  # not a figure
