"""generate_round: synthetic rounds N times v0.7, with its rules and distribution."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db.models import Count

from results.models import Benchmark, Category, Entry, Result, Round, Scenario, System

pytestmark = pytest.mark.django_db


def generate(**options):
    out = io.StringIO()
    call_command("generate_round", stdout=out, **options)
    return out.getvalue()


def distribution(round_, field):
    return dict(
        System.objects.filter(round=round_).values_list(field).annotate(n=Count("pk")).order_by()
    )


def test_twice_v07_is_every_system_twice(v07):
    out = generate(scale=2)
    assert "Created round bench-2x: 222 systems, 642 entries, 2410 results" in out
    round_ = Round.objects.get(version="bench-2x")
    assert round_.is_published
    # The same rules ...
    for model in (Benchmark, Scenario, Category):
        assert model.objects.filter(round=round_).count() == model.objects.filter(round=v07).count()
    # ... and the same distribution, twice over.
    for field in ("division", "submitter__slug", "category__slug", "accelerator__name"):
        assert distribution(round_, field) == {
            key: 2 * n for key, n in distribution(v07, field).items()
        }
    # The first copy has the original values; the second, scaled ones.
    original = Result.objects.for_round(v07).get(
        entry__system__folder_id="T4x16_TRT",
        entry__system__submitter__slug="nettrix",
        benchmark__slug="resnet",
        scenario__name="Offline",
    )
    copies = Result.objects.for_round(round_).filter(
        entry__system__folder_id__in=["T4x16_TRT", "T4x16_TRT-1"],
        entry__system__submitter__slug="nettrix",
        benchmark__slug="resnet",
        scenario__name="Offline",
    )
    values = sorted(r.value for r in copies)
    assert original.value in values and len(values) == 2
    entry = Entry.objects.filter(system__round=round_).order_by("number").first()
    assert entry.result_id == "bench-2x-001"


def test_scale_zero_is_the_rules_alone_and_a_fraction_is_a_sample(v07):
    generate(scale=0, round="bench-rules")
    empty = Round.objects.get(version="bench-rules")
    assert not System.objects.filter(round=empty).exists()
    assert Benchmark.objects.filter(round=empty).count() == 10

    generate(scale=0.2, round="bench-sample", seed=3)
    first = System.objects.filter(round__version="bench-sample").count()
    assert 5 < first < 60
    # The same seed gives the same sample.
    generate(scale=0.2, round="bench-sample", seed=3, replace=True)
    assert System.objects.filter(round__version="bench-sample").count() == first


def test_an_existing_round_is_kept_unless_replaced(v07):
    generate(scale=0)
    with pytest.raises(CommandError, match="exists; use --replace"):
        generate(scale=0)
    with pytest.raises(CommandError, match="no round 'v9'"):
        generate(scale=1, source="v9")


def test_a_generated_round_is_served_like_any_other(client, v07):
    generate(scale=2)
    html = client.get("/bench-2x/", {"show": "tables"}).content.decode()
    assert "642 rows and 2,410 results" in html
    # Over RESULTS_PAGE_MAX_ROWS: each table shows its first rows and links to the rest.
    assert "Show all 446 rows of this table" in html
