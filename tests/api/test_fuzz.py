"""Whatever a query string holds, the API answers 200, 400 or 404 with JSON, never a 500."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

NAMES = ["division", "category", "system_type", "benchmark", "scenario", "submitter"]
NAMES += ["accelerator", "processor", "software", "page", "page_size", "junk"]
PATHS = ["results/", "systems/", "benchmarks/", "corrections/", ""]


@pytest.mark.django_db
@settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    path=st.sampled_from(PATHS),
    query=st.dictionaries(st.sampled_from(NAMES), st.text(max_size=30), max_size=3),
)
def test_any_query_is_answered_cleanly(client, v07, path, query):
    response = client.get(f"/api/v1/rounds/v0.7/{path}", query)
    assert response.status_code in (200, 400, 404), (query, response.content[:300])
    assert response["Content-Type"] == "application/json"
    assert response.json()
