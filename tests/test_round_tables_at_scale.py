"""Big rounds: past RESULTS_PAGE_MAX_ROWS the round page shows the first rows of each table,
and each table has its own pages, chosen and paginated in SQL with a fixed number of queries."""

import datetime as dt
import re

import pytest
from django.conf import settings as django_settings
from django.utils import timezone

from results.models import Round

pytestmark = pytest.mark.django_db

URL = "/v0.7/"
TABLE = "/v0.7/tables/open-edge-available/"
# The cut round page: the queries of the tables' page (test_round_page.TABLES_QUERIES), the
# counts per table and the first rows of each (a window function).
QUERIES = 20


def row_ids(html, section):
    part = html.split(f'<section id="{section}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<td class="id"><a href="/id/[^"]+" id="([^"]+)"', part)


@pytest.fixture
def cut(settings):
    """Limits small enough to cut v0.7's tables."""
    settings.RESULTS_PAGE_MAX_ROWS = 100
    settings.RESULTS_TABLE_PREVIEW_ROWS = 5
    return settings


def test_v07_fits_on_one_page_with_the_default_limits():
    assert django_settings.RESULTS_PAGE_MAX_ROWS >= 321


def test_past_the_limit_each_table_shows_its_first_rows(client, v07, cut):
    html = client.get(URL, {"show": "tables"}).content.decode()
    assert "321 rows and 1,205 results" in html
    assert len(row_ids(html, "open-edge-available")) == 5
    assert len(row_ids(html, "closed-datacenter-rdi")) == 1  # small tables stay whole
    assert len(re.findall(r'<td class="id">', html)) == 5 * 6 + 1 + 2 + 3
    # The contents give each table's size, and a cut table links to all of it.
    assert "(223)</span>" in html
    assert f'<a href="{TABLE}">Show all 223 rows of this table</a>' in html
    assert "Show all 2 rows" not in html


def test_a_cut_page_costs_a_fixed_number_of_queries(client, v07, cut, django_assert_num_queries):
    # Counts per table, the first rows of each (a window function), their results.
    with django_assert_num_queries(QUERIES):
        client.get(URL, {"show": "tables"})
    # And one to find the result column to sort by, for each of the two sorted queries.
    with django_assert_num_queries(QUERIES + 2):
        client.get(URL, {"sort": "resnet-Offline"})


@pytest.mark.parametrize(
    ("sort", "table"),
    [
        ("resnet-Offline", "closed-datacenter-available"),
        ("-resnet-Offline", "closed-datacenter-available"),  # worst first, blanks still last
        ("resnet-SingleStream", "closed-edge-available"),  # lower is better
        ("-resnet-SingleStream", "open-edge-available"),
        ("bert-99_9-Server", "closed-datacenter-available"),  # "." is "_" in column names
        ("accelerator_count", "closed-datacenter-available"),
        ("-processor_count", "open-edge-available"),
        (["resnet-Offline", "-accelerator_count"], "closed-datacenter-available"),
        ("resnet-Offline,-accelerator_count", "closed-datacenter-available"),  # ignored
    ],
)
def test_the_first_rows_are_the_first_of_the_whole_sorted_table(client, v07, settings, sort, table):
    whole = row_ids(client.get(URL, {"sort": sort}).content.decode(), table)
    settings.RESULTS_PAGE_MAX_ROWS = 100
    settings.RESULTS_TABLE_PREVIEW_ROWS = 5
    first = row_ids(client.get(URL, {"sort": sort}).content.decode(), table)
    assert first == whole[:5]


def test_filters_apply_before_the_limit(client, v07, cut):
    html = client.get(URL, {"division": "open", "system_type": "edge"}).content.decode()
    assert "226 rows" in html
    assert len(row_ids(html, "open-edge-available")) == 5
    assert f'href="{TABLE}?division=open&amp;system_type=edge">Show all 223 rows' in html


def test_a_table_page_pages_through_the_whole_sorted_table(client, v07, settings):
    sort = "resnet-SingleStream"
    whole = row_ids(client.get(URL, {"sort": sort}).content.decode(), "open-edge-available")
    settings.RESULTS_TABLE_PAGE_ROWS = 50
    pages = []
    for number in range(1, 6):
        html = client.get(TABLE, {"sort": sort, "page": number}).content.decode()
        pages += row_ids(html, "open-edge-available")
    assert pages == whole
    assert "Page 5 of 5" in html
    assert "rows 201 to 223 are on this page" in html
    assert 'href="?sort=resnet-SingleStream&amp;page=4" rel="prev"' in html


def test_table_pages_cost_the_same_queries_whatever_the_page(
    client, v07, settings, django_assert_num_queries
):
    settings.RESULTS_TABLE_PAGE_ROWS = 20
    for page in (1, 5, 12):
        # The round's table types (2), the count, the page's rows and their results.
        with django_assert_num_queries(20):
            assert client.get(TABLE, {"page": page}).status_code == 200


def test_a_table_page_keeps_the_filters(client, v07):
    html = client.get(TABLE, {"submitter": "inspur"}).content.decode()
    assert "match the filters" in html
    assert len(row_ids(html, "open-edge-available")) == 2
    assert 'href="/v0.7/?submitter=inspur#open-edge-available"' in html


def test_unknown_tables_and_embargoed_rounds_are_not_found(client, v07):
    assert client.get("/v0.7/tables/closed-nowhere-available/").status_code == 404
    assert client.get("/v0.7/tables/sideways-edge-available/").status_code == 404
    Round.objects.filter(pk=v07.pk).update(published_at=timezone.now() + dt.timedelta(days=1))
    assert client.get(TABLE).status_code == 404
