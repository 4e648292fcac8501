"""Citations (results/citations.py) on the system page and at a result ID's landing:
plain text and BibTeX with the result ID, round, division, category, benchmark,
scenario, value and unit, date retrieved and permalink, escaped for HTML and TeX."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import re

import pytest
from django.utils import timezone

from results import citations
from results.models import Entry, Round, System

pytestmark = pytest.mark.django_db


def cite_blocks(page: str, kind: str) -> list[str]:
    return [
        html_lib.unescape(b)
        for b in re.findall(rf'<pre class="cite-{kind}">(.*?)</pre>', page, re.S)
    ]


def test_system_page_cites_each_result(client, v07, django_assert_num_queries):
    with django_assert_num_queries(6):  # the page's pin: the citations read what it reads
        page = client.get("/v0.7/closed/nvidia/T4x1_TRT/").content.decode()
    entry = Entry.objects.get(system__folder_id="T4x1_TRT", system__submitter__slug="nvidia")
    text = cite_blocks(page, "text")[0]
    today = timezone.localdate().isoformat()
    line = next(line for line in text.splitlines() if "resnet SingleStream" in line)
    assert line == (
        f"MLCommons, MLPerf Inference v0.7, result {entry.result_id}: resnet SingleStream, "
        "Closed division, Available category, NVIDIA Supermicro 4029GP-TRT-OTO-28 (1x T4, "
        f"TensorRT): 1.086217 ms. http://testserver/id/{entry.result_id} (retrieved {today})."
    )
    assert len(text.splitlines()) == entry.results.count()
    bibtex = cite_blocks(page, "bibtex")[0]
    assert bibtex.count("@misc{") == entry.results.count()
    key = entry.result_id.replace(".", "-")  # BibTeX keys: letters, digits, dashes
    assert f"@misc{{mlperf-{key}-resnet-singlestream," in bibtex
    assert f"howpublished = {{\\url{{http://testserver/id/{entry.result_id}}}}}," in bibtex
    assert "year         = {2020}," in bibtex and f"urldate      = {{{today}}}" in bibtex
    assert "<details" in page  # no JavaScript needed to open it


def test_result_id_lands_on_its_citation(client, v07):
    entry = Entry.objects.get(system__division="open", system__folder_id="1xU250")
    response = client.get(f"/id/{entry.result_id}", follow=True)
    page = response.content.decode()
    section = page.split(f'id="{entry.result_id}"', 1)[1].split("</section>", 1)[0]
    assert f'id="cite-{entry.result_id}"' in section
    assert f"result {entry.result_id}: " in html_lib.unescape(section)


def test_names_are_escaped_for_html_and_tex(client, v07):
    system = System.objects.get(folder_id="T4x1_TRT", submitter__slug="nvidia")
    System.objects.filter(pk=system.pk).update(name="<script>x</script> 50% & {a_b} #1 \\ ~^$")
    page = client.get(system.get_absolute_url()).content.decode()
    assert "<script>x" not in page
    bibtex = cite_blocks(page, "bibtex")[0]
    assert r"<script>x</script> 50\% \& \{a\_b\} \#1 \textbackslash{} \~{}\^{}\$" in bibtex
    braces = 0
    for char in re.sub(r"\\[{}]", "", bibtex):
        braces += {"{": 1, "}": -1}.get(char, 0)
        assert braces >= 0
    assert braces == 0


def test_withdrawn_results_say_so(client, v07):
    entry = Entry.objects.get(system__division="open", system__folder_id="1xU250")
    result = entry.results.first()
    from results.services import withdraw_result

    withdraw_result(result, reason="test")
    page = client.get(entry.system.get_absolute_url()).content.decode()
    assert "(since withdrawn)" in cite_blocks(page, "text")[0]


def test_no_citation_before_result_ids(client, v07, admin_user):
    Round.objects.filter(pk=v07.pk).update(published_at=timezone.now() + dt.timedelta(days=1))
    Entry.objects.filter(system__round=v07).update(result_id=None)
    client.force_login(admin_user)
    page = client.get("/v0.7/closed/nvidia/T4x1_TRT/").content.decode()
    assert 'class="cite"' not in page


def test_tex_and_key_helpers():
    assert citations.tex("a_b%c") == r"a\_b\%c"
    assert citations.url_tex("http://x/id/1 {}%#") == "http://x/id/1%20%7B%7D%25%23"


def test_citation_offers_todays_snapshot(client, v07):
    page = client.get("/v0.7/closed/nvidia/T4x1_TRT/").content.decode()
    today = timezone.localdate().isoformat()
    for fmt in ("csv", "json", "xlsx"):
        link = f"/v0.7/snapshot/{today}/results.{fmt}"
        assert f'href="{link}"' in page
        assert client.get(link).status_code == 200
    assert (
        f'href="/v0.7/snapshot/{today}/results.csv"'
        in client.get("/v0.7/changes/").content.decode()
    )
