"""A round's official summary: its IDs become the rows' public IDs; differences are listed."""

import io

import pytest
from django.core.management import CommandError, call_command

from results.models import Entry, OfficialDifference, Round

pytestmark = pytest.mark.slow


@pytest.fixture
def v60(db):
    out = io.StringIO()
    call_command("load_bundled_round", "v6.0", stdout=out)
    return Round.objects.get(version="v6.0"), out.getvalue()


def test_rows_take_the_official_ids(v60, client):
    round_, output = v60
    assert "Official summary: 518 results matched to their official IDs" in output
    entry = Entry.objects.get(result_id="6.0-0001")
    assert entry.system.round == round_
    assert entry.system.folder_id == "87xMI355X_22xEPYC_9575F"
    response = client.get("/id/6.0-0001")
    assert response.status_code == 302 and "87xMI355X_22xEPYC_9575F" in response["Location"]
    # Rows the summary does not list get the site's own numbers, which never clash.
    own = Entry.objects.filter(system__round=round_).exclude(result_id__startswith="6.0-0")
    assert all(e.result_id.startswith("6.0-") for e in own)


def test_every_difference_is_kept_for_staff(v60, admin_client):
    round_, _ = v60
    differences = OfficialDifference.objects.filter(round=round_)
    fields = {d.field for d in differences}
    # v6.0's summary flags Interactive and lowercase folders as inferred (rounds §10.4 J2);
    # two of its results need the submitter's model_mapping.json, not in the bundle.
    assert fields == {"inferred", "missing"}
    assert differences.filter(field="missing").count() == 2
    assert differences.filter(field="inferred").count() == 98
    page = admin_client.get("/admin/results/officialdifference/?field=missing")
    assert page.status_code == 200 and "llama3_1-70b-fp8_dyn" in page.content.decode()


def test_an_unreadable_summary_exits_2(v60, tmp_path):
    bad = tmp_path / "summary.json"
    bad.write_text("{not json")
    with pytest.raises(CommandError) as exc:
        call_command(
            "import_submission",
            "data/inference_results_v6.0.tar.xz",
            round="v6.0",
            official_summary=str(bad),
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    assert exc.value.returncode == 2 and "not valid JSON" in str(exc.value)
