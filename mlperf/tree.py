"""Reading a submission (a folder or an archive) into an in-memory index.

One pass over the input records every regular file with its size. What is
kept of each file is the caller's policy (a round's checker knows which files
it parses): small files whole, within limits; large logs streamed through a
consumer that keeps only what the checker needs (ERROR lines, a few keys,
power samples), so memory stays bounded whatever the size of the logs.
Nothing is ever extracted to disk, no link is followed, and no path outside
the input is read.

Archives are decompressed here, not by ``tarfile``, so that every byte that
comes out of the decompressor counts against the limits (file data, headers
and skipped members alike), the xz decoder has a memory limit, and a caller
can follow the progress of the read through the compressed bytes.

Problems with the input itself are findings (rules IN1-IN5) on the tree; an
input that cannot be read at all raises :class:`UnreadableInput`.
"""

from __future__ import annotations

import bz2
import gzip
import io
import lzma
import os
import posixpath
import re
import stat
import struct
import tarfile
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO, Protocol

from .findings import Finding, Level

CHUNK = 1 << 16
# Control characters, and the surrogate escapes Python uses for names that were not UTF-8.
_BAD_NAME = re.compile("[\x00-\x1f\x7f\udc80-\udcff]")


@dataclass(frozen=True)
class Limits:
    """Bounds on what one input may hold; the site sets these from settings."""

    max_files: int = 100_000
    max_total_bytes: int = 8 << 30  # unpacked
    max_ratio: float = 200.0  # unpacked / packed, for archives
    max_kept_file_bytes: int = 4 << 20  # per parsed text file
    max_kept_total_bytes: int = 128 << 20
    max_path_length: int = 1024
    max_depth: int = 24
    max_error_lines: int = 20
    max_header_bytes: int = 1 << 20  # one pax or GNU long-name header
    max_xz_memory: int = 256 << 20  # what the xz decoder may allocate
    max_findings: int = 500  # findings about the input itself; the rest are counted


# Decompressed bytes before the ratio check applies: small archives of text
# legitimately compress far better than the ratio.
RATIO_FLOOR = 64 << 20

Progress = Callable[[float], None]


class UnreadableInput(Exception):
    """The input is no folder or archive we can read (exit status 2).

    ``rule`` is the rule it breaks (IN1: not readable, IN4: over a limit) and
    ``path`` the member the reader was at, when there is one.
    """

    def __init__(self, message: str, rule: str = "IN1", path: str = ""):
        super().__init__(message)
        self.rule = rule
        self.path = path


@dataclass
class FileEntry:
    path: str
    size: int
    data: bytes | None = None  # kept content, for the files the checker parses
    truncated: bool = False
    error_lines: list[str] | None = None  # ERROR lines of a detail log
    error_line_count: int = 0
    parsed: object = None  # what a policy's consumer made of the file

    def text(self) -> str:
        """The kept content as text; undecodable bytes become U+FFFD (§13, Q20)."""
        return (self.data or b"").decode("utf-8", errors="replace")


