"""Light pages: gzip for public pages only, validators from the round's generation (304s),
Cache-Control that a shared cache may use, and the round page's weight as first shown."""

import gzip

import pytest
from django.core.cache import cache

from results.cache import STATUS_HEADER, invalidate_round

pytestmark = pytest.mark.django_db

URL = "/v0.7/"
GZIP = {"HTTP_ACCEPT_ENCODING": "gzip"}


@pytest.fixture(autouse=True)
def page_cache(settings):
    settings.RESULTS_CACHE_TIMEOUT = 300


def test_the_round_page_as_first_shown_is_under_60_kb_compressed(client, v07):
    response = client.get(URL, **GZIP)
    assert response.status_code == 200
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert len(response.content) < 60_000
    html = gzip.decompress(response.content).decode()
    assert "MLPerf Inference v0.7 results" in html and "About this round" in html


def test_public_pages_carry_validators_and_public_cache_control(client, v07):
    response = client.get(URL)
    assert response["ETag"].startswith('"') and response["Last-Modified"]
    control = response["Cache-Control"]
    assert "public" in control and "max-age=60" in control and "s-maxage=300" in control
    assert "Cookie" in response["Vary"]


def test_if_none_match_gets_a_304_with_no_body(client, v07, django_assert_num_queries):
    tag = client.get(URL)["ETag"]
    # The one query asks whether the round is public now; no page is read or rendered.
    with django_assert_num_queries(1):
        revalidated = client.get(URL, HTTP_IF_NONE_MATCH=tag)
    assert revalidated.status_code == 304 and revalidated.content == b""
    assert revalidated["ETag"] == tag
    # Compressed, the ETag is weak (W/"..."); it still revalidates.
    weak = client.get(URL, **GZIP)["ETag"]
    assert weak == f"W/{tag}"
    assert client.get(URL, HTTP_IF_NONE_MATCH=weak, **GZIP).status_code == 304
    # Another page, another tag; a new generation, another tag.
    assert client.get(URL, {"show": "tables"}, HTTP_IF_NONE_MATCH=tag).status_code == 200
    invalidate_round("v0.7")
    fresh = client.get(URL, HTTP_IF_NONE_MATCH=tag)
    assert fresh.status_code == 200 and fresh["ETag"] != tag


def test_if_modified_since_gets_a_304(client, v07):
    first = client.get(URL)
    again = client.get(URL, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])
    assert again.status_code == 304 and again.content == b""


def test_downloads_revalidate_too(client, v07):
    first = client.get("/v0.7/results.csv", **GZIP)
    assert first["Content-Encoding"] == "gzip" and "public" in first["Cache-Control"]
    assert client.get("/v0.7/results.csv", HTTP_IF_NONE_MATCH=first["ETag"]).status_code == 304


def test_an_unknown_parameter_makes_no_cache_entry(client, v07):
    client.get(URL, {"show": "tables"})
    keys = set(cache._cache)  # local-memory cache in tests
    for n in range(3):
        response = client.get(URL, {"show": "tables", "utm_source": f"x{n}", "_": str(n)})
        assert response.status_code == 200 and response[STATUS_HEADER] == "hit"
    assert set(cache._cache) == keys


def test_logged_in_pages_are_neither_compressed_nor_public(client, v07, django_user_model):
    user = django_user_model.objects.create_user("reader", password="pw-long-enough-1")
    client.force_login(user)
    response = client.get(URL, **GZIP)
    assert response.status_code == 200
    assert "Content-Encoding" not in response
    assert "private" in response["Cache-Control"] and "public" not in response["Cache-Control"]


def test_a_page_with_a_csrf_token_is_not_compressed(client, v07):
    response = client.get("/accounts/login/", **GZIP)
    assert response.status_code == 200
    assert "csrfmiddlewaretoken" in response.content.decode()
    assert "Content-Encoding" not in response


def test_views_are_in_the_cache_vocabulary(client, v07):
    for view in ("per-accelerator", "per-watt"):
        assert client.get(URL, {"show": "tables", "view": view})[STATUS_HEADER] == "miss"
        assert client.get(URL, {"view": view, "show": "tables"})[STATUS_HEADER] == "hit"
    # A made-up view is the page as published, stored once.
    assert client.get(URL, {"show": "tables"})[STATUS_HEADER] == "miss"
    assert client.get(URL, {"show": "tables", "view": "junk"})[STATUS_HEADER] == "hit"
    ranking = "/v0.7/rank/resnet/Offline/"
    assert client.get(ranking, {"view": "per-accelerator"})[STATUS_HEADER] == "miss"
    assert client.get(ranking, {"view": "nonsense"})[STATUS_HEADER] == "miss"
    assert client.get(ranking)[STATUS_HEADER] == "hit"  # the nonsense was dropped


def test_a_hit_is_served_compressed_as_stored(client, v07):
    plain = client.get(URL)
    hit = client.get(URL, **GZIP)
    assert hit[STATUS_HEADER] == "hit" and hit["Content-Encoding"] == "gzip"
    assert gzip.decompress(hit.content) == plain.content
    assert "Accept-Encoding" in hit["Vary"] and "Cookie" in hit["Vary"]
