"""v0.5 bundled: load_bundled_round finds it and imports it with its own rules."""

import io

import pytest
from django.core.management import call_command

from results.models import Result, Round
from submissions.management.commands.load_bundled_round import bundled_rounds


def test_v0_5_is_the_first_bundled_round():
    rounds = list(bundled_rounds())
    assert rounds[0] == "v0.5"
    assert rounds.index("v0.7") == 1


@pytest.mark.slow
@pytest.mark.django_db
def test_v0_5_imports_and_shows_what_its_checker_did_not_check(client):
    call_command("load_bundled_round", "v0.5", verbosity=0, stdout=io.StringIO())
    round_ = Round.objects.get(version="v0.5")
    results = Result.objects.for_round(round_)
    assert results.count() == 587
    assert not results.filter(compliant__isnull=False).exists()
    assert set(round_.systems.values_list("system_type__slug", flat=True)) == {"all-systems"}
    single = results.get(
        entry__system__folder_id="T4x8", benchmark__slug="gnmt", scenario__name="SingleStream"
    )
    assert single.unit == "ms"
    html = client.get("/v0.5/").content.decode()
    assert "All systems, Closed division, Available" in html
    assert 'class="round-checking"' in html
    page = client.get("/v0.5/closed/hailo/Hailo8/").content.decode()
    assert "accuracy.txt is absent from the published snapshot" in page