@dataclass
class SubmissionTree:
    """An index of the files of one submission, keyed by posix path."""

    label: str
    files: dict[str, FileEntry] = field(default_factory=dict)
    findings: list[Finding] = field(default_factory=list)
    _dirs: dict[str, set[str]] = field(default_factory=dict)

    def add(self, entry: FileEntry) -> None:
        self.files[entry.path] = entry
        self._link(entry.path)

    def add_dir(self, path: str) -> None:
        """Record a folder (an empty one too), so that it is seen as present."""
        if path not in self._dirs:
            self._dirs[path] = set()
            if path:
                self._link(path)

    def _link(self, path: str) -> None:
        # Every folder in _dirs is already linked up to the root, so stop at the first one.
        while path:
            parent, _, name = path.rpartition("/")
            children = self._dirs.get(parent)
            if children is not None:
                children.add(name)
                return
            self._dirs[parent] = {name}
            path = parent

    def is_file(self, path: str) -> bool:
        return path in self.files

    def is_dir(self, path: str) -> bool:
        return path in self._dirs

    def exists(self, path: str) -> bool:
        return path in self.files or path in self._dirs

    def listdir(self, path: str) -> list[str]:
        return sorted(self._dirs.get(path, ()))

    def subdirs(self, path: str) -> list[str]:
        return [n for n in self.listdir(path) if posixpath.join(path, n) in self._dirs]

    def subfiles(self, path: str) -> list[str]:
        return [n for n in self.listdir(path) if posixpath.join(path, n) in self.files]

    def get(self, path: str) -> FileEntry | None:
        return self.files.get(path)

    def rebase(self, prefix: str) -> SubmissionTree:
        """The same tree with ``prefix/`` stripped from every path."""
        tree = SubmissionTree(self.label, findings=list(self.findings))
        cut = len(prefix) + 1
        for path, entry in self.files.items():
            if path.startswith(prefix + "/"):
                entry.path = path[cut:]
                tree.add(entry)
        for path in self._dirs:
            if path.startswith(prefix + "/"):
                tree.add_dir(path[cut:])
        return tree


class StreamConsumer(Protocol):
    """Reads one file as it streams past and returns what it made of it."""

    def feed(self, chunk: bytes) -> None: ...

    def close(self) -> object: ...


# What to do with one file, by its path: "keep" its bytes (up to a limit), "scan" it
# for ERROR lines, only "size" it, or hand it to a consumer made by the callable.
Handling = str | Callable[[], StreamConsumer]
Policy = Callable[[str], Handling]


def size_only(path: str) -> Handling:
    return "size"


