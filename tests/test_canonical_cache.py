"""The cache holds only canonical pages (issue 12, item 8): unknown parameters and
values are dropped before the key is made, a made-up session cookie does not skip the
cache, and the whole round's CSV and JSON are kept per round generation."""

import json

import pytest
from django.core.cache import cache

from results import services
from results.cache import STATUS_HEADER
from results.models import Result

pytestmark = pytest.mark.django_db

URL = "/v0.7/"
TABLE = "/v0.7/tables/open-edge-available/"


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.RESULTS_CACHE_TIMEOUT = 300


def stored_pages() -> int:
    return sum(":results:page:" in key for key in cache._cache)  # LocMemCache's own dict


def status(client, url, params=None):
    response = client.get(url, params or {})
    assert response.status_code == 200, (url, params)
    return response.get(STATUS_HEADER)


def test_made_up_values_render_and_store_nothing_new(client, v07):
    assert status(client, URL) == "miss"
    before = stored_pages()
    for n in range(20):
        params = {"sort": f"junk{n}", "submitter": f"nobody{n}", f"x{n}": "1", "page": "2"}
        assert status(client, URL, params) == "hit"
    assert status(client, URL, {"sort": "resnet-Offline\u202e"}) == "hit"
    assert stored_pages() == before


def test_known_values_are_pages_of_their_own_kept_once(client, v07):
    assert status(client, URL, {"sort": "-resnet-Offline"}) == "miss"
    # Repeats (the page reads the last), other parameters and other order: the same page.
    assert status(client, URL + "?sort=junk&sort=-resnet-Offline&utm_source=mail") == "hit"
    assert status(client, URL, {"submitter": "nvidia", "division": ""}) == "miss"
    assert status(client, URL + "?division=&submitter=nvidia&benchmark=") == "hit"


def test_page_numbers_are_normalised(client, v07, settings):
    settings.RESULTS_TABLE_PAGE_ROWS = 50
    assert status(client, TABLE, {"page": "2"}) == "miss"
    for junk in ("02", "+2", "2.0"):
        response = client.get(TABLE, {"page": junk})
        # A page number written otherwise is page 1, the canonical one: never a new entry.
        assert response.status_code == 200 and response[STATUS_HEADER] in ("miss", "hit")
    assert status(client, TABLE, {"page": "1"}) == "hit"  # the same as no page at all
    assert status(client, TABLE) == "hit"


def test_the_canonical_page_is_the_one_rendered(client, v07):
    html = client.get(URL, {"submitter": "nobody"}).content.decode()
    assert "Select a valid choice" not in html  # rendered without the made-up value
    page = client.get(URL, {"submitter": "atos", "utm": "x"})
    assert "utm" not in page.content.decode()
    assert page.wsgi_request.GET.dict() == {"submitter": "atos"}


def test_a_made_up_session_cookie_does_not_skip_the_cache(client, v07, django_user_model):
    assert status(client, URL) == "miss"
    client.cookies["sessionid"] = "made-up-session-key"
    assert status(client, URL) == "hit"
    client.force_login(django_user_model.objects.create_user("someone", password="x"))
    assert status(client, URL) is None  # a real login: always fresh


def test_the_bypass_parameter_works_only_when_set(client, v07, settings):
    assert status(client, URL) == "miss"
    assert status(client, URL, {"nocache": "1"}) == "hit"
    settings.RESULTS_CACHE_BYPASS_PARAM = "nocache"
    assert status(client, URL, {"nocache": "1"}) is None


def test_the_whole_rounds_downloads_are_kept_per_generation(
    client, v07, django_assert_num_queries, django_capture_on_commit_callbacks
):
    first = client.get("/v0.7/results.csv")
    assert first[STATUS_HEADER] == "miss"
    with django_assert_num_queries(1):  # is the round public now
        second = client.get("/v0.7/results.csv")
    assert second[STATUS_HEADER] == "hit" and second.content == first.content
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert second.content.count(b"\r\n") == 1206
    data = client.get("/v0.7/results.json")
    assert (
        data[STATUS_HEADER] == "miss" and client.get("/v0.7/results.json")[STATUS_HEADER] == "hit"
    )
    # Filtered downloads stream, as before, and are not kept.
    filtered = client.get("/v0.7/results.csv", {"submitter": "atos"})
    assert filtered.streaming and STATUS_HEADER not in filtered
    # A withdrawal: a new generation, the row kept with its status (issue 11).
    result = Result.objects.for_round(v07).visible().first()
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_result(result, reason="Wrong figure")
    third = client.get("/v0.7/results.json")
    assert third[STATUS_HEADER] == "miss"
    rows = json.loads(third.content)["results"]
    assert len(rows) == len(json.loads(data.content)["results"])
    assert [r["status"] for r in rows].count("withdrawn") == 1
