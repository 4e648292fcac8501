"""The I/O floor: read every member of a folder or archive, and nothing else.

    python benchmarks/plain_read.py PATH

Reads each regular file of a folder, or each member of a .tar[.gz|.xz|.bz2]
or .zip in one forward pass (decompressing as the checker must), in 64 KiB
chunks, and prints the count of files and bytes. The checker's own reading
(mlperf.read_tree) is compared against this.
"""

from __future__ import annotations

import os
import sys
import tarfile
import zipfile
from pathlib import Path

CHUNK = 1 << 16


def _drain(stream) -> int:
    total = 0
    while chunk := stream.read(CHUNK):
        total += len(chunk)
    return total


def plain_read(path: str | os.PathLike[str]) -> tuple[int, int]:
    """(files, bytes) read from every regular file of ``path``."""
    path = Path(path)
    files = size = 0
    if path.is_dir():
        for folder, _, names in os.walk(path):
            for name in names:
                full = os.path.join(folder, name)
                if os.path.isfile(full) and not os.path.islink(full):
                    with open(full, "rb") as stream:
                        size += _drain(stream)
                    files += 1
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as archive:
            for info in archive.infolist():
                if not info.is_dir():
                    with archive.open(info) as stream:
                        size += _drain(stream)
                    files += 1
    else:
        with tarfile.open(path, mode="r|*") as archive:
            for member in archive:
                if member.isreg():
                    size += _drain(archive.extractfile(member))
                    files += 1
    return files, size


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    files, size = plain_read(sys.argv[1])
    print(f"{files} files, {size} bytes")
