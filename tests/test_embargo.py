"""The embargo holds with any cache (issue 12, item 5): a cached page is never served
for a round that is not published now, and corrections show at once, whatever the cache
backend and the number of processes; in one process and in two real ones."""

import datetime as dt
import sqlite3

import pytest
from django.utils import timezone

from results import services
from results.cache import STATUS_HEADER
from results.models import Result, Round
from tests.processes import get, load_site, manage, site_env, web

URL = "/v0.7/"


@pytest.fixture
def page_cache(settings):
    settings.RESULTS_CACHE_TIMEOUT = 300


@pytest.mark.django_db
def test_a_cached_page_is_not_served_once_publication_moves_back(client, v07, page_cache):
    """No invalidation at all (an update another process made): the cache is not asked."""
    assert client.get(URL)[STATUS_HEADER] == "miss"
    assert client.get(URL)[STATUS_HEADER] == "hit"
    Round.objects.filter(pk=v07.pk).update(published_at=timezone.now() + dt.timedelta(hours=1))
    for url in (URL, "/v0.7/tables/open-edge-available/"):
        response = client.get(url)
        assert response.status_code == 404 and STATUS_HEADER not in response


@pytest.mark.django_db
def test_a_correction_shows_without_its_invalidation(
    client, v07, page_cache, django_capture_on_commit_callbacks
):
    result = Result.objects.for_round(v07).visible().filter(entry__result_id="0.7-001").first()
    params = {"submitter": result.entry.system.submitter.slug}
    before = client.get(URL, params)
    assert client.get(URL, params)[STATUS_HEADER] == "hit"
    # The generation is not replaced (as on another process's local cache) ...
    with django_capture_on_commit_callbacks(execute=False):
        services.withdraw_result(result, reason="Wrong figure")
    after = client.get(URL, params)
    # ... yet the page is rendered again: its key names the newest correction.
    assert after[STATUS_HEADER] == "miss" and after.content != before.content


def set_publication(database, when: dt.datetime) -> None:
    """As staff on a third process would; no web process hears of it."""
    with sqlite3.connect(database) as db:
        db.execute(
            "UPDATE results_round SET published_at = ? WHERE version = 'v0.7'",
            (when.astimezone(dt.UTC).strftime("%Y-%m-%d %H:%M:%S"),),
        )


@pytest.mark.slow  # two web processes: half a minute
def test_two_web_processes_on_the_default_cache_hold_the_embargo(tmp_path):
    env = site_env(tmp_path, DJANGO_SECRET_KEY="s" + "".join(chr(65 + i % 50) for i in range(60)))
    load_site(env)
    database = tmp_path / "site.sqlite3"
    with web(env) as first, web(env) as second:
        for site in (first, second):
            assert get(site + URL)[1][STATUS_HEADER] == "miss"
            status, headers, _ = get(site + URL)
            assert (status, headers[STATUS_HEADER]) == (200, "hit")

        # Published too early: staff move the publication time back.
        set_publication(database, timezone.now() + dt.timedelta(days=1))
        for site in (first, second):
            for url in (URL, URL + "?division=open", "/v0.7/results.csv"):
                status, headers, _ = get(site + url)
                assert status == 404 and STATUS_HEADER not in headers, (site, url)

        # Published again; a withdrawal made on a third process shows on both at once.
        set_publication(database, timezone.now() - dt.timedelta(days=1))
        pages = {site: get(site + URL + "?submitter=ivatech")[2] for site in (first, second)}
        manage(
            env,
            "shell",
            "-c",
            "from results.models import Result; from results import services; "
            "r = Result.objects.filter(entry__system__submitter__slug='ivatech').first(); "
            "services.withdraw_result(r, reason='Withdrawn by its submitter')",
        )
        for site in (first, second):
            status, headers, body = get(site + URL + "?submitter=ivatech")
            assert (status, headers[STATUS_HEADER]) == (200, "miss")
            assert body != pages[site]
