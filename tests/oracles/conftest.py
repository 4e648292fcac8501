import pytest

from mlperf import check_tree, load_round_rules, read_tree

from .compare import REPO

pytestmark = pytest.mark.slow


@pytest.fixture(scope="session")
def official_report():
    """The check report of a bundled round's tree, read once per session and round."""
    reports = {}

    def report(version: str):
        if version not in reports:
            rules = load_round_rules(version)
            bundle = REPO / "data" / f"inference_results_{version}.tar.xz"
            reports[version] = check_tree(read_tree(bundle, rules=rules), rules)
        return reports[version]

    return report
