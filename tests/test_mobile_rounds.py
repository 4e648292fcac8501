"""The mobile rounds, imported from their bundled trees: figures as the app published them."""

import csv
import io
import json
import re
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from results.models import Result, Round, System

pytestmark = pytest.mark.django_db

MOBILE = ("mobile-v2.1", "mobile-v4.0", "mobile-v5.0")


@pytest.fixture
def mobile(db):
    call_command("load_bundled_round", *MOBILE, verbosity=0, stdout=io.StringIO())
    return {r.version: r for r in Round.objects.filter(version__in=MOBILE)}


def result(version, system_id, benchmark, scenario):
    return Result.objects.get(
        entry__system__round__version=version,
        entry__system__folder_id=system_id,
        benchmark__slug=benchmark,
        scenario__name=scenario,
    )


def table_titles(html):
    return re.findall(r'<section id="[^"]+" class="results-section">\s*<h2>([^<]+)</h2>', html)


def test_every_device_and_result_of_the_three_trees_is_imported(mobile):
    counts = {
        version: (
            System.objects.filter(round=round_).count(),
            Result.objects.for_round(round_).count(),
        )
        for version, round_ in mobile.items()
    }
    assert counts == {"mobile-v2.1": (3, 15), "mobile-v4.0": (5, 39), "mobile-v5.0": (3, 20)}
    categories = dict(
        System.objects.filter(round__version="mobile-v4.0").values_list(
            "folder_id", "category__slug"
        )
    )
    assert categories == {
        "SD7G3": "phones",
        "SD8G3": "phones",
        "SD8SG3": "phones",
        "exynos2400": "phones",
        "SDX_Elite": "notebooks",  # the Windows laptop
    }
    assert set(
        System.objects.filter(round__in=mobile.values()).values_list("system_type__slug", flat=True)
    ) == {"mobile"}


def test_figures_are_the_apps_as_published(mobile):
    # Read by hand from closed/Qualcomm_Innovation_Center/results/SD8G3/result.json (v4.0):
    # image_classification_v2, SingleStream, throughput 1153.7072652407614, "82.14%".
    ic = result("mobile-v4.0", "SD8G3", "image_classification_v2", "SingleStream")
    assert (ic.value, ic.unit, ic.accuracy, ic.accuracy_raw) == (
        1153.7072652407614,
        "queries/s",
        82.14,
        "82.14",
    )
    assert ic.accuracy_metrics[0]["metric"] == "Top-1"
    assert ic.entry.result_id.startswith("mobile-4.0-")
    # closed/Samsung/results/results.json (v2.1): IC_tpu_uint8_offline 4981.974020544105, 75.51%.
    offline = result("mobile-v2.1", "exynos2300", "image_classification", "Offline")
    assert (offline.value, offline.unit, offline.accuracy) == (
        4981.974020544105,
        "samples/s",
        75.51,
    )
    assert offline.model_folder == "IC_tpu_uint8_offline"
    system = offline.entry.system
    assert (system.processor.canonical_name, system.accelerator.canonical_name) == (
        "Samsung Exynos 2300",
        "Samsung NPU",
    )
    # v5.0 SD8Elite: stable_diffusion 0.26448392862243997, CLIP score "0.2564".
    sd = result("mobile-v5.0", "SD8Elite", "stable_diffusion", "SingleStream")
    assert (sd.value, sd.accuracy, sd.accuracy_metrics[0]["metric"]) == (
        0.26448392862243997,
        0.2564,
        "CLIP score",
    )
    assert sd.entry.system.processor.canonical_name == "Qualcomm Snapdragon 8 Elite"
    # The laptop has no result.json: 1 / its 90th-percentile latency (1256200 ns), no accuracy.
    laptop = result("mobile-v4.0", "SDX_Elite", "image_classification_v2", "SingleStream")
    assert laptop.value == pytest.approx(1e9 / 1256200)
    assert laptop.accuracy is None
    assert laptop.entry.system.name == "Qualcomm reference design (Qualcomm Snapdragon X Elite)"
    assert [f["rule"] for f in laptop.findings] == ["N1"]
    assert result("mobile-v4.0", "SDX_Elite", "image_classification_v2", "Offline").value == 1105.8


def test_the_round_page_shows_mobile_phones_and_notebooks(
    mobile, client, django_assert_num_queries
):
    # The same pins as the other rounds' pages (tests/test_round_page.py): the overview,
    # then every table on one page.
    with django_assert_num_queries(12):
        overview = client.get("/mobile-v4.0/")
    assert overview.status_code == 200
    assert "Mobile, Closed division, Notebooks" in overview.content.decode()
    with django_assert_num_queries(19):
        response = client.get("/mobile-v4.0/", {"show": "tables"})
    assert response.status_code == 200
    html = response.content.decode()
    assert table_titles(html) == [
        "Mobile, Closed division, Phones",
        "Mobile, Closed division, Notebooks",
    ]
    assert "5 rows and 39 results" in html
    assert "1,153.71" in html and "MobileNetV4-Conv-L" in html
    assert "Top-1: as reported, no target applied" in html
    system = client.get("/mobile-v4.0/closed/qualcomm_innovation_center/SD8G3/")
    assert system.status_code == 200 and "82.14%" in system.content.decode()


def test_the_download_and_re_import_keep_figures_and_ids(mobile, client):
    body = b"".join(client.get("/mobile-v2.1/results.csv").streaming_content).decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert len(rows) == 15
    assert {(r["system_type"], r["category"]) for r in rows} == {("mobile", "phones")}
    ids = dict(
        Result.objects.for_round(mobile["mobile-v2.1"]).values_list("pk", "entry__result_id")
    )
    out = io.StringIO()
    call_command("load_bundled_round", "mobile-v2.1", force=True, stdout=out)
    assert "updated: nothing" in out.getvalue()
    assert re.search(r"unchanged: .*15 results", out.getvalue())
    assert ids == dict(
        Result.objects.for_round(mobile["mobile-v2.1"]).values_list("pk", "entry__result_id")
    )


def test_every_page_and_download_of_a_mobile_round_answers(mobile, client):
    for url in (
        "/",
        "/mobile-v5.0/",
        "/mobile-v5.0/changes/",
        "/mobile-v5.0/tables/closed-mobile-phones/",
        "/mobile-v5.0/rank/stable_diffusion/SingleStream/",
        "/mobile-v5.0/closed/qualcomm_innovation_center/SD8Elite/",
        "/mobile-v4.0/?category=notebooks",
    ):
        assert client.get(url).status_code == 200, url
    data = client.get("/mobile-v4.0/results.json")
    rows = json.loads(b"".join(data.streaming_content) if data.streaming else data.content)
    rows = rows["results"]
    assert len(rows) == 39
    laptop = [r for r in rows if r["system_id"] == "SDX_Elite"]
    assert len(laptop) == 8 and all(r["accuracy"] is None for r in laptop)
    assert client.get("/id/mobile-4.0-004").status_code == 302


def test_an_embargoed_mobile_round_is_not_public(mobile, client):
    Round.objects.filter(version="mobile-v5.0").update(
        published_at=timezone.now() + timedelta(days=1)
    )
    assert client.get("/mobile-v5.0/").status_code == 404
    assert client.get("/mobile-v5.0/results.csv").status_code == 404
    assert "mobile-v5.0" not in client.get("/").content.decode()
