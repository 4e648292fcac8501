"""Every download format in one place: a new format is one entry in ``FORMATS``.

Each format writes the same rows (``results.selectors.export_rows``) and the
same columns (``EXPORT_COLUMNS``, a contract: README and tests/test_export.py).
The round page's downloads, the dated snapshots and ``export_results`` all go
through here.

Spreadsheet formats (CSV, XLSX) neutralise cells a spreadsheet would run as a
formula (``exports_safety.spreadsheet_cell``); JSON keeps the text as it is.
"""

from __future__ import annotations

import csv
import io
import json
import re
import zipfile
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

from . import selectors
from .exports_safety import spreadsheet_cell

COLUMNS = selectors.EXPORT_COLUMNS


@dataclass
class Export:
    """What a writer writes: a round's rows, and what to say about them."""

    round: str
    rows: Iterable[dict]
    # Extra top-level keys of the JSON document (a snapshot's date); ordered before "results".
    about: Mapping[str, Any] = field(default_factory=dict)
    # The CSV line ending: RFC 4180's for downloads, "\n" for the command's stdout.
    lineterminator: str = "\r\n"


@dataclass(frozen=True)
class Format:
    name: str
    extension: str
    content_type: str
    # Yields the file's bytes in pieces; a streaming format yields as it reads rows.
    write: Callable[[Export], Iterator[bytes]]
    streams: bool = False

    def filename(self, stem: str) -> str:
        return f"{stem}.{self.extension}"


class _Echo:
    def write(self, value: str) -> str:
        return value


def _csv(export: Export) -> Iterator[bytes]:
    writer = csv.writer(_Echo(), lineterminator=export.lineterminator)
    yield writer.writerow(COLUMNS).encode()
    for row in export.rows:
        cells = [spreadsheet_cell(selectors.csv_value(row[c])) for c in COLUMNS]
        yield writer.writerow(cells).encode()


def _json(export: Export) -> Iterator[bytes]:
    document = {
        "round": export.round,
        **export.about,
        "results": [selectors.json_row(row) for row in export.rows],
    }
    yield json.dumps(document, indent=1).encode()


# Characters XML 1.0 cannot hold; openpyxl refuses them (a name from an archive may have them).
_ILLEGAL_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
# A fixed time for every member of the archive and for the document's properties, so the
# same rows give the same bytes (a dated snapshot fetched again is the same file).
_FIXED_ZIP_TIME = (1980, 1, 1, 0, 0, 0)
_FIXED_DOC_TIME = "2000-01-01T00:00:00Z"
_DOC_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def xlsx_cell(value: Any) -> Any:
    """A value as an XLSX cell: numbers and booleans typed, text neutralised like CSV's."""
    if value is None or isinstance(value, bool | int | float):
        return value
    return spreadsheet_cell(_ILLEGAL_XML.sub("", str(value)))


def _xlsx(export: Export) -> Iterator[bytes]:
    from openpyxl import Workbook

    # Write-only: rows go to a temporary file as they come, not into a tree in memory.
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="results")
    sheet.append(list(COLUMNS))
    for row in export.rows:
        sheet.append([xlsx_cell(row[c]) for c in COLUMNS])
    saved = io.BytesIO()
    workbook.save(saved)
    yield _deterministic_zip(saved.getvalue())


def _deterministic_zip(data: bytes) -> bytes:
    """The archive rewritten with fixed times: openpyxl stamps the save time on each member
    and in docProps/core.xml."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info)
            if info.filename == "docProps/core.xml":
                content = _DOC_TIMES.sub(
                    lambda m: m.group(1) + _FIXED_DOC_TIME.encode() + m.group(3), content
                )
            member = zipfile.ZipInfo(info.filename, date_time=_FIXED_ZIP_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o600 << 16
            target.writestr(member, content)
    return out.getvalue()


FORMATS: dict[str, Format] = {
    f.name: f
    for f in (
        Format("csv", "csv", "text/csv; charset=utf-8", _csv, streams=True),
        Format("json", "json", "application/json", _json),
        Format(
            "xlsx",
            "xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            _xlsx,
        ),
    )
}
# For URL patterns: "csv|json|xlsx".
FORMAT_PATTERN = "|".join(FORMATS)


def write(fmt: str, export: Export) -> Iterator[bytes]:
    return FORMATS[fmt].write(export)


def write_bytes(fmt: str, export: Export) -> bytes:
    return b"".join(write(fmt, export))
