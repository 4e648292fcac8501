"""The round page's filters; their state lives in the query string."""

from typing import Any

import django_filters
from django import forms
from django.db.models import Count, Q
from django.http import QueryDict
from django.utils.safestring import SafeString

from .formatting import escape_html
from .models import (
    Benchmark,
    Category,
    Division,
    Entry,
    Result,
    Round,
    Submitter,
    System,
    SystemType,
)
from .selectors import EVERYTHING, Narrowing


class Select(forms.Select):
    """Django's Select, rendered by string building instead of a template per option.

    The round page's eight filters hold 130 options; through the template
    engine they cost as much as its 300 table rows. Same elements and
    attributes as Django's select.html; one option per line.
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        lines = [f'<select name="{escape_html(widget["name"])}"{_attrs(widget["attrs"])}>']
        for group_name, options, _ in widget["optgroups"]:
            if group_name:
                lines.append(f'  <optgroup label="{escape_html(group_name)}">')
            lines.extend(
                f'  <option value="{escape_html(option["value"])}"{_attrs(option["attrs"])}>'
                f"{escape_html(option['label'])}</option>"
                for option in options
            )
            if group_name:
                lines.append("  </optgroup>")
        lines.append("</select>")
        return SafeString("\n".join(lines))


def _attrs(attrs: dict) -> str:
    """Django's widgets/attrs.html: True as a bare name, False left out."""
    return "".join(
        f" {name}" if value is True else f' {name}="{escape_html(value)}"'
        for name, value in attrs.items()
        if value is not False
    )


MAX_NAME = 100


def normalise_name(value: str) -> str:
    """A typed name as the filter and the page cache read it: spaces trimmed and collapsed."""
    return " ".join(value.split())


def part_counts(round_: Round, part: str) -> list[tuple[str, int]]:
    """(canonical name, rows) of the round's processors or accelerators, in one query."""
    field = f"system__{part}__canonical_name"
    return list(
        Entry.objects.filter(
            system__round=round_, system__withdrawn_at__isnull=True, result_count__gt=0
        )
        .exclude(**{f"{field}__isnull": True})
        .exclude(**{field: ""})
        .values_list(field)
        .annotate(rows=Count("pk"))
        .order_by(field)
    )


class _LazyCounts:
    """part_counts, read when the form renders (a page without the form asks nothing)."""

    def __init__(self, round_: Round, part: str) -> None:
        self.round, self.part = round_, part

    def __iter__(self):
        return iter(part_counts(self.round, self.part))


class Datalist(forms.TextInput):
    """A text box with a datalist of canonical names and their row counts."""

    options: Any = ()

    def render(self, name, value, attrs=None, renderer=None):
        box = super().render(name, value, attrs, renderer)
        listed = "".join(
            f'<option value="{escape_html(label)}">{escape_html(label)} ({rows} '
            f"row{'s' if rows != 1 else ''})</option>"
            for label, rows in self.options
        )
        return SafeString(f'{box}<datalist id="{escape_html(name)}-names">{listed}</datalist>')


