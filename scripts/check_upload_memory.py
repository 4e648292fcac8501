#!/usr/bin/env python3
"""Peak memory and time of checking a large upload (default: a 1 GB .tar.gz).

    .venv/bin/python scripts/check_upload_memory.py [--size 1G] [--format tar.gz|tar|zip]
        [--via-command] [--keep PATH]

It builds a real submission, closed/IVATech from the bundled v0.7 round with
the placeholder code folder, whose detail logs are grown with LoadGen-like
lines (random numbers, so that they compress about as well as real logs do)
until the archive is the asked size. It is written in one streaming pass,
never whole in memory or on disk unpacked.

Then it checks the archive in a fresh process, as an upload is checked
(``read_tree`` with the site's default limits, then ``check_tree`` with the
strict rules and ``submitters={"ivatech"}``), and reports the wall time and
the child's peak resident memory (``ru_maxrss`` from ``wait4``). With
``--via-command`` the child is ``manage.py check_submission PATH --round
v0.7`` instead, with the rules from the database (run ``make run`` or
``manage.py migrate`` first).
"""

from __future__ import annotations

import argparse
import gzip
import io
import os
import random
import subprocess
import sys
import tarfile
import tempfile
import time
import zipfile
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
BUNDLE = REPO / "data" / "inference_results_v0.7.tar.xz"
ORG = "closed/IVATech"
PLACEHOLDER = f"{ORG}/code/resnet/v1/README.md"

CHILD = """
import os, resource, sys, time
sys.path.insert(0, {repo!r})
from mlperf import Limits, check_tree, load_round_rules, read_tree
rules = load_round_rules("v0.7")
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
tree = read_tree({path!r}, Limits(max_total_bytes=16 << 30))
read = time.perf_counter() - start
report = check_tree(tree, rules, strict=True, submitters={{"ivatech"}})
total = time.perf_counter() - start
print("base_kib", base)
print("read_s", read)
print("check_s", total - read)
print("acceptable", report.acceptable, report.counts())
"""


def parse_size(text: str) -> int:
    units = {"K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
    text = text.strip().upper().removesuffix("B")
    if text and text[-1] in units:
        return int(float(text[:-1]) * units[text[-1]])
    return int(text)


def log_block(seed: int = 7, size: int = 4 << 20) -> bytes:
    """LoadGen-like detail log lines with random figures: about 2.5x smaller in gzip."""
    rng = random.Random(seed)
    out = io.BytesIO()
    while out.tell() < size:
        pid, tid, ts, value = (rng.randrange(1 << n) for n in (16, 48, 40, 32))
        out.write(
            f'"pid": {pid}, "tid": {tid}, "ts": {ts}ns : sample_latency_ns : {value}\n'.encode()
        )
    return out.getvalue()


class Repeated(io.RawIOBase):
    """``size`` bytes made of ``block`` over and over, read as a stream."""

    def __init__(self, block: bytes, size: int):
        self.block = block
        self.left = size
        self.offset = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.left, len(self.block) - self.offset)
        if n <= 0:
            return 0
        buffer[:n] = self.block[self.offset : self.offset + n]
        self.offset = (self.offset + n) % len(self.block)
        self.left -= n
        return n


def ivatech_files() -> dict[str, bytes]:
    with tarfile.open(BUNDLE) as bundle:
        files = {}
        for member in bundle:
            name = member.name.split("/", 1)[-1]  # drop inference_results_v0.7/
            if name.startswith(ORG + "/") and member.isfile():
                files[name] = bundle.extractfile(member).read()  # type: ignore[union-attr]  # a file
    files[PLACEHOLDER] = b"placeholder for the code folder\n"
    return files


def build(target: Path, size: int, fmt: str) -> tuple[int, int]:
    files = ivatech_files()
    logs = sorted(n for n in files if n.endswith("/performance/run_1/mlperf_log_detail.txt"))
    block = log_block()
    ratio = 1.0 if fmt == "tar" else len(block) / len(gzip.compress(block, compresslevel=1))
    grow = int(max(size - sum(map(len, files.values())) / ratio, 0) * ratio)
    per_log = grow // len(logs)
    unpacked = 0
    if fmt == "zip":
        with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive:
            for name, data in sorted(files.items()):
                if name in logs:
                    with archive.open(name, "w", force_zip64=True) as out:
                        out.write(data)
                        stream = Repeated(block, per_log)
                        while chunk := stream.read(1 << 20):
                            out.write(chunk)
                    unpacked += len(data) + per_log
                else:
                    archive.writestr(name, data)
                    unpacked += len(data)
        return target.stat().st_size, unpacked
    mode = "w:gz" if fmt == "tar.gz" else "w"
    options = {"compresslevel": 1} if fmt == "tar.gz" else {}
    with tarfile.open(target, mode, **options) as archive:  # type: ignore[call-overload]
        for name, data in sorted(files.items()):
            info = tarfile.TarInfo(name)
            info.mtime = int(time.time())
            if name in logs:
                info.size = len(data) + per_log
                buffered = io.BufferedReader(Repeated(block, per_log), 1 << 20)
                archive.addfile(info, _Chain(data, buffered))
            else:
                info.size = len(data)
                archive.addfile(info, io.BytesIO(data))
            unpacked += info.size
    return target.stat().st_size, unpacked


class _Chain:
    """A file's real head, then a long generated tail: full reads, as tarfile wants."""

    def __init__(self, head: bytes, tail):
        self.head = io.BytesIO(head)
        self.tail = tail

    def read(self, size: int) -> bytes:
        data = self.head.read(size)
        if len(data) < size:
            data += self.tail.read(size - len(data))
        return data


def measure(command: list[str]) -> tuple[float, int, str]:
    start = time.perf_counter()
    process = subprocess.Popen(command, cwd=REPO, stdout=subprocess.PIPE, text=True)
    output = process.stdout.read()  # type: ignore[union-attr]  # stdout=PIPE
    _, status, usage = os.wait4(process.pid, 0)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - start
    return wall, usage.ru_maxrss, output + f"exit status {process.returncode}\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", default="1G", help="archive size, e.g. 1G, 200M (default 1G)")
    parser.add_argument("--format", choices=["tar.gz", "tar", "zip"], default="tar.gz")
    parser.add_argument("--via-command", action="store_true", help="check with manage.py")
    parser.add_argument("--keep", type=Path, help="write the archive here and keep it")
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as folder:
        target = args.keep or Path(folder) / f"ivatech-big.{args.format}"
        started = time.perf_counter()
        packed, unpacked = build(target, parse_size(args.size), args.format)
        print(
            f"built {target.name}: {packed / 2**20:,.0f} MiB packed, "
            f"{unpacked / 2**20:,.0f} MiB unpacked, in {time.perf_counter() - started:.1f} s"
        )
        if args.via_command:
            command = [
                sys.executable,
                "manage.py",
                "check_submission",
                str(target),
                "--round",
                "v0.7",
            ]
        else:
            command = [sys.executable, "-c", CHILD.format(repo=str(REPO), path=str(target))]
        wall, peak_kib, output = measure(command)
        print(output.rstrip())
        print(f"check: {wall:.1f} s wall, peak RSS {peak_kib / 1024:.0f} MiB")
        print(
            f"throughput: {packed / 2**20 / wall:.0f} MiB/s packed, "
            f"{unpacked / 2**20 / wall:.0f} MiB/s unpacked"
        )


if __name__ == "__main__":
    main()
