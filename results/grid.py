"""The round tables' HTML: one small renderer, rows in the order SQL gave them.

A table is built by string building (escape_html and SafeString), not by
django-tables2's bound rows and template per cell: the round page has
thousands of cells. Nothing is sorted here; ``sort`` only says which header
shows the direction in force (arrow and ``aria-sort``) and where each
header's link goes next.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from urllib.parse import urlencode

from django.http import QueryDict
from django.urls import reverse
from django.utils.safestring import SafeString

from .formatting import escape_html, format_value
from .models import Better
from .selectors import Cell, Column, Row, TableGroup, TokenLatency

# How a table shows its figures (the "view" query parameter; as published when absent).
AS_PUBLISHED = "as-published"
PER_ACCELERATOR = "per-accelerator"
PER_WATT = "per-watt"
VIEWS = (AS_PUBLISHED, PER_ACCELERATOR, PER_WATT)
LATENCY_UNITS = frozenset({"ms", "s", "us", "ns"})

INFERRED_MARK = '<sup class="mark inferred" title="Inferred from a run of another scenario">*</sup>'
NONCOMPLIANT_MARK = (
    '<sup class="mark noncompliant" title="Compliance tests not all passed">\u2020</sup>'
)
NA = '<span class="na" title="{}">\u2013</span>'


def view_of(query: QueryDict) -> str:
    view = query.get("view", "")
    return view if view in VIEWS else AS_PUBLISHED


def compare_url() -> str:
    return reverse("compare:compare")


def chips(nodes: int | None, accelerators: int | None) -> int | None:
    """Nodes x accelerators per node (a single node when not given); None without any."""
    if not accelerators:
        return None
    return (nodes or 1) * accelerators


def is_latency(unit: str, better: str) -> bool:
    return better == Better.LOWER or unit in LATENCY_UNITS


@dataclass(frozen=True)
class Header:
    key: str  # the sort name, "" when the column does not sort
    label: str  # HTML
    css: str = ""
    # Which way the bare sort name orders: "ascending", or "descending" (best first
    # for a higher-is-better result).
    first: str = "ascending"


def _sort_state(sort: Sequence[str]) -> tuple[str, bool]:
    """(bare name, reversed) of the sort in force: the last one given, as the cache keeps."""
    if not sort:
        return "", False
    name = sort[-1]
    return name.lstrip("-"), name.startswith("-")


def _flip(direction: str) -> str:
    return "descending" if direction == "ascending" else "ascending"


def _header_html(
    header: Header, params: dict[str, list[str]], active: tuple[str, bool], anchor: str
) -> str:
    css = header.css
    label = header.label
    aria = ""
    if header.key:
        bare, reverse_ = active
        direction = ""
        if bare == header.key:
            direction = _flip(header.first) if reverse_ else header.first
            aria = f' aria-sort="{direction}"'
            css += " asc" if direction == "ascending" else " desc"
        # The first click gives the column's first direction; a second click reverses it.
        following = f"-{header.key}" if bare == header.key and not reverse_ else header.key
        query = urlencode({**params, "sort": [following]}, doseq=True)
        label = f'<a href="{escape_html("?" + query)}{anchor}">{label}</a>'
        css += " orderable"
    attrs = f' class="{css.strip()}"' if css.strip() else ""
    return f'<th{attrs} scope="col"{aria}>{label}</th>'


def _token_latency_html(latency: TokenLatency) -> str:
    """An LLM's token latencies under its tokens/s, as people read them beside it."""
    parts = [
        f'<span title="99th percentile time {what}: {figure[0]!r} {escape_html(figure[1])}">'
        f"{label} {format_value(figure[0])} {escape_html(figure[1])}</span>"
        for label, what, figure in (
            ("TTFT", "to first token", latency.ttft),
            ("TPOT", "per output token", latency.tpot),
        )
        if figure is not None
    ]
    return f'<br><span class="pw tok">{" · ".join(parts)}</span>' if parts else ""


