"""The system page and citable result IDs."""

import pytest

from results.models import Entry

pytestmark = pytest.mark.django_db


def test_system_page_shows_description_and_every_result(client, v07, django_assert_num_queries):
    # The system with its relations (its round included), entries, results, their
    # measurements, corrections, and its family in earlier rounds (compare app).
    with django_assert_num_queries(6):
        response = client.get("/v0.7/closed/nvidia/T4x1_TRT/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Supermicro 4029GP-TRT-OTO-28 (1x T4, TensorRT)" in html
    assert "<code>host_memory_capacity</code>" in html  # the full system JSON
    assert html.count("<td>resnet</td>") == 3
    assert "1.086217" in html and "ms" in html and "75.920%" in html
    assert "compliant" in html


def test_query_count_does_not_grow_with_results(client, v07, django_assert_num_queries):
    # An open system with 62 rows and 108 results needs no more queries than one with 2.
    with django_assert_num_queries(6):
        big = client.get("/v0.7/open/dividiti/rpi4-tflite-v2.2.0-ruy/")
    with django_assert_num_queries(6):
        small = client.get("/v0.7/open/inaccel/2xU250/")
    assert big.content.decode().count("Result ID 0.7-") > 10
    assert small.content.decode().count("Result ID 0.7-") == 1


def test_flags_and_findings(client, v07):
    inferred = client.get("/v0.7/closed/dividiti/firefly-armnn-v20.08-neon/").content.decode()
    assert "inferred" in inferred and "not compliant" in inferred
    assert "no compliance folder" in inferred
    open_page = client.get("/v0.7/open/inaccel/1xU250/").content.decode()
    assert "compliance n/a" in open_page
    assert "below the target" in open_page  # 62.266% against 75.6954%


def test_unknown_system_is_404(client, v07):
    assert client.get("/v0.7/closed/nvidia/NoSuchSystem/").status_code == 404
    assert client.get("/v0.7/edge/nvidia/T4x1_TRT/").status_code == 404
    assert client.get("/v9/").status_code == 404


def test_result_id_redirects_to_its_row(client, v07):
    entry = Entry.objects.select_related("system").get(
        system__division="open", system__folder_id="1xU250"
    )
    response = client.get(f"/id/{entry.result_id}")
    assert response.status_code == 302
    assert response["Location"] == f"/v0.7/open/inaccel/1xU250/#{entry.result_id}"
    assert client.get("/id/0.7-999").status_code == 404
