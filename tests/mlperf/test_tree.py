"""Reading folders and archives: formats, limits and hostile input."""

import gzip
import io
import lzma
import os
import tarfile
import zipfile

import pytest

from mlperf import Limits, UnreadableInput, check_tree, read_tree


def make_tar(path, files, mode="w:gz", extra=None):
    with tarfile.open(path, mode) as archive:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            archive.addfile(info, io.BytesIO(data))
        for info in extra or []:
            archive.addfile(info)
    return path


def pack_folder(root, path, fmt):
    if fmt == "zip":
        with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
            for file in sorted(root.rglob("*")):
                archive.write(file, file.relative_to(root.parent))
    else:
        with tarfile.open(path, f"w:{fmt}" if fmt else "w") as archive:
            archive.add(root, arcname=root.name)
    return path


@pytest.mark.parametrize(
    ("suffix", "fmt"),
    [(".tar.gz", "gz"), (".tgz", "gz"), (".tar", ""), (".tar.xz", "xz"), (".zip", "zip")],
)
def test_archives_read_like_the_folder(extract, tmp_path, rules, suffix, fmt):
    root = extract("closed/IVATech", "open/InAccel")
    expected = check_tree(read_tree(root), rules)
    archive = pack_folder(root, tmp_path / f"upload{suffix}", fmt)
    report = check_tree(read_tree(archive), rules)
    assert report.counts() == expected.counts()
    assert [r.value for r in report.results] == [r.value for r in expected.results]
    assert report.counts()["results"] == 6


def test_unsafe_member_names_are_skipped_and_named(tmp_path):
    evil = {
        "../outside.txt": b"x",
        "/etc/passwd": b"x",
        "closed/Acme/../../../escape.json": b"x",
        "closed/Acme/bad\x07name.json": b"x",
        "closed/Acme/systems/ok.json": b"{}",
    }
    tree = read_tree(make_tar(tmp_path / "evil.tar.gz", evil))
    assert set(tree.files) == {"closed/Acme/systems/ok.json"}
    messages = {f.message for f in tree.findings if f.rule == "IN2"}
    assert any("'..'" in m for m in messages)
    assert any("absolute path" in m for m in messages)
    assert any("control characters" in m for m in messages)
    assert not (tmp_path.parent / "outside.txt").exists()


def test_links_and_special_files_are_never_read(tmp_path):
    symlink = tarfile.TarInfo("closed/Acme/systems/link.json")
    symlink.type, symlink.linkname = tarfile.SYMTYPE, "/etc/passwd"
    hardlink = tarfile.TarInfo("closed/Acme/systems/hard.json")
    hardlink.type, hardlink.linkname = tarfile.LNKTYPE, "closed/Acme/systems/ok.json"
    device = tarfile.TarInfo("closed/Acme/dev")
    device.type = tarfile.CHRTYPE
    fifo = tarfile.TarInfo("closed/Acme/fifo")
    fifo.type = tarfile.FIFOTYPE
    archive = make_tar(
        tmp_path / "links.tar",
        {"closed/Acme/systems/ok.json": b"{}"},
        "w",
        extra=[symlink, hardlink, device, fifo],
    )
    tree = read_tree(archive)
    assert set(tree.files) == {"closed/Acme/systems/ok.json"}
    assert sorted(f.path for f in tree.findings if f.rule == "IN3") == [
        "closed/Acme/dev",
        "closed/Acme/fifo",
        "closed/Acme/systems/hard.json",
        "closed/Acme/systems/link.json",
    ]


def test_symlinks_in_a_folder_are_not_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("do not read")
    root = tmp_path / "upload" / "closed" / "Acme" / "systems"
    root.mkdir(parents=True)
    (root / "x.json").symlink_to(secret)
    (root.parent / "linked").symlink_to(tmp_path)
    os.mkfifo(root / "pipe")
    tree = read_tree(tmp_path / "upload")
    assert tree.files == {}
    assert {f.path for f in tree.findings} == {
        "closed/Acme/systems/x.json",
        "closed/Acme/linked",
        "closed/Acme/systems/pipe",
    }


def test_decompression_bomb_is_refused(tmp_path):
    path = tmp_path / "bomb.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("closed/Acme/results/big.bin")
        info.size = 100 << 20
        archive.addfile(info, io.BytesIO(bytes(info.size)))
    assert path.stat().st_size < 1 << 20
    with pytest.raises(UnreadableInput, match="decompression bomb"):
        read_tree(path, Limits(max_ratio=50))


@pytest.mark.parametrize(
    ("limits", "words"),
    [
        (Limits(max_files=3), "more than 3 files"),
        (Limits(max_total_bytes=1000), "unpacks to more than 1000 bytes"),
    ],
)
def test_count_and_size_limits(tmp_path, limits, words):
    files = {f"closed/Acme/results/f{i}.txt": bytes(400) for i in range(5)}
    with pytest.raises(UnreadableInput, match=words):
        read_tree(make_tar(tmp_path / "many.tar.gz", files), limits)