class _Reader:
    """Turns a stream of (path, size, file object) into a tree, enforcing limits."""

    def __init__(
        self, label: str, limits: Limits, packed_size: int | None, policy: Policy = size_only
    ):
        self.tree = SubmissionTree(label)
        self.policy = policy
        self.limits = limits
        self.packed_size = packed_size
        self.total = 0
        self.kept_total = 0
        self.count = 0
        self.current = ""  # the member being read, for messages
        self.dropped: dict[Level, int] = {}

    def finding(self, path: str, rule: str, message: str, level: Level = Level.ERROR) -> None:
        if len(self.tree.findings) >= self.limits.max_findings:
            # A hostile archive can hold a million bad names; say so once.
            self.dropped[level] = self.dropped.get(level, 0) + 1
            return
        self.tree.findings.append(Finding(path, rule, level, message))

    def at(self, raw_name: str) -> None:
        """Note the member being read, as far as it is safe to show: bounded, escaped."""
        shown = raw_name[:200].encode("utf-8", "backslashreplace").decode("utf-8")
        self.current = "".join(c if c.isprintable() else repr(c)[1:-1] for c in shown)

    def finish(self) -> SubmissionTree:
        if self.dropped:
            worst = Level.ERROR if Level.ERROR in self.dropped else Level.WARNING
            if worst not in self.dropped:
                worst = Level.INFO
            self.tree.findings.append(
                Finding(
                    "",
                    "IN4",
                    worst,
                    f"{sum(self.dropped.values())} more findings about the input's members "
                    f"are not listed (only the first {self.limits.max_findings} are)",
                )
            )
        return self.tree

    def safe_path(self, raw: str) -> str | None:
        """A normalised relative posix path, or None (with a finding) if unsafe."""
        shown = raw.encode("utf-8", "backslashreplace").decode("utf-8")
        # Surrogate escapes are how Python carries names that were not UTF-8.
        if _BAD_NAME.search(raw):
            self.finding(repr(shown), "IN2", "file name has control characters or is not UTF-8")
            return None
        if "\\" in raw:
            raw = raw.replace("\\", "/")
        if raw.startswith("/") or (len(raw) > 1 and raw[1] == ":"):
            self.finding(shown, "IN2", "absolute path in the archive; nothing was read from it")
            return None
        parts = [p for p in raw.split("/") if p not in ("", ".")]
        if ".." in parts:
            self.finding(shown, "IN2", "path climbs out of the archive with '..'")
            return None
        if not parts:
            return None
        path = "/".join(parts)
        if len(path) > self.limits.max_path_length or len(parts) > self.limits.max_depth:
            self.finding(
                shown[:200],
                "IN4",
                f"path longer than {self.limits.max_path_length} characters "
                f"or deeper than {self.limits.max_depth} folders",
            )
            return None
        return path

    def count_file(self, path: str) -> None:
        """Count one member (file, folder, link or anything else) against the limit."""
        self.count += 1
        if self.count > self.limits.max_files:
            raise UnreadableInput(
                f"{self.tree.label}: more than {self.limits.max_files} files or folders (rule IN4)",
                "IN4",
                path,
            )

    def add_stream(self, path: str, stream: BinaryIO, size: int | None = None) -> None:
        """Index one file; ``size`` is given for a file on disk, whose unread bytes count too."""
        kind = self.policy(path)
        entry = FileEntry(path, 0)
        if callable(kind):
            self._consume(entry, stream, kind())
        elif kind == "keep":
            self._read_kept(entry, stream)
        elif kind == "scan":
            self._scan_errors(entry, stream)
        elif size is not None:
            # A file the checker does not read needs no reading to know its size.
            self._account(path, size)
            entry.size = size
        else:
            for chunk in iter(lambda: stream.read(CHUNK), b""):
                self._account(path, len(chunk))
                entry.size += len(chunk)
        self.tree.add(entry)

    def _consume(self, entry: FileEntry, stream: BinaryIO, consumer: StreamConsumer) -> None:
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            self._account(entry.path, len(chunk))
            entry.size += len(chunk)
            consumer.feed(chunk)
        entry.parsed = consumer.close()
        # A consumer that also looks for ERROR lines says so as a scan would.
        lines = getattr(entry.parsed, "error_lines", None)
        if lines is not None:
            entry.error_lines = list(lines)
            entry.error_line_count = getattr(entry.parsed, "error_line_count", len(lines))

    def _account(self, path: str, n: int) -> None:
        self.total += n
        if self.total > self.limits.max_total_bytes:
            raise UnreadableInput(
                f"{self.tree.label}: unpacks to more than {self.limits.max_total_bytes} bytes "
                f"(at {path}; rule IN4)",
                "IN4",
                path,
            )
        if (
            self.packed_size
            and self.total > RATIO_FLOOR
            and self.total > self.limits.max_ratio * self.packed_size
        ):
            raise _bomb(self.tree.label, self.limits, path)

    def _read_kept(self, entry: FileEntry, stream: BinaryIO) -> None:
        cap = self.limits.max_kept_file_bytes
        buf = bytearray()
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            self._account(entry.path, len(chunk))
            entry.size += len(chunk)
            if len(buf) < cap:
                buf += chunk[: cap - len(buf)]
        if entry.size > cap:
            entry.truncated = True
            self.finding(
                entry.path,
                "IN4",
                f"{entry.size} bytes; only the first {cap} were read",
                Level.WARNING,
            )
        if self.kept_total + len(buf) > self.limits.max_kept_total_bytes:
            raise UnreadableInput(
                f"{self.tree.label}: more than {self.limits.max_kept_total_bytes} bytes of logs "
                f"and descriptions to parse (at {entry.path}; rule IN4)",
                "IN4",
                entry.path,
            )
        self.kept_total += len(buf)
        entry.data = bytes(buf)

    def _scan_errors(self, entry: FileEntry, stream: BinaryIO) -> None:
        lines: list[str] = []
        count = 0
        tail = b""
        for chunk in iter(lambda: stream.read(CHUNK), b""):
            self._account(entry.path, len(chunk))
            entry.size += len(chunk)
            chunk = tail + chunk
            cut = chunk.rfind(b"\n")
            if cut < 0:
                # keep at most one bounded partial line
                tail = chunk[-4096:]
                complete = b""
            else:
                complete, tail = chunk[: cut + 1], chunk[cut + 1 :][-4096:]
            if b"ERROR" in complete:
                for line in complete.split(b"\n"):
                    if b"ERROR" in line:
                        count += 1
                        if len(lines) < self.limits.max_error_lines:
                            lines.append(line[:500].decode("utf-8", "replace").strip())
        if b"ERROR" in tail:
            count += 1
            if len(lines) < self.limits.max_error_lines:
                lines.append(tail[:500].decode("utf-8", "replace").strip())
        entry.error_lines = lines
        entry.error_line_count = count


