"""Property tests (hypothesis) of the readers (issue 12): any bytes in a log, an
accuracy file, a JSON file or an archive give findings, never an exception; archive
member names that no filesystem can hold are refused with a finding.

They go through read_tree and check_tree, the readers' public entry points, so they
hold whatever the parsers inside look like.
"""

import io
import tarfile
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mlperf import Level, Limits, UnreadableInput, check_tree, read_tree

RESULT = "closed/IVATech/results/iva-fpga-1/resnet/Offline"
FILES = {
    "log": f"{RESULT}/performance/run_1/mlperf_log_summary.txt",
    "accuracy": f"{RESULT}/accuracy/accuracy.txt",
    "json": "closed/IVATech/systems/iva-fpga-1.json",
}
EXAMPLES = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)

# Bytes a hostile or broken file may hold: anything, and text close to the real thing.
ANY_BYTES = st.one_of(
    st.binary(max_size=4096),
    st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass")),
    st.lists(
        st.sampled_from(
            [
                b"{",
                b"}",
                b"[",
                b'"',
                b":",
                b",",
                b"\x00",
                b"\xff",
                b"\n",
                b"=",
                b"1e999",
                b"NaN",
                b"-0",
                b"Result is : VALID",
                b"Samples per second: ",
                b"accuracy=",
                b"Top-1 = ",
                b'"status": ',
                b'"system_type": "edge"',
                b"\r\n",
            ]
        ),  # fmt: skip
        max_size=200,
    ).map(b"".join),
)


@pytest.fixture
def tree(ivatech):
    return ivatech


@pytest.mark.parametrize("kind", sorted(FILES))
def test_any_bytes_in_a_file_give_findings_never_an_exception(tree, rules, kind):
    path = tree / FILES[kind]
    assert path.is_file()
    original = path.read_bytes()

    @EXAMPLES
    @given(data=ANY_BYTES)
    def check(data):
        runs.append(data)
        path.write_bytes(data)
        report = check_tree(read_tree(tree), rules, strict=True, submitters={"ivatech"})
        if data != original:
            # The file's result (or its system) is rejected or flagged, with a finding.
            named = [f for f in report.findings if FILES[kind].split("/", 2)[-1] in f.path]
            assert named or report.rejected or not report.acceptable or report.findings

    runs = []
    check()
    assert len(runs) >= 50  # hypothesis ran, not only its first example


@EXAMPLES
@given(data=ANY_BYTES)
def test_any_bytes_as_an_archive_are_refused_or_read(tmp_path_factory, data):
    path = tmp_path_factory.mktemp("archive") / "upload.tar.gz"
    path.write_bytes(data)
    try:
        read_tree(path, Limits())
    except UnreadableInput as exc:
        assert exc.rule in ("IN1", "IN4")


def damaged(archive: bytes, cut: int, flip: int) -> bytes:
    body = bytearray(archive[: max(1, cut)])
    if body:
        body[flip % len(body)] ^= 0xFF
    return bytes(body)


@pytest.fixture(scope="module")
def small_archives():
    out = {}
    tar = io.BytesIO()
    with tarfile.open(fileobj=tar, mode="w:gz") as archive:
        info = tarfile.TarInfo("closed/x/systems/s.json")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"{}"))
    out["tar.gz"] = tar.getvalue()
    zipped = io.BytesIO()
    with zipfile.ZipFile(zipped, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("closed/x/systems/s.json", b"{}" * 100)
    out["zip"] = zipped.getvalue()
    return out


@EXAMPLES
@given(kind=st.sampled_from(["tar.gz", "zip"]), cut=st.integers(0, 400), flip=st.integers(0, 400))
def test_damaged_archives_are_refused_or_read(tmp_path_factory, small_archives, kind, cut, flip):
    path = tmp_path_factory.mktemp("damaged") / f"upload.{kind}"
    path.write_bytes(damaged(small_archives[kind], cut, flip))
    try:
        read_tree(path, Limits())
    except UnreadableInput as exc:
        assert exc.rule in ("IN1", "IN4")


# Names no filesystem can hold (NUL, control characters, not UTF-8), or that point
# outside the archive (absolute, "..").
BAD_PARTS = st.sampled_from(["a\x00b", "\x01", "x\x1fy", "\x7f", "..", "\udcff", "é\udc80"])


@EXAMPLES
@given(
    prefix=st.lists(st.text("abc", min_size=1, max_size=3), max_size=3),
    bad=BAD_PARTS,
    absolute=st.booleans(),
    fmt=st.sampled_from(["zip", "tar"]),
)
def test_impossible_member_names_are_refused_with_a_finding(
    tmp_path_factory, prefix, bad, absolute, fmt
):
    if fmt == "zip" and any("\udc80" <= c <= "\udcff" for c in bad):
        bad = "\x02"  # zip names are cp437 when not UTF-8: any byte string decodes
    if fmt == "tar" and "\x00" in bad:
        bad = "\x03"  # a tar header ends its name at a NUL: it cannot carry one
    name = "/".join(["closed", *prefix, bad, "f.txt"])
    if absolute:
        name = "/" + name
    path = tmp_path_factory.mktemp("names") / f"upload.{fmt}"
    if fmt == "zip":
        with zipfile.ZipFile(path, "w") as archive:
            info = zipfile.ZipInfo("x")
            info.filename = name  # as a hostile writer would, past zipfile's own clean-up
            archive.writestr(info, b"data")
            archive.writestr("closed/ok.txt", b"data")
    else:
        with tarfile.open(path, "w", encoding="utf-8", errors="surrogateescape") as archive:
            for member in (name, "closed/ok.txt"):
                info = tarfile.TarInfo(member)
                info.size = 4
                archive.addfile(info, io.BytesIO(b"data"))
    try:
        tree = read_tree(path, Limits())
    except UnreadableInput as exc:  # the whole archive refused also keeps it out
        assert exc.rule in ("IN1", "IN2")
        return
    kept = [p for p in tree.files] if hasattr(tree, "files") else []
    assert not any(bad in p for p in kept)
    assert any(f.rule == "IN2" and f.level == Level.ERROR for f in tree.findings), (
        name,
        tree.findings,
    )
