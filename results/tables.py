"""django-tables2 tables for a round: columns built from its benchmarks x scenarios."""

from __future__ import annotations

import math

import django_tables2 as tables
from django.utils.html import format_html, format_html_join

from .formatting import format_value
from .selectors import Cell, Column, TableGroup

NUMERIC = {"th": {"class": "num"}, "td": {"class": "num"}}
TEXT = {"td": {"class": "text"}}


class ResultColumn(tables.Column):
    """One benchmark x scenario: the value, marked when inferred or not compliant."""

    def __init__(self, column: Column, **kwargs):
        self.result_column = column
        header = format_html(
            '<span class="bm">{}</span> <span class="sc">{}</span> <span class="unit">{}</span>',
            column.benchmark_name,
            column.scenario_label,
            column.unit,
        )
        key = f"{column.key.name}-key"
        # The first click shows the best result first, blanks last, whichever way is better.
        order_by = (key,) if column.better == "lower" else (f"-{key}",)
        super().__init__(
            verbose_name=header,
            accessor=column.key.name,
            order_by=order_by,
            attrs={"th": {"class": "num result", "scope": "col"}, "td": {"class": "num"}},
            empty_values=(None,),
            default="",
            **kwargs,
        )

    def render(self, value: Cell):
        marks = []
        if value.inferred:
            marks.append(("inferred", "Offline inferred from a SingleStream run", "*"))
        if value.compliant is False:
            marks.append(("noncompliant", "Compliance tests not all passed", "\u2020"))
        return format_html(
            '<span title="{} {}">{}</span>{}',
            repr(value.value),
            value.unit,
            format_value(value.value),
            format_html_join("", '<sup class="mark {}" title="{}">{}</sup>', marks),
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
        return format_html('<a href="{}">{}</a>', url, self.text)


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

    def render_result_id(self, value, record):
        return format_html('<a href="{}" id="{}">{}</a>', record["id_url"], value, value)

    def render_system(self, value, record):
        return format_html('<a href="{}">{}</a>', record["system_url"], value)


def table_for_group(group: TableGroup, table_class: type[RoundTable] | None = None) -> RoundTable:
    columns = [(c.key.name, ResultColumn(c)) for c in group.columns]
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