def _bomb(label: str, limits: Limits, path: str) -> UnreadableInput:
    return UnreadableInput(
        f"{label}: unpacks to more than {limits.max_ratio:g} times its size"
        + (f" (at {path})" if path else "")
        + "; a decompression bomb is refused (rule IN4)",
        "IN4",
        path,
    )


def read_tree(
    source: str | os.PathLike[str],
    limits: Limits | None = None,
    *,
    label: str | None = None,
    progress: Progress | None = None,
    policy: Policy = size_only,
) -> SubmissionTree:
    """Read a folder or an archive (.tar, .tar.gz, .tgz, .tar.xz, .tar.bz2, .zip).

    ``policy`` says, file by file, what to keep of it (the round's business:
    ``mlperf.reading.read_tree`` passes the round checker's policy).

    ``label`` names the input in findings and messages (by default its file
    name); ``progress`` is called with the fraction of an archive read so far,
    each time it grows by at least a percent.
    """
    limits = limits or Limits()
    path = Path(source)
    if path.is_dir():
        tree = _read_directory(path, limits, policy)
    elif path.is_file():
        tree = _read_archive(path, limits, label or path.name, progress, policy)
    else:
        raise UnreadableInput(f"{label or source}: no such file or folder (rule IN1)")
    return _find_root(tree)


def _find_root(tree: SubmissionTree) -> SubmissionTree:
    """Descend through single wrapper folders until closed/ or open/ shows up."""
    prefix = ""
    for _ in range(3):
        names = tree.subdirs(prefix)
        if {"closed", "open"} & set(names):
            break
        if len(names) == 1 and not tree.subfiles(prefix):
            prefix = posixpath.join(prefix, names[0])
        else:
            break
    return tree.rebase(prefix) if prefix else tree


def _read_directory(root: Path, limits: Limits, policy: Policy) -> SubmissionTree:
    reader = _Reader(str(root), limits, packed_size=None, policy=policy)
    # O_NOFOLLOW: a file swapped for a link after the listing is not opened; O_NONBLOCK:
    # nor does one swapped for a FIFO hang the read (fstat then refuses it).
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)
    folders = [("", os.path.realpath(root))]
    while folders:
        rel_dir, full_dir = folders.pop()
        with os.scandir(full_dir) as listing:
            entries = sorted(listing, key=lambda entry: entry.name, reverse=True)
        for entry in entries:
            raw = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            reader.count_file(raw)
            if entry.is_symlink():
                reader.finding(raw, "IN3", "symbolic link; not followed")
                continue
            rel = reader.safe_path(raw)
            if rel is None:
                continue
            if entry.is_dir(follow_symlinks=False):
                reader.tree.add_dir(rel)
                folders.append((rel, entry.path))
                continue
            if not entry.is_file(follow_symlinks=False):
                reader.finding(rel, "IN3", "special file; not read")
                continue
            fd = os.open(entry.path, flags)
            with os.fdopen(fd, "rb") as stream:
                status = os.fstat(fd)
                if not stat.S_ISREG(status.st_mode):
                    reader.finding(rel, "IN3", "special file; not read")
                    continue
                reader.add_stream(rel, stream, size=status.st_size)
    return reader.finish()


def _read_archive(
    path: Path, limits: Limits, label: str, progress: Progress | None, policy: Policy
) -> SubmissionTree:
    packed = path.stat().st_size
    if packed == 0:
        raise UnreadableInput(f"{label}: empty file, not an archive (rule IN1)")
    if zipfile.is_zipfile(path):
        return _read_zip(path, limits, label, packed, progress, policy)
    return _read_tar(path, limits, label, packed, progress, policy)