def test_deep_and_long_paths_are_skipped(tmp_path):
    deep = "/".join(["d"] * 40) + "/f.txt"
    long = "closed/" + "x" * 2000 + ".txt"
    tree = read_tree(make_tar(tmp_path / "deep.tar", {deep: b"1", long: b"2"}, "w"))
    assert tree.files == {}
    assert len([f for f in tree.findings if f.rule == "IN4"]) == 2


def test_truncated_gzip(tmp_path):
    good = make_tar(tmp_path / "good.tar.gz", {"closed/Acme/x.txt": os.urandom(50000)})
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(good.read_bytes()[:-5000])
    with pytest.raises(UnreadableInput, match="damaged or truncated"):
        read_tree(cut)


def test_zip_with_bad_crc(tmp_path):
    path = tmp_path / "bad.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("closed/Acme/systems/a.json", b"{" + b"a" * 100 + b"}")
    data = bytearray(path.read_bytes())
    data[data.index(b"aaaa")] = ord("b")
    path.write_bytes(bytes(data))
    with pytest.raises(UnreadableInput, match="damaged"):
        read_tree(path)


@pytest.mark.parametrize("content", [b"", b"this is not an archive at all\n" * 10])
def test_not_an_archive(tmp_path, content):
    path = tmp_path / "upload.tar.gz"
    path.write_bytes(content)
    with pytest.raises(UnreadableInput, match="rule IN1"):
        read_tree(path)


def test_gzip_of_garbage(tmp_path):
    path = tmp_path / "upload.tar.gz"
    path.write_bytes(gzip.compress(os.urandom(5000)))
    with pytest.raises(UnreadableInput):
        read_tree(path)


def test_empty_archive_gives_a_finding(tmp_path, rules):
    report = check_tree(read_tree(make_tar(tmp_path / "empty.tar.gz", {})), rules)
    assert [f.rule for f in report.errors] == ["IN1"]


def test_non_utf8_member_name(tmp_path):
    path = tmp_path / "names.tar"
    with tarfile.open(path, "w", format=tarfile.GNU_FORMAT, encoding="latin-1") as archive:
        info = tarfile.TarInfo("closed/Acme/caf\xe9.json")
        info.size = 2
        archive.addfile(info, io.BytesIO(b"{}"))
    tree = read_tree(path)
    assert tree.files == {}
    assert "not UTF-8" in tree.findings[0].message


def test_nested_archives_are_not_opened(tmp_path):
    tree = read_tree(make_tar(tmp_path / "n.tar.gz", {"closed/Acme/inner.tar.gz": b"x"}))
    assert [f.rule for f in tree.findings] == ["IN3"]
    assert tree.files["closed/Acme/inner.tar.gz"].data is None


def test_big_detail_log_is_scanned_not_kept(tmp_path):
    path = tmp_path / "closed/Acme/results/s/resnet/Offline/performance/run_1"
    path.mkdir(parents=True)
    with (path / "mlperf_log_detail.txt").open("wb") as f:
        line = b'"pid": 1, "tid": 2, "ts": 3ns : key : value\n'
        for _ in range(200_000):
            f.write(line)
        f.write(b'"pid": 1 : ERROR : broken\n')
        f.write(line * 10)
    tree = read_tree(tmp_path)
    entry = tree.files[
        "closed/Acme/results/s/resnet/Offline/performance/run_1/mlperf_log_detail.txt"
    ]
    assert entry.data is None and entry.size > 8_000_000
    assert entry.error_line_count == 1 and "broken" in entry.error_lines[0]


def test_oversized_parsed_file_is_truncated_with_a_warning(tmp_path):
    systems = tmp_path / "closed/Acme/systems"
    systems.mkdir(parents=True)
    (systems / "big.json").write_bytes(b" " * 5000)
    tree = read_tree(tmp_path, Limits(max_kept_file_bytes=1000))
    entry = tree.files["closed/Acme/systems/big.json"]
    assert entry.truncated and len(entry.data) == 1000
    assert tree.findings[0].rule == "IN4"


def test_missing_input():
    with pytest.raises(UnreadableInput, match="no such file or folder"):
        read_tree("/nonexistent/path")


# --- limits that hold whatever the archive hides ---------------------------------


def test_unreadable_input_names_its_rule_and_member(tmp_path):
    path = tmp_path / "bomb.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("closed/Acme/results/big.bin")
        info.size = 100 << 20
        archive.addfile(info, io.BytesIO(bytes(info.size)))
    with pytest.raises(UnreadableInput) as caught:
        read_tree(path, Limits(max_ratio=50), label="my-upload.tar.gz")
    assert caught.value.rule == "IN4"
    assert str(caught.value).startswith("my-upload.tar.gz: ")


