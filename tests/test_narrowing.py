"""One benchmark (and scenario) at a time: the columns, the rows and the downloads narrow."""

import csv
import io


def test_a_chosen_benchmark_narrows_the_download(client, v07):
    body = b"".join(client.get("/v0.7/results.csv?benchmark=bert-99").streaming_content)
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert rows and {r["benchmark"] for r in rows} == {"bert-99"}
    everything = b"".join(client.get("/v0.7/results.csv").streaming_content)
    in_all = [
        r for r in csv.DictReader(io.StringIO(everything.decode())) if r["benchmark"] == "bert-99"
    ]
    assert len(rows) == len(in_all)


def test_a_chosen_benchmark_and_scenario_narrow_the_columns(client, v07):
    page = client.get("/v0.7/?benchmark=resnet&scenario=Offline").content.decode()
    assert 'class="bm">resnet</span> <span class="sc">Offline' in page
    assert 'class="sc">Server' not in page and 'class="bm">bert-99' not in page
    data = client.get("/v0.7/results.json?benchmark=resnet&scenario=Offline").json()
    assert data["results"]
    assert {(r["benchmark"], r["scenario"]) for r in data["results"]} == {("resnet", "Offline")}


def test_a_scenario_alone_keeps_every_benchmark_in_it(client, v07):
    data = client.get("/v0.7/results.json?scenario=Server").json()
    assert {r["scenario"] for r in data["results"]} == {"Server"}
    assert len({r["benchmark"] for r in data["results"]}) > 3