# Leading bytes of the compressed formats a tar may come in.
_GZIP, _XZ, _BZIP2 = b"\x1f\x8b", b"\xfd7zXZ\x00", b"BZh"


class _Tracked(io.RawIOBase):
    """The archive file as read: reports the fraction read at each percent."""

    def __init__(self, stream: BinaryIO, size: int, progress: Progress | None):
        self.stream = stream
        self.size = size
        self.progress = progress
        self.done = 0
        self.shown = -1

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.stream.readinto(buffer)
        if n and self.progress is not None:
            self.done += n
            percent = self.done * 100 // self.size
            if percent > self.shown:
                self.shown = percent
                self.progress(min(self.done / self.size, 1.0))
        return n


class _XZReader(io.RawIOBase):
    """An xz (or lzma) stream decoded with a memory limit, which LZMAFile has not."""

    def __init__(self, raw: BinaryIO, memlimit: int):
        self.raw = raw
        self.memlimit = memlimit
        self.decoder = lzma.LZMADecompressor(lzma.FORMAT_AUTO, memlimit)
        self.pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        while True:
            if self.decoder.eof:
                rest = self.decoder.unused_data or self.raw.read(CHUNK)
                if not rest.startswith(_XZ):  # end, or only stream padding left
                    return 0
                self.decoder = lzma.LZMADecompressor(lzma.FORMAT_AUTO, self.memlimit)
                self.pending = rest
            data = self.pending
            self.pending = b""
            if not data and self.decoder.needs_input:
                data = self.raw.read(CHUNK)
                if not data:
                    raise EOFError("the xz stream ended before its end marker")
            out = self.decoder.decompress(data, len(buffer))
            if out:
                buffer[: len(out)] = out
                return len(out)


class _Inflated(io.RawIOBase):
    """The decompressed tar stream. Every byte counts, so a bomb hidden in
    headers or in members that are skipped unread is stopped as well."""

    def __init__(self, stream: BinaryIO, reader: _Reader):
        self.stream = stream
        self.reader = reader
        limits = reader.limits
        # File data is held to max_total_bytes member by member; allow the headers on top.
        self.cap = limits.max_total_bytes + 1024 * (limits.max_files + 1)
        self.total = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = self.stream.readinto(buffer)
        self.total += n
        reader = self.reader
        if self.total > self.cap:
            raise UnreadableInput(
                f"{reader.tree.label}: unpacks to more than {self.cap} bytes "
                f"(at {reader.current or 'the start'}; rule IN4)",
                "IN4",
                reader.current,
            )
        packed = reader.packed_size
        if packed and self.total > RATIO_FLOOR and self.total > reader.limits.max_ratio * packed:
            raise _bomb(reader.tree.label, reader.limits, reader.current)
        return n


def _bounded_tarinfo(max_header_bytes: int) -> type[tarfile.TarInfo]:
    class BoundedTarInfo(tarfile.TarInfo):
        # tarfile reads a pax or GNU long-name header whole into memory: bound it first.
        def _proc_member(self, tarfile_):
            if self.type in _META_TYPES and self.size > max_header_bytes:
                raise UnreadableInput(
                    f"a {self.size}-byte extended header (over {max_header_bytes}) (rule IN4)",
                    "IN4",
                )
            return super()._proc_member(tarfile_)

    return BoundedTarInfo


_META_TYPES = (
    tarfile.XHDTYPE,
    tarfile.XGLTYPE,
    tarfile.SOLARIS_XHDTYPE,
    tarfile.GNUTYPE_LONGNAME,
    tarfile.GNUTYPE_LONGLINK,
)


def _decompressed(raw: BinaryIO, magic: bytes, limits: Limits) -> BinaryIO:
    if magic.startswith(_GZIP):
        return gzip.GzipFile(fileobj=raw, mode="rb")
    if magic.startswith(_XZ):
        return _XZReader(raw, limits.max_xz_memory)
    if magic.startswith(_BZIP2):
        return bz2.BZ2File(raw)
    return raw