def test_bomb_in_a_member_that_is_skipped_is_still_refused(tmp_path):
    # The reader never reads an unsafe member, but the decompressor still has to go through it.
    path = tmp_path / "skipped.tar.gz"
    with tarfile.open(path, "w:gz") as archive:
        info = tarfile.TarInfo("../../big.bin")
        info.size = 200 << 20
        archive.addfile(info, io.BytesIO(bytes(info.size)))
    with pytest.raises(UnreadableInput, match="decompression bomb") as caught:
        read_tree(path)
    assert caught.value.rule == "IN4"


def test_huge_extended_header_is_refused_before_it_is_read(tmp_path):
    path = tmp_path / "pax.tar"
    with tarfile.open(path, "w", format=tarfile.PAX_FORMAT) as archive:
        info = tarfile.TarInfo("closed/Acme/x.txt")
        info.pax_headers = {"comment": "x" * (2 << 20)}
        archive.addfile(info, io.BytesIO(b""))
    with pytest.raises(UnreadableInput, match="extended header") as caught:
        read_tree(path, Limits(max_header_bytes=1 << 20))
    assert caught.value.rule == "IN4"


def test_folders_count_against_the_file_limit(tmp_path):
    extra = []
    for i in range(20):
        info = tarfile.TarInfo(f"closed/Acme/d{i}")
        info.type = tarfile.DIRTYPE
        extra.append(info)
    with pytest.raises(UnreadableInput, match="more than 10 files or folders"):
        read_tree(make_tar(tmp_path / "dirs.tar.gz", {}, extra=extra), Limits(max_files=10))


def test_zip_member_count_is_checked_before_reading(tmp_path):
    path = tmp_path / "many.zip"
    with zipfile.ZipFile(path, "w") as archive:
        for i in range(20):
            archive.writestr(f"closed/Acme/f{i}.txt", b"x")
    with pytest.raises(UnreadableInput, match="more than 10 files or folders"):
        read_tree(path, Limits(max_files=10))


def test_findings_about_members_are_capped(tmp_path):
    files = {f"../escape{i}.txt": b"x" for i in range(50)}
    tree = read_tree(make_tar(tmp_path / "many-bad.tar.gz", files), Limits(max_findings=10))
    assert len(tree.findings) == 11
    assert tree.findings[-1].rule == "IN4"
    assert "40 more findings" in tree.findings[-1].message


def test_xz_decoder_memory_is_limited(tmp_path):
    path = tmp_path / "big-dict.tar.xz"
    data = io.BytesIO()
    with tarfile.open(fileobj=data, mode="w") as archive:
        info = tarfile.TarInfo("closed/Acme/x.txt")
        info.size = 5
        archive.addfile(info, io.BytesIO(b"hello"))
    filters = [{"id": lzma.FILTER_LZMA2, "dict_size": 128 << 20}]
    path.write_bytes(lzma.compress(data.getvalue(), format=lzma.FORMAT_XZ, filters=filters))
    with pytest.raises(UnreadableInput, match="more memory to decompress") as caught:
        read_tree(path, Limits(max_xz_memory=64 << 20))
    assert caught.value.rule == "IN4"
    assert set(read_tree(path).files) == {"closed/Acme/x.txt"}


@pytest.mark.parametrize("fmt", ["gz", "zip"])
def test_progress_is_reported_while_reading(extract, tmp_path, fmt):
    root = extract("closed/IVATech")
    archive = pack_folder(root, tmp_path / f"upload.{fmt}", fmt)
    seen = []
    read_tree(archive, progress=seen.append)
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) > 2


def test_a_folders_unread_files_count_against_the_size_limit(tmp_path):
    # Files the checker does not parse are sized, not read; their bytes still count.
    results = tmp_path / "closed" / "Acme" / "results"
    results.mkdir(parents=True)
    (results / "trace.bin").write_bytes(bytes(5000))
    with pytest.raises(UnreadableInput, match="unpacks to more than 1000 bytes"):
        read_tree(tmp_path, Limits(max_total_bytes=1000))
    tree = read_tree(tmp_path)
    assert tree.files["closed/Acme/results/trace.bin"].size == 5000


def test_a_name_no_filesystem_can_hold_is_refused(tmp_path):
    long = "x" * 256
    tree = read_tree(make_tar(tmp_path / "long.tar.gz", {f"closed/Acme/{long}.txt": b"1"}))
    assert not tree.files
    (finding,) = [f for f in tree.findings if f.rule == "IN2"]
    assert "a name of 260 bytes" in finding.message
