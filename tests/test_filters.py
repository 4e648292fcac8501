"""Filters by the names people search by: canonical accelerator and processor names, any part
of a name in any case, with row counts; and how the page cache keys such typed text."""

import re

import pytest

from results.cache import STATUS_HEADER
from results.models import Accelerator, Entry

pytestmark = pytest.mark.django_db

URL = "/v0.7/"


def ids(html):
    return set(re.findall(r'<td class="id"><a href="/id/[^"]+" id="([^"]+)"', html))


def rows_with(v07, **lookup):
    return set(
        Entry.objects.filter(system__round=v07, result_count__gt=0, **lookup).values_list(
            "result_id", flat=True
        )
    )


def test_a_canonical_name_finds_every_spelling(client, v07):
    spellings = set(
        Accelerator.objects.filter(canonical_name="NVIDIA T4").values_list("name", flat=True)
    )
    assert len(spellings) > 1  # "Tesla T4", "NVIDIA T4", ...
    html = client.get(URL, {"accelerator": "NVIDIA T4"}).content.decode()
    assert ids(html) == rows_with(v07, system__accelerator__canonical_name="NVIDIA T4")


def test_a_partial_name_in_any_case_matches(client, v07):
    html = client.get(URL, {"accelerator": "  t4 "}).content.decode()
    expected = rows_with(v07, system__accelerator__canonical_name__icontains="t4") | rows_with(
        v07, system__accelerator__name__icontains="t4"
    )
    assert ids(html) == expected and len(expected) > 10
    html = client.get(URL, {"processor": "xeon platinum"}).content.decode()
    assert ids(html) == rows_with(v07, system__processor__canonical_name__icontains="xeon platinum")


def test_the_filter_lists_canonical_names_with_row_counts(client, v07):
    html = client.get(URL).content.decode()
    listed = html.split('<datalist id="accelerator-names">', 1)[1].split("</datalist>", 1)[0]
    t4 = len(rows_with(v07, system__accelerator__canonical_name="NVIDIA T4"))
    assert f'<option value="NVIDIA T4">NVIDIA T4 ({t4} rows)</option>' in listed
    assert "Tesla T4" not in listed  # spellings are folded into their canonical name
    assert 'list="accelerator-names"' in html and 'list="processor-names"' in html


def test_too_long_a_name_is_a_form_error_not_a_500(client, v07):
    response = client.get(URL, {"accelerator": "x" * 500})
    assert response.status_code == 200
    assert "at most 100 characters" in response.content.decode()


class TestTheCacheKey:
    @pytest.fixture(autouse=True)
    def page_cache(self, settings):
        settings.RESULTS_CACHE_TIMEOUT = 300

    def test_a_canonical_name_in_any_case_is_one_stored_page(self, client, v07):
        first = client.get(URL, {"accelerator": "NVIDIA T4"})
        assert first[STATUS_HEADER] == "miss"
        again = client.get(URL, {"accelerator": "  nvidia   t4"})
        assert again[STATUS_HEADER] == "hit"
        assert 'name="accelerator" value="NVIDIA T4"' in again.content.decode()

    def test_partial_text_is_rendered_but_never_stored(self, client, v07):
        from django.core.cache import cache

        client.get(URL, {"show": "tables"})  # the page and the round's vocabulary
        keys = set(cache._cache)
        for text in ("t4", "T4", "nothing-like-it"):
            response = client.get(URL, {"accelerator": text})
            assert response.status_code == 200 and STATUS_HEADER not in response
        assert set(cache._cache) == keys
        assert ids(client.get(URL, {"accelerator": "t4"}).content.decode())
