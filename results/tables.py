"""django-tables2 tables for a round: columns built from its benchmarks x scenarios."""

from __future__ import annotations

import html
import inspect
import math
from urllib.parse import urlencode

import django_tables2 as tables
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe

from .formatting import escape_html, format_value
from .selectors import Cell, Column, TableGroup

NUMERIC = {"th": {"class": "num"}, "td": {"class": "num"}}
INFERRED_MARK = (
    '<sup class="mark inferred" title="Offline inferred from a SingleStream run">*</sup>'
)
NONCOMPLIANT_MARK = (
    '<sup class="mark noncompliant" title="Compliance tests not all passed">\u2020</sup>'
)
TEXT = {"td": {"class": "text"}}


class ResultColumn(tables.Column):
    """One benchmark x scenario: the value, marked when inferred or not compliant."""

    def __init__(self, column: Column, *, per_watt: bool = False, **kwargs):
        self.result_column = column
        self.per_watt = per_watt
        header = format_html(
            '<span class="bm">{}</span> <span class="sc">{}</span> <span class="unit">{}</span>',
            column.benchmark_name,
            column.scenario_label,
            f"{column.unit} per W" if per_watt and column.unit not in ("ms", "s") else column.unit,
        )
        key = f"{column.key.name}-key"
        # The first click shows the best result first, blanks last, whichever way is better.
        order_by = (key,) if column.better == "lower" else (f"-{key}",)
        super().__init__(
            verbose_name=header,
            accessor=column.key.name,
            order_by=order_by,
            attrs={"th": {"class": "num result"}, "td": {"class": "num"}},
            empty_values=(None,),
            default="",
            **kwargs,
        )

    def render(self, value: Cell):
        # Plain string building: this runs for every result on the round page.
        marks = ""
        if value.inferred:
            marks += INFERRED_MARK
        if value.compliant is False:
            marks += NONCOMPLIANT_MARK
        power = ""
        if value.power is not None:
            figure, unit = value.power
            power = (
                f'<br><span class="pw" title="{figure!r} {escape_html(unit)}">'
                f"{format_value(figure)} {escape_html(unit)}</span>"
            )
        if self.per_watt:
            efficiency = value.per_watt
            if efficiency is None:
                return SafeString(
                    '<span class="na" title="no power measured, or a latency">–</span>'
                )
            return SafeString(
                f'<span title="{efficiency!r} {escape_html(value.unit)} per W">'
                f"{format_value(efficiency)}</span>{marks}{power}"
            )
        return SafeString(
            f'<span title="{value.value!r} {escape_html(value.unit)}">'
            f"{format_value(value.value)}</span>{marks}{power}"
        )


class LinkColumn(tables.Column):
    def __init__(self, *, text, url_key, **kwargs):
        self.text = text
        self.url_key = url_key
        super().__init__(orderable=False, empty_values=(), **kwargs)

    def render(self, record):
        url = record.get(self.url_key)
        if not url:
            return ""
        return SafeString(f'<a href="{escape_html(url)}">{escape_html(self.text)}</a>')


class RoundTable(tables.Table):
    result_id = tables.Column(verbose_name="ID", attrs={"td": {"class": "id"}})
    submitter = tables.Column()
    system = tables.Column(attrs=TEXT)
    model = tables.Column(verbose_name="Model")
    processor = tables.Column(attrs=TEXT)
    processor_count = tables.Column(verbose_name="#", attrs=NUMERIC)
    accelerator = tables.Column(attrs=TEXT)
    accelerator_count = tables.Column(verbose_name="#", attrs=NUMERIC)
    software = tables.Column(attrs=TEXT)
    accuracy = tables.Column(orderable=False)
    notes = tables.Column(orderable=False, attrs={"td": {"class": "notes"}})
    details = LinkColumn(text="Details", url_key="system_url", verbose_name="")
    code = LinkColumn(text="Code", url_key="code_url", verbose_name="")

    class Meta:
        template_name = "results/_table.html"
        attrs = {"class": "results"}
        orderable = True
        empty_text = "No results."

    # The per-cell methods build strings with escape_html and SafeString, not format_html
    # and mark_safe: they run 6,000 times for the round page, and the lazy-string
    # checks of those cost more than the string building.
    def render_result_id(self, value, record):
        value = escape_html(value)
        return SafeString(f'<a href="{escape_html(record["id_url"])}" id="{value}">{value}</a>')

    def head_html(self):
        """The header row, with sort links that keep the rest of the query string.

        Built as django-tables2's querystring_replace would, without a template
        per header cell.
        """
        params = dict(self.request.GET) if getattr(self, "request", None) else {}
        anchor = f"#{self.group.slug}" if getattr(self, "group", None) else ""
        cells = []
        for bound in self.columns:
            attrs = bound.attrs.get("th")
            attrs = f" {attrs.as_html()}" if attrs else ""
            header = escape_html(bound.header)
            if bound.orderable:
                query = urlencode(
                    {**params, self.prefixed_order_by_field: str(bound.order_by_alias.next)},
                    doseq=True,
                )
                header = f'<a href="{html.escape("?" + query)}{anchor}">{header}</a>'
            cells.append(f'<th{attrs} scope="col">{header}</th>')
        return mark_safe(f"<thead><tr>{''.join(cells)}</tr></thead>")

    def body_html(self):
        """The rows as HTML, in the table's current order, in one pass.

        django-tables2 renders each cell through bound rows and the template
        engine, which costs over a second for v0.7's 6,000 cells; this calls
        the same render methods and column attributes directly.
        """
        specs = [_cell_spec(self, bound) for bound in self.columns]
        escape = escape_html
        lines = []
        for record in self.data:
            cells = []
            for name, attrs, empty, default, render in specs:
                value = record.get(name)
                if value in empty:
                    text = default
                elif render is None:
                    text = escape(value)
                else:
                    text = escape(render(value, record))
                cells.append(f"<td{attrs}>{text}</td>")
            lines.append(f"<tr>{''.join(cells)}</tr>")
        return mark_safe("\n".join(lines))

    def render_system(self, value, record):
        return SafeString(f'<a href="{escape_html(record["system_url"])}">{escape_html(value)}</a>')


