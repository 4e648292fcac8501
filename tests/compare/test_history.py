"""History: an accelerator's page, a system family's page, and "this system in earlier
rounds" on the system page."""

import pytest

from compare import selectors
from tests.factories import make_result, make_round, make_system

from .conftest import rid

pytestmark = pytest.mark.django_db


def group(history, benchmark, scenario):
    return next(g for g in history.groups if (g.benchmark, g.scenario) == (benchmark, scenario))


def test_accelerator_page_best_per_round_per_accelerator(client, v20):
    response = client.get("/accelerators/nvidia-t4/")
    assert response.status_code == 200
    history = response.context["history"]
    assert history.name == "NVIDIA T4"
    assert {"NVIDIA T4", "NVIDIA Tesla T4"} <= set(history.spellings)
    offline = group(history, "resnet", "Offline")
    assert [b.round_version for b in offline.rounds] == ["v2.0", "v0.7"]
    newest, old = offline.rounds
    assert newest.value == 6000.0 and newest.per_accelerator == 6000.0 and newest.count == 1
    # v0.7 has many T4 systems; the best per accelerator wins, whatever its size.
    assert old.count > 5 and old.per_accelerator >= 6035.57
    assert old.per_accelerator == old.value / old.chips
    assert old.not_comparable == ""
    multi = group(history, "resnet", "MultiStream")
    assert multi.rounds[1].not_comparable == "another metric (streams against ms)"
    assert multi.is_latency  # the newest round's direction: ms, lower is better
    html = response.content.decode()
    assert "per accelerator" in html and "not comparable with v2.0" in html


def test_accelerator_slug_unknown_is_404(client, v07):
    assert client.get("/accelerators/no-such-chip/").status_code == 404


def test_family_page_rounds_as_columns(client, v20):
    response = client.get("/systems/nvidia/T4x1_TRT/")
    assert response.status_code == 200
    family = response.context["family"]
    assert [(m.round_version, m.division) for m in family.members] == [
        ("v0.7", "closed"),
        ("v2.0", "closed"),
    ]
    rows = {(r.benchmark, r.scenario): r for r in family.rows}
    old, new = rows[("resnet", "Offline")].cells
    assert (old.value, new.value) == (6035.57, 6000.0) and old.not_comparable == ""
    old, new = rows[("resnet", "MultiStream")].cells
    assert old.not_comparable == "another metric (streams against ms)"
    assert rows[("ssd-small", "Offline")].cells[1] is None
    html = response.content.decode()
    assert "systems/T4x1_TRT.json" in html and "not comparable" in html


def test_family_is_matched_without_regard_to_case(client, v20):
    assert client.get("/systems/nvidia/t4x1_trt/").status_code == 200
    assert client.get("/systems/nvidia/nothing/").status_code == 404
    assert client.get("/systems/nobody/T4x1_TRT/").status_code == 404


def test_an_open_system_shows_its_best_row(v07):
    family = selectors.system_family("dividiti", "rpi4-tflite-v2.2.0-ruy")
    cells = [c for row in family.rows for c in row.cells if c is not None]
    assert any(c.more for c in cells)


def test_history_query_counts_do_not_grow_with_rounds(client, v20, t4, django_assert_num_queries):
    with django_assert_num_queries(3):
        client.get("/accelerators/nvidia-t4/")
    with django_assert_num_queries(3):
        client.get("/systems/nvidia/T4x1_TRT/")
    # A third round of the same system and accelerator: the same number of queries.
    third = make_round("v2.0", version="v3.3", published_at="2023-01-01T00:00:00Z")
    box = make_system(third, "NVIDIA", "T4x1_TRT", accelerator=t4, accelerator_count=1)
    make_result(box, "resnet", "Offline", 7000.0)
    with django_assert_num_queries(3):
        t4 = client.get("/accelerators/nvidia-t4/")
    with django_assert_num_queries(3):
        family = client.get("/systems/nvidia/T4x1_TRT/")
    assert len(family.context["family"].members) == 3
    assert t4.context["history"].round_count == 3


def test_system_page_lists_earlier_rounds(client, v20, django_assert_num_queries):
    # The page's 6 queries (tests/test_system_page.py), earlier rounds or none.
    with django_assert_num_queries(6):
        html = client.get("/v2.0/closed/nvidia/T4x1_TRT/").content.decode()
    assert "This system in earlier rounds" in html
    section = html.split('id="earlier"', 1)[1].split("<h2", 1)[0]
    assert "MLPerf Inference v0.7" in section
    assert 'href="/v0.7/closed/nvidia/T4x1_TRT/"' in section
    assert 'href="/systems/nvidia/T4x1_TRT/"' in section
    # v2.0 came later than v0.7: not "earlier".
    old = client.get("/v0.7/closed/nvidia/T4x1_TRT/").content.decode()
    assert "None: no earlier published round" in old.split('id="earlier"', 1)[1]
    assert 'href="/accelerators/nvidia-t4/"' in old


def test_an_accelerator_name_without_a_slug_has_no_link(client, v20):
    from results.models import Accelerator

    Accelerator.objects.filter(name="Acme Chip 9").update(canonical_name="???")
    page = client.get("/v2.0/closed/acme/big/")
    assert page.status_code == 200 and "in every round</a>" not in page.content.decode()
    ids = [rid(v20, "big"), rid(v20, "T4x1_TRT")]
    response = client.get("/compare/", {"ids": ids})
    assert response.status_code == 200
    assert response.context["comparison"].picks[0].accelerator_url == ""


def test_the_accelerator_index(client, v20, embargoed, django_assert_num_queries):
    with django_assert_num_queries(1):
        response = client.get("/accelerators/")
    assert response.status_code == 200
    links = {link.name: link for link in response.context["accelerators"]}
    assert links["NVIDIA T4"].rounds == 2 and links["NVIDIA T4"].slug == "nvidia-t4"
    assert links["Acme Chip 9"].systems == 1
    html = response.content.decode()
    assert 'href="/accelerators/nvidia-t4/"' in html
    assert "Secret Chip X" not in html  # only the embargoed round has it