_NOT_AN_ARCHIVE = "not a folder nor a .tar, .tar.gz, .tgz, .tar.xz or .zip archive"


def _read_tar(
    path: Path,
    limits: Limits,
    label: str,
    packed: int,
    progress: Progress | None,
    policy: Policy,
) -> SubmissionTree:
    reader = _Reader(label, limits, packed, policy)
    started = False
    try:
        with path.open("rb") as raw:
            magic = raw.read(8)
            raw.seek(0)
            tracked = io.BufferedReader(_Tracked(raw, packed, progress), CHUNK)
            stream = io.BufferedReader(
                _Inflated(_decompressed(tracked, magic, limits), reader), CHUNK
            )
            # Stream mode: one forward pass, no seeking, members never extracted.
            with tarfile.open(
                fileobj=stream, mode="r|", tarinfo=_bounded_tarinfo(limits.max_header_bytes)
            ) as archive:
                started = True
                for member in _tar_members(archive):
                    _tar_member(reader, archive, member)
    except (tarfile.TarError, EOFError, OSError, zlib.error, lzma.LZMAError) as exc:
        # A tar header that makes no sense before any member: this is no tar at all.
        if not started and isinstance(exc, tarfile.TarError):
            raise UnreadableInput(f"{label}: {_NOT_AN_ARCHIVE} ({exc}) (rule IN1)") from exc
        if isinstance(exc, lzma.LZMAError) and "memory usage limit" in str(exc).lower():
            raise UnreadableInput(
                f"{label}: needs more memory to decompress than the "
                f"{limits.max_xz_memory} bytes allowed (rule IN4)",
                "IN4",
            ) from exc
        raise UnreadableInput(
            f"{label}: the archive is damaged or truncated ({exc}) (rule IN1)"
        ) from exc
    return reader.finish()


def _tar_member(reader: _Reader, archive: tarfile.TarFile, member: tarfile.TarInfo) -> None:
    reader.at(member.name)
    reader.count_file(reader.current)
    rel = reader.safe_path(member.name)
    if rel is None:
        return
    if member.isdir():
        reader.tree.add_dir(rel)
        return
    if not member.isreg() or member.issparse():
        if member.issym() or member.islnk():
            kind = "link"
        elif member.issparse():
            kind = "sparse file"
        else:
            kind = "special file"
        reader.finding(rel, "IN3", f"{kind} in the archive; not read")
        return
    stream = archive.extractfile(member)
    if stream is None:  # pragma: no cover - regular members always have data
        return
    if _is_nested_archive(rel):
        reader.finding(rel, "IN3", "archive inside the archive; not opened", Level.WARNING)
    reader.add_stream(rel, stream)


def _tar_members(archive: tarfile.TarFile) -> Iterator[tarfile.TarInfo]:
    while True:
        member = archive.next()
        if member is None:
            return
        # tarfile keeps every member it has seen; a stream needs none of them.
        archive.members.clear()
        yield member


# Central-directory bytes allowed per file the limits allow: a real member's record is
# 46 bytes, its name (about 100 in a submission tree) and a few extra fields.
ZIP_DIRECTORY_BYTES_PER_FILE = 512


