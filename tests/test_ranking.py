"""/<round>/rank/<benchmark>/<scenario>/: one column across every table, best first."""

import re


def test_ranking_orders_every_table_best_first(client, v07, django_assert_num_queries):
    # Session-free public page: the round, the column, the results, their power, the links.
    with django_assert_num_queries(5):
        response = client.get("/v0.7/rank/resnet/Offline/")
    assert response.status_code == 200
    page = response.content.decode()
    values = [float(v) for v in re.findall(r'<td class="num" title="([0-9.e+-]+) samples/s"', page)]
    assert len(values) > 20 and values == sorted(values, reverse=True)
    assert "Closed" in page and "Open" in page  # across divisions


def test_latency_rankings_put_the_lowest_first(client, v07):
    page = client.get("/v0.7/rank/resnet/SingleStream/").content.decode()
    values = [float(v) for v in re.findall(r'<td class="num" title="([0-9.e+-]+) ms"', page)]
    assert values and values == sorted(values)


def test_the_round_page_links_its_rankings(client, v07):
    page = client.get("/v0.7/").content.decode()
    assert 'href="/v0.7/rank/resnet/Offline/"' in page


def test_an_unknown_column_is_a_404(client, v07):
    assert client.get("/v0.7/rank/resnet/Interactive/").status_code == 404
    assert client.get("/v0.7/rank/nope/Offline/").status_code == 404
    assert client.get("/v9.9/rank/resnet/Offline/").status_code == 404
