"""Query counts of every endpoint, pinned, and the same with ten times the rows and more
rounds: nothing is read per row or per round."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from results import services
from tests.factories import make_result, make_round, make_system

# Path, query, queries. Each list: the round (nested endpoints), the count, the page,
# and what the page's rows join (prefetches; for results the download's own reads).
PINS = [
    ("/api/v1/rounds/", {}, 2),
    ("/api/v1/rounds/v0.7/", {}, 4),
    ("/api/v1/rounds/v0.7/benchmarks/", {}, 4),
    ("/api/v1/rounds/v0.7/systems/", {}, 4),
    ("/api/v1/rounds/v0.7/systems/", {"division": "closed", "accelerator": "t4"}, 5),
    ("/api/v1/rounds/v0.7/results/", {}, 7),
    ("/api/v1/rounds/v0.7/results/", {"benchmark": "resnet", "scenario": "Offline"}, 9),
    ("/api/v1/rounds/v0.7/corrections/", {}, 3),
]


def more_data():
    """Another published round, and in v0.7 a submitter with many systems, rows, results
    with power, and corrections (withdrawn and corrected results)."""
    other = make_round("v2.0", version="v9.7", published_at="2021-01-01T00:00:00Z")
    v07 = services.Round.objects.get(version="v0.7")
    for round_ in (other, v07):
        for n in range(12):
            system = make_system(round_, "Bulk", f"bulk{n}", accelerator_count=8)
            for scenario in ("Offline", "Server"):
                result = make_result(system, "resnet", scenario, 100.0 + n, power=(300.0, "W"))
            if n % 3 == 0:
                services.withdraw_result(result, reason="Test")
            elif n % 3 == 1:
                services.correct_value(result, value=999.0, reason="Test")


def count(client, path, params) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, {**params, "page_size": 1000})
    assert response.status_code == 200, response.content
    return len(queries)


@pytest.fixture
def one_correction(v07):
    """A change log of one entry: an empty page is read in no query at all."""
    result = services.Result.objects.for_round(v07).visible().order_by("pk").first()
    services.withdraw_result(result, reason="Test")


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "params", "pinned"), PINS)
def test_query_counts_are_pinned(
    client, django_assert_num_queries, one_correction, path, params, pinned
):
    with django_assert_num_queries(pinned):
        response = client.get(path, {**params, "page_size": 1000})
    assert response.status_code == 200


@pytest.mark.django_db
def test_query_counts_do_not_grow_with_rows_or_rounds(client, one_correction):
    before = {(path, str(params)): count(client, path, params) for path, params, _ in PINS}
    more_data()
    after = {(path, str(params)): count(client, path, params) for path, params, _ in PINS}
    assert after == before
    assert client.get("/api/v1/rounds/").json()["count"] == 2
    # The corrections page has some to show now, and results more than one batch of rows.
    assert client.get("/api/v1/rounds/v0.7/corrections/").json()["count"] >= 8