def _check_zip_directory(path: Path, limits: Limits, label: str) -> None:
    """Refuse a zip whose central directory is over the limits, before anything is built.

    ``zipfile.ZipFile`` reads the whole directory and makes an object per record before
    any check of ours could run (a 138 MB directory of empty records took a worker to
    1.1 GB). Here its size is read from the end record, then the records are counted
    by walking their fixed headers in bounded chunks, building nothing: the count in
    the end record is the writer's word, and zipfile does not use it either.
    """
    too_many = UnreadableInput(
        f"{label}: more than {limits.max_files} files or folders (rule IN4)", "IN4"
    )
    with open(path, "rb") as fp:
        end = zipfile._EndRecData(fp)  # the stdlib's own reader of the end records
        if not end:
            return  # not a zip after all: ZipFile says so
        size = end[zipfile._ECD_SIZE]
        if end[zipfile._ECD_ENTRIES_TOTAL] > limits.max_files:
            raise too_many
        if size > limits.max_files * ZIP_DIRECTORY_BYTES_PER_FILE:
            raise UnreadableInput(
                f"{label}: the zip's central directory is {size} bytes, more than "
                f"{limits.max_files} files need (rule IN4)",
                "IN4",
            )
        start = end[zipfile._ECD_LOCATION] - size
        if end[zipfile._ECD_SIGNATURE] == zipfile.stringEndArchive64:
            start -= zipfile.sizeEndCentDir64 + zipfile.sizeEndCentDir64Locator
        fp.seek(max(start, 0))
        count, offset = 0, 0  # records seen; bytes of the directory walked
        buffered, at = b"", 0  # bytes read ahead, and where the next record starts in them
        while offset < size:
            if len(buffered) - at < zipfile.sizeCentralDir:
                more = fp.read(min(CHUNK, size - offset - (len(buffered) - at)))
                if not more:
                    return  # truncated: ZipFile reports the damage
                buffered, at = buffered[at:] + more, 0
                continue
            if buffered[at : at + 4] != zipfile.stringCentralDir:
                return  # not a record: ZipFile reports the damage
            name, extra, comment = struct.unpack_from("<3H", buffered, at + 28)
            step = zipfile.sizeCentralDir + name + extra + comment
            count += 1
            if count > limits.max_files:
                raise too_many
            offset += step
            if step <= len(buffered) - at:
                at += step
            else:
                fp.seek(step - (len(buffered) - at), os.SEEK_CUR)
                buffered, at = b"", 0


def _read_zip(
    path: Path,
    limits: Limits,
    label: str,
    packed: int,
    progress: Progress | None,
    policy: Policy,
) -> SubmissionTree:
    reader = _Reader(label, limits, packed, policy)
    try:
        _check_zip_directory(path, limits, label)
        with zipfile.ZipFile(path) as archive:
            members = archive.infolist()
            if len(members) > limits.max_files:
                raise UnreadableInput(
                    f"{label}: more than {limits.max_files} files or folders (rule IN4)", "IN4"
                )
            compressed = sum(info.compress_size for info in members) or 1
            done = 0
            for info in members:
                _zip_member(reader, archive, info)
                done += info.compress_size
                if progress is not None:
                    progress(min(done / compressed, 1.0))
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        OSError,
        EOFError,
        zlib.error,
        lzma.LZMAError,
        NotImplementedError,
    ) as exc:
        raise UnreadableInput(f"{label}: the archive is damaged ({exc}) (rule IN1)") from exc
    return reader.finish()


def _zip_member(reader: _Reader, archive: zipfile.ZipFile, info: zipfile.ZipInfo) -> None:
    # orig_filename: zipfile cuts a name at its first NUL, which would hide it from
    # safe_path (a name no filesystem holds read as another, shorter one).
    reader.at(info.orig_filename)
    reader.count_file(reader.current)
    rel = reader.safe_path(info.orig_filename)
    if rel is None:
        return
    if info.is_dir():
        reader.tree.add_dir(rel)
        return
    # Many zip writers set permission bits but no file type; only a type counts.
    file_type = stat.S_IFMT(info.external_attr >> 16)
    if file_type and file_type != stat.S_IFREG:
        kind = "symbolic link" if file_type == stat.S_IFLNK else "special file"
        reader.finding(rel, "IN3", f"{kind} in the archive; not read")
        return
    if info.flag_bits & 0x1:
        reader.finding(rel, "IN1", "encrypted member; not read")
        return
    if _is_nested_archive(rel):
        reader.finding(rel, "IN3", "archive inside the archive; not opened", Level.WARNING)
    with archive.open(info) as stream:
        reader.add_stream(rel, stream)


_ARCHIVE_SUFFIXES = (".tar", ".tar.gz", ".tgz", ".tar.xz", ".txz", ".tar.bz2", ".zip", ".gz")


def _is_nested_archive(path: str) -> bool:
    return path.lower().endswith(_ARCHIVE_SUFFIXES)