def _value_html(cell: Cell, column: Column, view: str, row: Row, changes_url: str) -> str:
    if cell.withdrawn is not None:
        when, anchor = cell.withdrawn.effective, cell.withdrawn.correction_id
        return (
            f'<a class="mark withdrawn" href="{changes_url}#c{anchor}" '
            f'title="Withdrawn on {when:%-d %b %Y}: see the change log">withdrawn</a>'
        )
    marks = ""
    if cell.corrected is not None:
        marks += (
            f'<sup class="mark corrected" title="Corrected on '
            f"{cell.corrected.effective:%-d %b %Y}; it was "
            f'{escape_html(cell.corrected.old_value)}">c</sup>'
        )
    if cell.inferred:
        marks += INFERRED_MARK
    if cell.compliant is False:
        marks += NONCOMPLIANT_MARK
    unit = escape_html(cell.unit)
    under = ""
    if cell.power is not None:
        power, power_unit = cell.power
        under = (
            f'<br><span class="pw" title="{power!r} {escape_html(power_unit)}">'
            f"{format_value(power)} {escape_html(power_unit)}</span>"
        )
    if cell.token_latency is not None:
        under += _token_latency_html(cell.token_latency)
    figure: float | None = cell.value
    if view == PER_WATT and not is_latency(cell.unit, column.better):
        figure = cell.per_watt
        if figure is None:
            return NA.format("no power measured")
        unit += " per W"
    elif view == PER_ACCELERATOR and not is_latency(cell.unit, column.better):
        count = chips(row.system.nodes, row.system.accelerator_count)
        if count is None:
            return NA.format("no accelerator")
        figure = cell.value / count
        unit += " per accelerator"
        under = f'<br><span class="pw">\u00f7 {count} accel.</span>'
    return f'<span title="{figure!r} {unit}">{format_value(figure)}</span>{marks}{under}'


def _result_label(column: Column, view: str) -> str:
    unit = escape_html(column.unit)
    latency = is_latency(column.unit, column.better)
    if view == PER_WATT:
        unit = f"{unit} (latency, as published)" if latency else f"{unit} per W"
    elif view == PER_ACCELERATOR:
        unit = f"{unit} (latency, as published)" if latency else f"{unit} per accel."
    return (
        f'<span class="bm">{escape_html(column.benchmark_name)}</span> '
        f'<span class="sc">{escape_html(column.scenario_label)}</span> '
        f'<span class="unit">{unit}</span>'
    )


def _text(value) -> str:
    return "" if value is None else escape_html(value)


def _count(value) -> str:
    return "" if not value else str(value)


# The row columns: header, sort name, td class, and the cell's HTML from a row.
RowCell = Callable[[Row], str]


def _row_columns(is_open: bool) -> list[tuple[Header, str, RowCell]]:
    """ID, submitter and system first: they stay on screen (sticky) while results scroll."""

    def ident(row: Row) -> str:
        rid = escape_html(row.entry.result_id or "")
        return f'<a href="/id/{rid}" id="{rid}">{rid}</a>' if rid else ""

    def system(row: Row) -> str:
        anchor = f"#{row.entry.result_id}" if row.entry.model_folder else ""
        url = escape_html(row.system.get_absolute_url() + anchor)
        return f'<a href="{url}">{escape_html(row.system.name)}</a>'

    columns: list[tuple[Header, str, RowCell]] = [
        (Header("result_id", "ID", "id-col"), "id", ident),
        (
            Header("submitter", "Submitter", "sub-col"),
            "sub",
            lambda row: escape_html(row.system.submitter.name),
        ),
        (Header("system", "System", "sys-col"), "sys text", system),
    ]
    if is_open:
        columns.append(
            (Header("model", "Model"), "", lambda row: escape_html(row.entry.model_folder))
        )
    columns += [
        (
            Header("processor", "Processor"),
            "text",
            lambda row: _text(row.system.processor and row.system.processor.name),
        ),
        (
            Header("processor_count", "#", "num"),
            "num",
            lambda row: _count(row.system.processor_count),
        ),
        (
            Header("accelerator", "Accelerator"),
            "text",
            lambda row: _text(row.system.accelerator and row.system.accelerator.name),
        ),
        (
            Header("accelerator_count", "#", "num"),
            "num",
            lambda row: _count(row.system.accelerator_count),
        ),
        (Header("software", "Software"), "text sw", lambda row: escape_html(row.system.software)),
    ]
    return columns