def table_for_group(
    group: TableGroup, table_class: type[RoundTable] | None = None, *, per_watt: bool = False
) -> RoundTable:
    """The table of one group; ``per_watt`` shows throughput per watt where power was measured
    (latencies have no such figure and show a dash)."""
    columns = [(c.key.name, ResultColumn(c, per_watt=per_watt)) for c in group.columns]
    exclude = () if group.is_open else ("model", "accuracy", "notes")
    # Open rows carry model, accuracy and notes after the results, as the official tables did.
    sequence = (
        ["result_id", "submitter", "system"]
        + (["model"] if group.is_open else [])
        + ["processor", "processor_count", "accelerator", "accelerator_count", "software"]
        + [name for name, _ in columns]
        + (["accuracy", "notes"] if group.is_open else [])
        + ["details", "code"]
    )
    table = (table_class or RoundTable)(
        [row_data(row, group) for row in group.rows],
        extra_columns=columns,
        exclude=exclude,
        sequence=sequence,
    )
    table.group = group
    return table


def row_data(row, group: TableGroup) -> dict:
    system = row.system
    data = {
        "result_id": row.entry.result_id,
        "id_url": f"/id/{row.entry.result_id}",
        "submitter": system.submitter.name,
        "system": system.name,
        "system_url": system.get_absolute_url()
        + (f"#{row.entry.result_id}" if row.entry.model_folder else ""),
        "model": row.entry.model_folder,
        "processor": system.processor.name if system.processor else "",
        "processor_count": system.processor_count,
        "accelerator": system.accelerator.name if system.accelerator else "",
        "accelerator_count": system.accelerator_count or None,
        "software": system.software,
        "accuracy": ", ".join(row.accuracies),
        "notes": system.notes,
        "code_url": system.code_url,
    }
    for column in group.columns:
        name = column.key.name
        cell = row.cells.get(name)
        data[name] = cell
        if cell is not None:
            data[f"{name}-key"] = cell.value
        else:
            # Blanks sort last when the best comes first.
            data[f"{name}-key"] = math.inf if column.better == "lower" else -math.inf
    return data


def _cell_spec(table, bound):
    """How one visible column renders its cells: (name, td attributes, empty values,
    the text for an empty cell, and a function of (value, record), None to show
    the value as it is)."""
    column = bound.column
    name = bound.name
    method = getattr(table, f"render_{name}", None) or getattr(column, "render", None)
    takes = set(inspect.signature(method).parameters) if method else set()
    if method is None or method.__func__ is tables.Column.render:
        render = None
    elif takes == {"value"}:

        def render(value, record):
            return method(value=value)

    elif takes == {"record"}:

        def render(value, record):
            return method(record=record)

    elif takes == {"value", "record"}:

        def render(value, record):
            return method(value=value, record=record)

    else:
        arguments = {"column": column, "table": table}

        def render(value, record):
            given = {"value": value, "record": record, **arguments}
            return method(**{k: v for k, v in given.items() if k in takes})

    attrs = bound.attrs.get("td")
    attrs = f" {attrs.as_html()}" if attrs else ""
    return name, attrs, column.empty_values, escape_html(bound.default), render
