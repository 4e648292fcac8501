"""The lock files agree with requirements*.txt: every pin there is locked, with hashes.

A pin added or changed without `make lock` fails here, offline, before anyone installs.
"""

import re
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(?:\[[^\]]*\])?==([^\s;\\]+)")


def _name(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pins(path: Path) -> dict[str, str]:
    """Name -> version of every `name==version` in a requirements file and those it -r's."""
    found: dict[str, str] = {}
    for line in path.read_text().splitlines():
        line = line.split("#", 1)[0].strip()
        if line.startswith("-r "):
            found |= pins(path.parent / line[3:].strip())
        elif match := PIN.match(line):
            found[_name(match[1])] = match[2]
    return found


def locked(path: Path) -> dict[str, list[str]]:
    """Name==version -> its hashes, for every package of a lock file."""
    packages: dict[str, list[str]] = {}
    current = None
    for line in path.read_text().splitlines():
        if match := PIN.match(line):
            current = packages.setdefault(f"{_name(match[1])}=={match[2]}", [])
        elif current is not None and line.strip().startswith("--hash=sha256:"):
            current.append(line.strip())
    return packages


@pytest.mark.parametrize(
    "source, lock",
    [("requirements.txt", "requirements.lock"), ("requirements-dev.txt", "requirements-dev.lock")],
)
def test_every_pin_is_locked_with_hashes(source, lock):
    packages = locked(REPO / lock)
    missing = [f"{n}=={v}" for n, v in pins(REPO / source).items() if f"{n}=={v}" not in packages]

    assert not missing, f"{source} pins {missing}, not in {lock}: run `make lock`"
    assert all(packages.values()), "a locked package without hashes"


def test_the_dev_lock_holds_the_runtime_lock_as_it_is():
    """One version of each runtime package, in production and in development."""
    runtime = locked(REPO / "requirements.lock")
    dev = locked(REPO / "requirements-dev.lock")

    assert set(runtime) <= set(dev)