def render_table(
    group: TableGroup,
    *,
    query: QueryDict,
    view: str = AS_PUBLISHED,
    compare: bool = False,
) -> SafeString:
    """One table of the round as HTML: ``<div class="table-wrap"><table>...</table></div>``."""
    params = {k: query.getlist(k) for k in query if k not in ("sort", "page")}
    active = _sort_state(query.getlist("sort"))
    anchor = f"#{group.slug}"
    changes_url = f"/{group.category.round.version}/changes/"
    # The results come right after the identity (and the open division's model), the
    # hardware and software after them: the figures are what the first screen shows.
    row_columns = _row_columns(group.is_open)
    split = 4 if group.is_open else 3
    lead, tail = row_columns[:split], row_columns[split:]
    heads = []
    if compare:
        heads.append('<th class="pick" scope="col"><span class="vh">Compare</span></th>')
    heads += [_header_html(h, params, active, anchor) for h, _, _ in lead]
    for column in group.columns:
        higher = column.better != Better.LOWER
        header = Header(
            column.key.name,
            _result_label(column, view),
            "num result",
            "descending" if higher else "ascending",
        )
        heads.append(_header_html(header, params, active, anchor))
    if group.is_open:
        heads.append('<th scope="col">Accuracy</th>')
    heads += [_header_html(h, params, active, anchor) for h, _, _ in tail]
    if group.is_open:
        heads.append('<th scope="col">Notes</th>')
    heads.append('<th scope="col"><span class="vh">Links</span></th>')

    def classes(columns):
        return [(render, f' class="{css}"' if css else "") for _, css, render in columns]

    lead_cells, tail_cells = classes(lead), classes(tail)
    lines = []
    for row in group.rows:
        cells = []
        if compare and row.entry.result_id:
            cells.append(
                f'<td class="pick"><input type="checkbox" name="ids" '
                f'value="{escape_html(row.entry.result_id)}" '
                f'aria-label="Compare {escape_html(row.entry.result_id)}"></td>'
            )
        elif compare:
            cells.append('<td class="pick"></td>')
        cells += [f"<td{attrs}>{render(row)}</td>" for render, attrs in lead_cells]
        for column in group.columns:
            cell = row.cells.get(column.key.name)
            text = "" if cell is None else _value_html(cell, column, view, row, changes_url)
            cells.append(f'<td class="num">{text}</td>')
        if group.is_open:
            accuracy = "<br>".join(escape_html(text) for text in row.accuracies)
            cells.append(f'<td class="acc">{accuracy}</td>')
        cells += [f"<td{attrs}>{render(row)}</td>" for render, attrs in tail_cells]
        if group.is_open:
            cells.append(f'<td class="notes">{escape_html(row.system.notes)}</td>')
        links = f'<a href="{escape_html(row.system.get_absolute_url())}">Details</a>'
        if row.system.code_url:
            links += f' <a href="{escape_html(row.system.code_url)}">Code</a>'
        cells.append(f'<td class="links">{links}</td>')
        lines.append(f"<tr>{''.join(cells)}</tr>")
    body = "\n".join(lines) or f'<tr><td colspan="{len(heads)}" class="empty">No results.</td></tr>'
    return SafeString(  # the table-wrap is the one scroll box: sticky header and columns
        f'<div class="table-wrap"><table class="results grid{" open" if group.is_open else ""}'
        f'{" picks" if compare else ""}">'
        f"<thead><tr>{''.join(heads)}</tr></thead>\n<tbody>\n{body}\n</tbody></table></div>"
    )
