"""Entry.result_count and System.rank stay in step with every write that changes them.

The round page counts rows with the one and orders big tables with the other
(results.services.rows_changed); a stale count would misstate a table, a
stale rank would misorder it. Each write path is checked against the rows.
"""

import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.db.models import Count, Q
from django.test import RequestFactory

from results import services
from results.models import Entry, Result, Round, Submitter, System
from tests.test_curation import enter_phone

pytestmark = pytest.mark.django_db


def assert_up_to_date(round_):
    entries = Entry.objects.filter(system__round=round_).annotate(
        visible=Count("results", filter=Q(results__withdrawn_at__isnull=True))
    )
    stale = [(e.pk, e.result_count, e.visible) for e in entries if e.result_count != e.visible]
    assert stale == []
    # Ranks follow the order by submitter and system name; equal names share a rank.
    by_name = list(
        System.objects.filter(round=round_)
        .order_by("submitter__name", "name")
        .values_list("submitter__name", "name", "rank")
    )
    ranks = [rank for *_, rank in by_name]
    assert ranks == sorted(ranks) and ranks[0] == 1
    for (*before, rank_before), (*after, rank_after) in zip(by_name, by_name[1:], strict=False):
        assert (rank_after == rank_before) == (after == before), (before, after)


def test_an_imported_round_is_up_to_date(v07):
    assert_up_to_date(v07)
    assert Entry.objects.filter(system__round=v07, result_count=0).count() == 0


def test_withdrawing_a_result_and_a_system(v07):
    result = Result.objects.filter(entry__system__round=v07).first()
    services.withdraw_result(result, reason="Run did not meet the latency bound.")
    assert_up_to_date(v07)
    system = System.objects.filter(round=v07).last()
    services.withdraw_system(system, reason="Withdrawn by its submitter.")
    assert_up_to_date(v07)


def test_a_system_entered_by_hand(v07):
    system = enter_phone(v07, name="AAA first by name")
    assert_up_to_date(v07)
    assert system.entries.get().result_count == 2


def test_renaming_in_the_admin_reorders_the_rows(v07):
    request = RequestFactory().post("/")
    system = System.objects.filter(round=v07).order_by("rank").last()
    system.name = "0 first of its submitter"
    admin.site._registry[System].save_model(request, system, None, True)
    assert_up_to_date(v07)

    submitter = Submitter.objects.get(slug="atos")
    submitter.name = "zzz last of all"
    admin.site._registry[Submitter].save_model(request, submitter, None, True)
    assert_up_to_date(v07)
    last = System.objects.filter(round=v07).order_by("rank").last()
    assert last.submitter == submitter


def test_a_generated_round_is_up_to_date(v07):
    call_command("generate_round", "--scale", "0.2", stdout=io.StringIO())
    assert_up_to_date(Round.objects.get(version="bench-0.2x"))
