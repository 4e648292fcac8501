"""The API in the round page cache: anonymous requests with closed-set parameters are
stored per round generation and public state, so the embargo and corrections hold."""

import datetime as dt

import pytest
from django.utils import timezone

from results import services
from results.cache import STATUS_HEADER
from results.models import Result, Round

RESULTS = "/api/v1/rounds/v0.7/results/"


@pytest.fixture
def page_cache(settings):
    settings.RESULTS_CACHE_TIMEOUT = 300


@pytest.mark.django_db
def test_a_stored_response_is_the_same_response(api_get, v07, page_cache):
    first = api_get(RESULTS, {"division": "open", "page": "2"})
    again = api_get(RESULTS, {"division": "open", "page": "2"})
    assert (first[STATUS_HEADER], again[STATUS_HEADER]) == ("miss", "hit")
    assert again.content == first.content and again["ETag"] == first["ETag"]
    # As the round's pages: a browser revalidates after a minute, a shared cache keeps it.
    assert again["Cache-Control"] == first["Cache-Control"] == "public, max-age=60, s-maxage=300"
    assert (
        api_get(
            RESULTS, {"division": "open", "page": "2"}, headers={"If-None-Match": first["ETag"]}
        ).status_code
        == 304
    )
    for path in ("/api/v1/rounds/v0.7/", "/api/v1/rounds/v0.7/systems/"):
        api_get(path)
        assert api_get(path)[STATUS_HEADER] == "hit"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query",
    [{"accelerator": "t4"}, {"page_size": "10"}, {"page": "01"}, {"benchmark": "nope"}],
)
def test_free_text_and_bad_values_are_never_stored(api_get, v07, page_cache, query):
    for _ in range(2):
        assert STATUS_HEADER not in api_get(RESULTS, query)


@pytest.mark.django_db
def test_logged_in_visitors_are_served_afresh(api_get, client, django_user_model, v07, page_cache):
    api_get(RESULTS)
    client.force_login(django_user_model.objects.create_user("staff", is_staff=True))
    response = api_get(RESULTS)
    assert STATUS_HEADER not in response and "no-store" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_embargo_and_corrections_hold_through_the_cache(
    api_get, v07, page_cache, django_capture_on_commit_callbacks
):
    assert api_get(RESULTS)[STATUS_HEADER] == "miss"
    before = api_get(RESULTS)
    assert before[STATUS_HEADER] == "hit"
    # A withdrawal, its invalidation never run (another process's local cache) ...
    result = Result.objects.for_round(v07).visible().order_by("pk").first()
    with django_capture_on_commit_callbacks(execute=False):
        services.withdraw_result(result, reason="Wrong figure")
    after = api_get(RESULTS)
    assert after[STATUS_HEADER] == "miss" and after.content != before.content
    # ... and a publication moved back: not served, from the cache or otherwise.
    Round.objects.filter(pk=v07.pk).update(published_at=timezone.now() + dt.timedelta(hours=1))
    for path in (RESULTS, "/api/v1/rounds/v0.7/"):
        response = api_get(path)
        assert response.status_code == 404 and STATUS_HEADER not in response
