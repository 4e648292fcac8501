from .factories import make_result, make_round, make_system


def test_a_small_round_from_a_profile(db, client):
    round_ = make_round("v2.0", version="v9.9", published_at="2020-01-01T00:00:00Z")
    assert round_.benchmarks.count() == 10 and round_.rules["checker"] == "v2.0"
    system = make_system(round_, "Acme", "box1")
    make_result(system, "resnet", "Offline", 1234.5, power=(412.0, "W"))
    make_result(system, "resnet", "Server", 1000.0)
    page = client.get("/v9.9/", {"show": "tables"}).content.decode()
    assert ">box1</a>" in page
    assert 'class="pw" title="412.0 W"' in page
    per_watt = client.get("/v9.9/?view=per-watt").content.decode()
    assert 'title="2.996359223300971 samples/s per W"' in per_watt  # 1234.5 / 412
