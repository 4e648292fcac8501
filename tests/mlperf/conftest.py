import shutil
import tarfile
from pathlib import Path

import pytest

from mlperf import load_round_rules

REPO = Path(__file__).resolve().parents[2]
BUNDLE = REPO / "data" / "inference_results_v0.7.tar.xz"
SAMPLES = REPO / "tests" / "data" / "samples"


@pytest.fixture(scope="session")
def rules():
    return load_round_rules("v0.7")


SMALL_SUBMISSIONS = ("closed/IVATech", "closed/Mobilint", "open/IVATech", "open/InAccel")


@pytest.fixture(scope="session")
def small_submissions(tmp_path_factory):
    """A few small real submitter folders, unpacked once from the bundled v0.7 tree."""
    target = tmp_path_factory.mktemp("v0.7")
    wanted = tuple(f"inference_results_v0.7/{p}/" for p in SMALL_SUBMISSIONS)
    with tarfile.open(BUNDLE) as archive:
        members = [m for m in archive.getmembers() if m.name.startswith(wanted)]
        archive.extractall(target, members=members, filter="data")
    return target / "inference_results_v0.7"


@pytest.fixture
def extract(small_submissions, tmp_path):
    """Copy some of the small submitter folders (e.g. "closed/IVATech") into a fresh tree."""

    def copy(*prefixes: str) -> Path:
        root = tmp_path / "inference_results_v0.7"
        for prefix in prefixes:
            shutil.copytree(small_submissions / prefix, root / prefix)
        for path in root.rglob("*"):
            path.chmod(0o755 if path.is_dir() else 0o644)
        return root

    return copy


@pytest.fixture
def ivatech(extract):
    """The complete (but for its code) closed IVATech submission, writable."""
    return extract("closed/IVATech")
