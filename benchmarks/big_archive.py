"""Write a valid-looking submission archive of about SIZE bytes, for the memory benchmark.

    python benchmarks/big_archive.py SOURCE.tar.xz OUT.tar [SIZE_MB]

Every member of SOURCE is copied, and the performance run folders of the
closed division get an ``mlperf_log_detail.txt`` of loadgen log lines (the
multi-gigabyte logs the published tree leaves out) until the archive holds
SIZE_MB megabytes (default 1024). OUT is an uncompressed tar: a compressed
one of repeated log lines would be refused as a decompression bomb (rule IN4).
"""

from __future__ import annotations

import io
import posixpath
import sys
import tarfile

DETAIL = "mlperf_log_detail.txt"
LINE = (
    ':::MLLOG {{"key": "{key}", "value": {value}, "time_ms": {time:.6f}, '
    '"namespace": "mlperf::logging", "event_type": "POINT_IN_TIME", "metadata": '
    '{{"is_error": false, "is_warning": false, "file": "loadgen.cc", "line_no": {line}, '
    '"pid": 4123, "tid": 4127}}}}\n'
)
KEYS = ("loadgen_query_issued", "loadgen_query_completed", "loadgen_sample_latency_ns")


def _block() -> bytes:
    """About 256 KiB of log lines, repeated to fill a log."""
    lines, size, n = [], 0, 0
    while size < 256 << 10:
        line = LINE.format(key=KEYS[n % 3], value=1000 + n * 7, time=n * 0.731, line=600 + n % 97)
        lines.append(line)
        size += len(line)
        n += 1
    return "".join(lines).encode()


class _Padding(io.RawIOBase):
    """A read-only stream of ``size`` bytes of log lines, made on the fly."""

    def __init__(self, size: int, block: bytes):
        self.left, self.block, self.offset = size, block, 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.left, len(self.block) - self.offset)
        buffer[:n] = self.block[self.offset : self.offset + n]
        self.offset = (self.offset + n) % len(self.block)
        self.left -= n
        return n


def _run_folders(source: str) -> list[str]:
    with tarfile.open(source, mode="r|*") as archive:
        folders = {
            posixpath.dirname(m.name)
            for m in archive
            if m.isreg()
            and "/closed/" in f"/{m.name}"
            and m.name.endswith("/performance/run_1/mlperf_log_summary.txt")
        }
    return sorted(folders)


def write(source: str, out: str, size_mb: int = 1024) -> int:
    """Write OUT; returns the number of padded logs."""
    folders = _run_folders(source)
    logs = min(len(folders), 64)
    each = (size_mb << 20) // logs
    padded = set(folders[:logs])
    block = _block()
    with tarfile.open(source, mode="r|*") as archive, tarfile.open(out, mode="w") as target:
        for member in archive:
            if member.isreg():
                if posixpath.basename(member.name) == DETAIL and (
                    posixpath.dirname(member.name) in padded
                ):
                    continue  # replaced below
                target.addfile(member, archive.extractfile(member))
            else:
                target.addfile(member)
            if member.isreg() and member.name.endswith("/performance/run_1/mlperf_log_summary.txt"):
                folder = posixpath.dirname(member.name)
                if folder in padded:
                    info = tarfile.TarInfo(f"{folder}/{DETAIL}")
                    info.size, info.mtime, info.mode = each, member.mtime, 0o644
                    target.addfile(info, io.BufferedReader(_Padding(each, block), 1 << 16))
    return logs


if __name__ == "__main__":
    if len(sys.argv) not in (3, 4):
        sys.exit(__doc__)
    count = write(sys.argv[1], sys.argv[2], int(sys.argv[3]) if len(sys.argv) == 4 else 1024)
    print(f"{sys.argv[2]}: {count} detail logs padded")
