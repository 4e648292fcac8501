"""Uploads are streamed, never whole in memory: to a temporary file while they
arrive (hashed on the way), to storage in chunks, and through the checker in
one streaming pass. A 200 MB log is checked with memory bounded."""

import hashlib
import os
import random
import tarfile
import tracemalloc

import pytest
from django.conf import settings
from django.core.files import File
from django.core.files.uploadedfile import TemporaryUploadedFile

from submissions import uploads
from submissions.handlers import HashingUploadHandler
from submissions.models import Submission

from .conftest import upload

LOG = "closed/IVATech/results/iva-fpga-1/resnet/Offline/performance/run_1/mlperf_log_detail.txt"


def test_upload_goes_to_a_temporary_file_hashed_on_the_way(
    client, member_a, open_round, ivatech_archive, monkeypatch
):
    seen = {}
    receive = uploads.receive_upload

    def spy(**kwargs):
        seen["file"] = kwargs["file"]
        return receive(**kwargs)

    monkeypatch.setattr(uploads, "receive_upload", spy)
    client.force_login(member_a)
    upload(client, open_round, "ivatech", ivatech_archive)
    received = seen["file"]
    # Even a small archive goes to disk: the handler never keeps one in memory.
    assert ivatech_archive.stat().st_size < 2 << 20
    assert isinstance(received, TemporaryUploadedFile)
    assert received.sha256 == hashlib.sha256(ivatech_archive.read_bytes()).hexdigest()
    assert Submission.objects.get().sha256 == received.sha256
    assert settings.FILE_UPLOAD_MAX_MEMORY_SIZE <= 256 * 1024


def test_handler_hashes_chunk_by_chunk_and_stops_past_the_limit(rf):
    data = os.urandom(300_000)
    handler = HashingUploadHandler(rf.post("/"), max_bytes=len(data))
    handler.handle_raw_input(None, {}, len(data) + 500, b"boundary")
    handler.new_file("archive", "a.tar.gz", "application/gzip", len(data))
    for start in range(0, len(data), 65536):
        handler.receive_data_chunk(data[start : start + 65536], start)
    uploaded = handler.file_complete(len(data))
    assert uploaded.sha256 == hashlib.sha256(data).hexdigest()
    assert uploaded.read() == data

    request = rf.post("/")
    handler = HashingUploadHandler(request, max_bytes=100_000)
    handler.handle_raw_input(None, {}, 50_000, b"boundary")  # the body may lie about its size
    handler.new_file("archive", "a.tar.gz", "application/gzip", None)
    handler.receive_data_chunk(data[:65536], 0)
    try:
        handler.receive_data_chunk(data[65536:131072], 65536)
    except Exception as exc:  # StopUpload
        assert type(exc).__name__ == "StopUpload"
    else:
        raise AssertionError("the handler kept reading past the limit")
    assert request.upload_too_large == 100_000


def big_log(path, size):
    """A detail log of ``size`` bytes, lines as LoadGen writes them (not very compressible)."""
    rng = random.Random(7)
    lines = []
    while sum(map(len, lines)) < 1 << 20:
        pid, tid, ts, value = (rng.randrange(1 << n) for n in (16, 48, 40, 32))
        line = f'"pid": {pid}, "tid": {tid}, "ts": {ts}ns : sample_latency_ns : {value:x}\n'
        lines.append(line.encode())
    block = b"".join(lines)
    with path.open("wb") as f:
        written = 0
        while written < size:
            f.write(block)
            written += len(block)


@pytest.mark.slow
def test_a_200mb_log_is_streamed_with_bounded_memory(member_a, open_round, ivatech_tree, tmp_path):
    log = ivatech_tree / LOG
    big_log(log, 200 << 20)
    archive = tmp_path / "big.tar.gz"
    with tarfile.open(archive, "w:gz", compresslevel=1) as tar:
        for path in sorted(ivatech_tree.rglob("*")):
            tar.add(path, arcname=str(path.relative_to(ivatech_tree)), recursive=False)
    log.unlink()  # only the archive holds it now

    tracemalloc.start()
    try:
        with archive.open("rb") as f:
            submission = uploads.receive_upload(
                round_=open_round, submitter=member_a.memberships.get().submitter,
                user=member_a, file=File(f, name="big.tar.gz"),
            )  # fmt: skip
        _, stored_peak = tracemalloc.get_traced_memory()
        tracemalloc.reset_peak()
        status = uploads.run_check(submission.pk)
        _, check_peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()

    assert submission.size == archive.stat().st_size > 20 << 20
    assert status == "passed"
    assert stored_peak < 16 << 20, stored_peak
    assert check_peak < 32 << 20, check_peak
    submission.refresh_from_db()
    assert submission.report["counts"]["results"] == 2
