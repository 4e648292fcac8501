"""Bounded work per upload (issue 12, item 3): a zip's central directory is sized and
its records counted before zipfile builds anything from it."""

import struct
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from mlperf import Limits, UnreadableInput, read_tree
from mlperf import tree as tree_module

REPO = Path(__file__).resolve().parents[2]


def directory_only_zip(path, count: int, name_length: int = 40, end_count: int | None = None):
    """A zip that is only a central directory of ``count`` empty records (no data at all),
    written straight, in O(1) memory; ``end_count`` is what its end record claims."""
    end_count = count if end_count is None else end_count
    size = 0
    with open(path, "wb") as out:
        for n in range(count):
            name = f"closed/x/{n:0{max(1, name_length - 9)}d}".encode()
            record = struct.pack(
                zipfile.structCentralDir,
                zipfile.stringCentralDir,
                20, 3, 20, 0, 0, 0, 0, 0, 0, 0, 0,
                len(name), 0, 0, 0, 0, 0, 0,
            )  # fmt: skip
            out.write(record + name)
            size += len(record) + len(name)
        end64 = out.tell()
        out.write(
            struct.pack(
                zipfile.structEndArchive64,
                zipfile.stringEndArchive64,
                44,
                45,
                45,
                0,
                0,
                end_count,
                end_count,
                size,
                0,
            )  # fmt: skip
        )
        out.write(struct.pack(zipfile.structEndArchive64Locator, b"PK\x06\x07", 0, end64, 1))
        out.write(
            struct.pack(
                zipfile.structEndArchive,
                zipfile.stringEndArchive,
                0,
                0,
                0xFFFF,
                0xFFFF,
                0xFFFFFFFF,
                0xFFFFFFFF,
                0,
            )  # fmt: skip
        )
    return path


@pytest.fixture
def no_zipfile(monkeypatch):
    """Fail if zipfile.ZipFile is built: the refusal must come before it."""

    def refuse(*args, **kwargs):
        raise AssertionError("ZipFile built before the central directory was checked")

    monkeypatch.setattr(tree_module.zipfile, "ZipFile", refuse)


def test_the_crafted_directory_is_a_zip_python_reads(tmp_path):
    path = directory_only_zip(tmp_path / "d.zip", 70_000)
    with zipfile.ZipFile(path) as archive:
        assert len(archive.infolist()) == 70_000


def test_too_many_records_are_refused_before_any_is_built(tmp_path, no_zipfile):
    path = directory_only_zip(tmp_path / "d.zip", 11)
    with pytest.raises(UnreadableInput) as refused:
        read_tree(path, Limits(max_files=10))
    assert refused.value.rule == "IN4" and "more than 10 files" in str(refused.value)


def test_an_end_record_that_understates_the_count_does_not_help(tmp_path, no_zipfile):
    path = directory_only_zip(tmp_path / "d.zip", 11, end_count=1)
    with pytest.raises(UnreadableInput, match="more than 10 files"):
        read_tree(path, Limits(max_files=10))


def test_a_directory_too_big_for_the_limits_is_refused_unread(tmp_path, no_zipfile):
    # Ten records with names of 600 bytes: more directory than ten files need.
    path = directory_only_zip(tmp_path / "d.zip", 10, name_length=600)
    with pytest.raises(UnreadableInput, match="central directory is"):
        read_tree(path, Limits(max_files=10))


def test_a_directory_within_the_limits_is_read(tmp_path):
    path = tmp_path / "ok.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for n in range(10):
            archive.writestr(f"closed/x/{n}.txt", b"x")
    tree = read_tree(path, Limits(max_files=11))  # ten files and ... no: folders count too
    assert tree.subfiles("closed/x") == [f"{n}.txt" for n in range(10)]


# The peak of this process alone: VmHWM starts again at exec (ru_maxrss would not).
MEASURE = """
import re, sys
from mlperf import Limits, UnreadableInput, read_tree
try:
    read_tree(sys.argv[1], Limits(max_files=int(sys.argv[2])))
except UnreadableInput as exc:
    print(exc.rule)
status = open("/proc/self/status").read()
print(int(re.search(r"VmHWM:\\s+(\\d+) kB", status).group(1)) // 1024)
"""


def measure(path, max_files=100_000):
    result = subprocess.run(
        [sys.executable, "-c", MEASURE, str(path), str(max_files)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    *rule, peak_mib = result.stdout.split()
    return (rule[0] if rule else "read"), int(peak_mib), result.stderr


@pytest.mark.slow  # zip directories of 49 and 138 MB
@pytest.mark.parametrize(
    "count, name_length, end_count",
    [(1_500_000, 46, None), (800_000, 5, 1)],
    ids=["138MB-honest-end", "49MB-lying-end"],
)
def test_a_huge_directory_costs_no_memory(tmp_path, count, name_length, end_count):
    """Zips that are only a central directory of empty records, refused at the default
    limits with the reader's peak near the interpreter's own (16 MiB measured). Before:
    the 138 MB one took 1.1 GB in the worker; the 49 MB one, whose end record claims a
    single member so that only the walk catches it, 391 MiB and 9.7 s."""
    path = directory_only_zip(tmp_path / "d.zip", count, name_length, end_count=end_count)
    rule, peak_mib, stderr = measure(path)
    assert rule == "IN4", stderr
    assert peak_mib < 40, peak_mib


def test_the_largest_directory_the_limits_allow_stays_bounded(tmp_path):
    """The worst a zip's directory can cost within the default limits: 100,000 records of
    512 bytes (51 MB). zipfile builds them all; measured peak 149 MiB (no data follows,
    so the read then stops as damaged)."""
    path = directory_only_zip(tmp_path / "d.zip", 100_000, name_length=466)
    assert path.stat().st_size <= 100_000 * tree_module.ZIP_DIRECTORY_BYTES_PER_FILE + 200
    rule, peak_mib, stderr = measure(path)
    # Its 466-byte names are refused (no filesystem holds them) before any data is read,
    # else the read stops at the missing data as damaged.
    assert rule in ("IN1", "read"), stderr
    assert peak_mib < 192, peak_mib
