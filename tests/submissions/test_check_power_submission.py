"""`manage.py check_submission` on a v1.0 submitter folder measured for power."""

import io

import pytest
from django.core.management import call_command

from tests.mlperf.test_power import intact, v10_qualcomm  # noqa: F401 (fixtures)


def check(path):
    out = io.StringIO()
    try:
        call_command("check_submission", str(path), "--round", "v1.0", stdout=out, stderr=out)
        code = 0
    except SystemExit as exc:
        code = exc.code
    return code, out.getvalue()


@pytest.fixture
def v10_rules(db):
    call_command("load_round_rules", "v1.0", stdout=io.StringIO())


def test_intact_folder_with_power_exits_0(v10_rules, intact):  # noqa: F811
    code, out = check(intact)
    assert code == 0, out
    assert "12 results from 3 systems; 0 errors" in out


def test_a_missing_spl_txt_exits_1_naming_it(v10_rules, intact):  # noqa: F811
    spl = sorted(
        intact.glob("closed/Qualcomm/results/*/resnet50/offline/performance/run_1/spl.txt")
    )
    spl[0].unlink()
    code, out = check(intact)
    assert code == 1
    line = next(line for line in out.splitlines() if "[PW1 " in line)
    assert str(spl[0].relative_to(intact)) in line and "missing spl.txt" in line