class EntryFilter(django_filters.FilterSet):
    """Filters rows (entries) of one round; a row stays whole when it matches."""

    submitter = django_filters.ModelChoiceFilter(
        widget=Select,
        field_name="system__submitter",
        to_field_name="slug",
        queryset=Submitter.objects.none(),
        empty_label="All submitters",
        label="Submitter",
    )
    # Names people search by: canonical names ("NVIDIA T4" finds "Tesla T4" too) or any
    # part of a name, in any case; the choices list each canonical name with its rows.
    accelerator = django_filters.CharFilter(
        widget=Datalist,
        field_name="system__accelerator",
        method="filter_part",
        max_length=MAX_NAME,
        label="Accelerator",
    )
    processor = django_filters.CharFilter(
        widget=Datalist,
        field_name="system__processor",
        method="filter_part",
        max_length=MAX_NAME,
        label="Processor",
    )
    software = django_filters.ChoiceFilter(
        widget=Select, field_name="system__software", empty_label="All software", label="Software"
    )
    benchmark = django_filters.ModelChoiceFilter(
        widget=Select,
        field_name="results__benchmark",
        to_field_name="slug",
        queryset=Benchmark.objects.none(),
        empty_label="All benchmarks",
        label="Benchmark",
        distinct=True,
    )
    scenario = django_filters.ChoiceFilter(
        widget=Select,
        method="filter_scenario",
        empty_label="Any scenario",
        label="Scenario",
    )
    division = django_filters.ChoiceFilter(
        widget=Select,
        field_name="system__division",
        choices=Division.choices,
        empty_label="All divisions",
        label="Division",
    )
    system_type = django_filters.ModelChoiceFilter(
        widget=Select,
        field_name="system__system_type",
        to_field_name="slug",
        queryset=SystemType.objects.none(),
        empty_label="All system types",
        label="System type",
    )
    category = django_filters.ModelChoiceFilter(
        widget=Select,
        field_name="system__category",
        to_field_name="slug",
        queryset=Category.objects.none(),
        empty_label="All categories",
        label="Category",
    )

    class Meta:
        model = Entry
        fields: list[str] = []

    def __init__(self, data: QueryDict | None = None, *, round_: Round, **kwargs: Any) -> None:
        queryset = Entry.objects.filter(system__round=round_)
        super().__init__(data, queryset=queryset, **kwargs)
        systems = System.objects.filter(round=round_)
        filters: dict[str, Any] = self.filters  # ModelChoiceFilters: they have a queryset
        # Semi-joins (IN), not a DISTINCT over a join with every system of the round.
        filters["submitter"].queryset = Submitter.objects.filter(pk__in=systems.values("submitter"))
        filters["benchmark"].queryset = Benchmark.objects.filter(round=round_)
        filters["system_type"].queryset = SystemType.objects.filter(
            pk__in=systems.values("system_type")
        )
        filters["category"].queryset = Category.objects.filter(round=round_)
        filters["scenario"].extra["choices"] = [
            (s["name"], s["label"]) for s in round_.rules.get("scenarios", [])
        ]
        labels = dict(Division.choices)
        filters["division"].extra["choices"] = [
            (name, labels.get(name, name.title())) for name in round_.divisions
        ]
        filters["software"].extra["choices"] = [
            (name, name)
            for name in systems.exclude(software="")
            .order_by("software")
            .values_list("software", flat=True)
            .distinct()
        ]
        # Last: the form is built from the filters above on first use.
        for name, label in (("accelerator", "accelerators"), ("processor", "processors")):
            widget = self.form.fields[name].widget
            widget.attrs.update({"list": f"{name}-names", "placeholder": f"All {label}"})
            widget.options = _LazyCounts(round_, name)

    def filter_part(self, queryset, name, value):
        """Rows whose part's canonical or submitted name holds the text, in any case."""
        text = normalise_name(value)
        if not text:
            return queryset
        return queryset.filter(
            Q(**{f"{name}__canonical_name__icontains": text})
            | Q(**{f"{name}__name__icontains": text})
        )

    def filter_scenario(self, queryset, name, value):
        """Rows with a result in the scenario (of the chosen benchmark, if one is chosen)."""
        results = Result.objects.filter(scenario__name=value, withdrawn_at__isnull=True)
        benchmark = self.form.cleaned_data.get("benchmark")
        if benchmark is not None:
            results = results.filter(benchmark=benchmark)
        return queryset.filter(pk__in=results.values("entry"))

    def narrowing(self) -> Narrowing:
        """The results the chosen benchmark and scenario leave in the rows (all, unchosen)."""
        if not (self.is_bound and self.is_valid()):
            return EVERYTHING
        benchmark = self.form.cleaned_data.get("benchmark")
        return Narrowing(
            benchmark.slug if benchmark is not None else None,
            self.form.cleaned_data.get("scenario") or None,
        )

    @property
    def is_filtered(self) -> bool:
        return self.is_bound and any(self.form.cleaned_data.get(name) for name in self.filters)
