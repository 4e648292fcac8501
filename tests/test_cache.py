"""Rendered round pages in the cache: hits, misses, keys, invalidation and the embargo."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.utils import timezone

from mlperf import CheckReport
from results import services
from results.cache import STATUS_HEADER, LocalPages, generation, invalidate_round, page_key
from results.models import Result, Round
from results.views import ROUND_PARAMS
from submissions.services import import_report

pytestmark = pytest.mark.django_db

URL = "/v0.7/"


@pytest.fixture(autouse=True)
def page_cache(settings):
    # tests/conftest.py turns the page cache off for every other test.
    settings.RESULTS_CACHE_TIMEOUT = 300


def test_a_second_view_is_served_from_the_cache_with_one_query(
    client, v07, django_assert_num_queries
):
    first = client.get(URL)
    assert first[STATUS_HEADER] == "miss"
    # The one query: is the round public now (cache.public_state), whatever the cache holds.
    with django_assert_num_queries(1):
        second = client.get(URL)
    assert second[STATUS_HEADER] == "hit"
    assert second.content == first.content
    assert second["Content-Type"] == first["Content-Type"]
    # Logged-in visitors may get another page (staff see drafts): shared caches must know.
    assert "Cookie" in second["Vary"]


def status(client, url, params=None):
    return client.get(url, params or {}).get(STATUS_HEADER)


def test_the_key_is_the_query_string_in_any_order(client, v07):
    assert status(client, URL, {"submitter": "nvidia", "sort": "resnet-Offline"}) == "miss"
    assert status(client, f"{URL}?sort=resnet-Offline&submitter=nvidia") == "hit"
    # Other filters or another sort are other pages.
    assert status(client, URL, {"submitter": "nvidia"}) == "miss"
    assert status(client, URL, {"submitter": "nvidia", "sort": "-resnet-Offline"}) == "miss"
    assert status(client, URL, {"submitter": "dell", "sort": "resnet-Offline"}) == "miss"


def test_unknown_parameters_are_dropped_before_the_key_is_made(client, v07):
    assert status(client, URL) == "miss"
    for n in range(2):
        response = client.get(URL, {"utm_source": f"x{n}"})
        assert response.status_code == 200
        assert response[STATUS_HEADER] == "hit"  # the page without them (test_canonical_cache)


def test_logged_in_visitors_always_get_a_fresh_page(client, v07, django_user_model):
    client.force_login(django_user_model.objects.create_user("someone", password="x"))
    for _ in range(2):
        assert STATUS_HEADER not in client.get(URL)


def test_a_timeout_of_zero_turns_the_cache_off(client, v07, settings):
    settings.RESULTS_CACHE_TIMEOUT = 0
    for _ in range(2):
        assert STATUS_HEADER not in client.get(URL)


def test_invalidate_round_drops_every_page_of_that_round_only(client, v07):
    client.get(URL)
    client.get(URL, {"division": "open"})
    other = generation("v9.9")
    invalidate_round(v07)
    assert client.get(URL)[STATUS_HEADER] == "miss"
    assert client.get(URL, {"division": "open"})[STATUS_HEADER] == "miss"
    assert generation("v9.9") == other
    # By version too, e.g. for the old version of a renamed round.
    invalidate_round("v0.7")
    assert client.get(URL)[STATUS_HEADER] == "miss"


def test_a_lost_generation_gives_misses_not_stale_pages(client, v07):
    client.get(URL)
    cache.delete("results:round:v0.7:generation")
    assert client.get(URL)[STATUS_HEADER] == "miss"


def test_an_import_drops_the_round_pages_when_it_commits(
    client, v07, django_capture_on_commit_callbacks
):
    client.get(URL)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        import_report(v07, CheckReport("empty", "v0.7", strict=False))
    assert callbacks  # the generation is replaced when the import commits ...
    for callback in callbacks:
        callback()
    # ... and everything after it.
    assert client.get(URL)[STATUS_HEADER] == "miss"


def test_a_correction_drops_the_round_pages(client, v07, django_capture_on_commit_callbacks):
    result = Result.objects.for_round(v07).visible().filter(entry__result_id="0.7-001").first()
    before = client.get(URL, {"submitter": result.entry.system.submitter.slug})
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_result(result, reason="Wrong figure")
    after = client.get(URL, {"submitter": result.entry.system.submitter.slug})
    assert after[STATUS_HEADER] == "miss"
    assert after.content != before.content


def test_a_page_under_embargo_is_never_cached(client, v07):
    Round.objects.filter(pk=v07.pk).update(published_at=timezone.now() + dt.timedelta(days=1))
    for _ in range(2):
        response = client.get(URL)
        assert response.status_code == 404
        assert STATUS_HEADER not in response
    # The moment the embargo ends, the page is there: no cached 404 outlives it.
    Round.objects.filter(pk=v07.pk).update(published_at=timezone.now() - dt.timedelta(seconds=1))
    assert client.get(URL).status_code == 200


def test_table_pages_are_cached_per_table_and_page(client, v07, settings):
    settings.RESULTS_TABLE_PAGE_ROWS = 50
    url = "/v0.7/tables/open-edge-available/"
    assert status(client, url, {"page": 2}) == "miss"
    assert status(client, url, {"page": 2}) == "hit"
    assert status(client, url, {"page": 3}) == "miss"
    assert status(client, "/v0.7/tables/closed-edge-available/", {"page": 2}) == "miss"


def test_with_a_shared_cache_each_process_keeps_the_pages_it_served(client, v07, settings, rf):
    settings.RESULTS_CACHE_LOCAL_BYTES = 8 << 20
    first = client.get(URL)
    # Gone from the shared cache (evicted): this process still has the page ...
    cache.delete(page_key(rf.get(URL), "v0.7", "round_detail", ROUND_PARAMS))
    second = client.get(URL)
    assert second[STATUS_HEADER] == "hit" and second.content == first.content
    # ... under a key naming the round's generation, so an invalidation still drops it.
    invalidate_round(v07)
    assert status(client, URL) == "miss"


def test_local_pages_keep_the_most_recently_used_within_their_size():
    pages = LocalPages()
    for name in "abc":
        pages.set(name, (b"x" * 40, "text/html"), max_bytes=100)
    assert pages.get("a") is None  # 120 bytes: the oldest went
    assert pages.get("b") is not None  # b is now the most recent
    pages.set("d", (b"x" * 40, "text/html"), max_bytes=100)
    assert pages.get("c") is None and pages.get("b") is not None
    pages.set("e", (b"x" * 101, "text/html"), max_bytes=100)  # bigger than the whole
    assert pages.get("e") is None and pages.get("d") is not None


def test_admin_saves_drop_the_pages_they_change(
    client, v07, django_user_model, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Group

    from results.models import Submitter

    staff = django_user_model.objects.create_user("cora", is_staff=True)
    staff.groups.add(Group.objects.get(name="Curators"))
    admin = type(client)()
    admin.force_login(staff)
    assert status(client, URL) == "miss" and status(client, URL) == "hit"

    atos = Submitter.objects.get(slug="atos")
    with django_capture_on_commit_callbacks(execute=True):
        response = admin.post(
            f"/admin/results/submitter/{atos.pk}/change/", {"slug": "atos", "name": "Atos SE"}
        )
    assert response.status_code == 302
    page = client.get(URL)
    assert page[STATUS_HEADER] == "miss" and "Atos SE" in page.content.decode()

    # Renaming a round drops the pages cached under its old address too.
    assert status(client, URL) == "hit"
    with django_capture_on_commit_callbacks(execute=True):
        services.invalidate_round_cache("v0.7")
    assert status(client, URL) == "miss"


def test_the_per_watt_view_and_a_scenario_are_pages_of_their_own(client, v07, settings):
    settings.RESULTS_CACHE_TIMEOUT = 300
    plain = client.get("/v0.7/?scenario=Offline").content.decode()
    assert 'class="sc">Server' not in plain
    per_watt = client.get("/v0.7/?view=per-watt&scenario=Offline").content.decode()
    assert "Show the results as measured" not in per_watt  # v0.7 has no power rules
    assert "per W" in per_watt and "per W" not in plain


def test_an_edit_reaches_a_process_whose_cache_never_heard_of_it(client, v07):
    """Issue 12: with the per-process cache, another process keeps the old generation
    token; the database's invalidation time still makes its stored page a miss."""
    assert status(client, URL) == "miss" and status(client, URL) == "hit"
    token = generation(v07.version)
    invalidate_round(v07)  # a rename in another process...
    cache.set(f"results:round:{v07.version}:generation", token, timeout=None)  # ...unseen here
    assert status(client, URL) == "miss"
    assert status(client, URL) == "hit"
