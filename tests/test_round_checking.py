"""A round's page says what its own checker did and did not check (the profile's statement)."""

import pytest

from tests.factories import make_round

pytestmark = pytest.mark.django_db


def checking_part(html):
    return html.split('<details class="round-checking">', 1)[1].split("</details>", 1)[0]


def test_v0_5_page_says_what_was_and_was_not_checked(client, django_assert_num_queries):
    make_round("v0.5")
    make_round("v0.7", version="v0.6")
    # The statement is the round's document, read with the round: no query of its own, so
    # the page costs what the page of an empty round without one costs.
    with django_assert_num_queries(12):
        assert client.get("/v0.6/").status_code == 200
    with django_assert_num_queries(12):
        response = client.get("/v0.5/")
    assert response.status_code == 200
    part = checking_part(response.content.decode())
    assert "submission-checker.py of mlcommons/inference at 675557a5" in part
    assert "audit/ (TEST01, TEST03, TEST04-A, TEST04-B, TEST05)" in part
    assert "Latency bounds, minimum query counts and the minimum duration" in part
    assert "shows each of its errors as a warning" in part


def test_the_statement_is_the_profiles(client):
    make_round(
        "v0.5",
        version="v0.4",
        checking={"source": "A checker of our own", "checked": ["one thing"], "not_checked": []},
    )
    part = checking_part(client.get("/v0.4/").content.decode())
    assert "A checker of our own." in part and "One thing" in part


def test_a_round_checked_by_the_usual_rules_has_no_statement(client, v07):
    assert 'class="round-checking"' not in client.get("/v0.7/").content.decode()


def test_later_rounds_compare_with_v0_5(client, v07):
    make_round("v0.5")
    html = client.get("/v0.7/").content.decode()
    (line,) = [
        p for p in html.split("<p>") if p.startswith("<strong>Against MLPerf Inference v0.5")
    ]
    assert "resnet50 SingleStream" in line and "ssd-resnet34 Offline" in line
    assert "not comparable" not in line


def test_the_round_page_links_its_sources(client, v07):
    """Issue 10: the round's page links to its code and to the official results repository."""
    html = client.get("/v0.7/").content.decode()
    assert '<a href="https://github.com/mlcommons/inference_results_v0.7">' in html
    assert '<a href="https://github.com/mlcommons/inference/tree/r0.7">' in html
    assert "cd105ff3a5c7f918ee0a153ef325a3610f59751f/tools/submission/submission-checker.py" in html


def test_the_migration_gives_stored_rounds_the_profiles_links():
    import importlib

    from mlperf import load_round_data

    migration = importlib.import_module("results.migrations.0013_round_links")
    for version, (results, code, checker) in migration.LINKS.items():
        assert load_round_data(version)["links"] == {
            "results": migration.GITHUB + results,
            "code": f"{migration.GITHUB}inference/{code}",
            "checker": f"{migration.GITHUB}inference/{checker}",
        }
