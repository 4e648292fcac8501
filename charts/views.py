"""Charts of the published results, as server-rendered SVG with the same data in a table."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from results.selectors import viewable_round

from . import selectors, svg

# A bar chart draws the best this many; the table below it lists every result.
MAX_BARS = 100


def _bars(chart: selectors.ColumnChart) -> list[svg.Bar]:
    shown = chart.results[:MAX_BARS]
    return [svg.Bar(r.label, r.value, r.accelerator, r.hover, r.system_url) for r in shown]


def _column_svg(chart: selectors.ColumnChart, title: str) -> str:
    return svg.bar_chart(_bars(chart), title=title, unit=f"{chart.unit} ({chart.better} is better)")


def _title(round_title: str, chart: selectors.ColumnChart) -> str:
    return f"{round_title}: {chart.column.benchmark.slug} {chart.column.scenario.label}"


@require_safe
def column_chart(request: HttpRequest, version: str, benchmark: str, scenario: str) -> HttpResponse:
    round_ = viewable_round(version, request.user)
    chart = selectors.column_chart(round_, benchmark, scenario)
    title = _title(round_.title, chart)
    context = {
        "round": round_,
        "draft": not round_.is_published,
        "chart": chart,
        "title": title,
        "svg": mark_safe(_column_svg(chart, title)),  # noqa: S308  # svg.text escapes each text
        "legend": svg.Colours.for_names(b.accelerator for b in _bars(chart)).legend(),
        "max_bars": MAX_BARS,
    }
    return render(request, "charts/column.html", context)


@require_safe
def column_chart_svg(
    request: HttpRequest, version: str, benchmark: str, scenario: str
) -> HttpResponse:
    round_ = viewable_round(version, request.user)
    chart = selectors.column_chart(round_, benchmark, scenario)
    return HttpResponse(
        _column_svg(chart, _title(round_.title, chart)), content_type="image/svg+xml"
    )


@require_safe
def accuracy_chart(
    request: HttpRequest, version: str, benchmark: str, scenario: str
) -> HttpResponse:
    round_ = viewable_round(version, request.user)
    chart = selectors.open_accuracy(round_, benchmark, scenario)
    metric = chart.column.benchmark.accuracy_metric
    unit = chart.column.benchmark.accuracy_unit
    points = [
        svg.Point(r.value, r.accuracy, f"{r.hover}; {metric} {r.accuracy_raw}{unit}", r.accelerator)
        for r in chart.results
        if r.accuracy is not None
    ]
    title = f"{_title(round_.title, chart)}, open division: accuracy against performance"
    drawing = svg.scatter(
        points,
        title=title,
        x_label=f"{chart.unit} ({chart.better} is better)",
        y_label=f"{metric} {unit}".strip(),
    )
    context = {
        "round": round_,
        "draft": not round_.is_published,
        "chart": chart,
        "title": title,
        "metric": metric,
        "accuracy_unit": unit,
        "svg": mark_safe(drawing),  # noqa: S308  # svg.text escapes each text
    }
    return render(request, "charts/accuracy.html", context)


@require_safe
def history_chart(request: HttpRequest, family: str, scenario: str) -> HttpResponse:
    found = selectors.history(family, scenario)
    steps = []
    for index, best in enumerate(found.rounds):
        note = (
            "" if best.comparable or not index else f"measured as {best.comparison_key} from here"
        )
        steps.append(
            svg.Step(
                best.version,
                best.value,
                f"{best.title}: best {best.value!r} {best.unit} ({best.better} is better)",
                best.comparable,
                note,
            )
        )
    units = sorted({best.unit for best in found.rounds})
    title = f"{family} {scenario}: the best closed-division result of each round"
    drawing = svg.history(steps, title=title, y_label=" or ".join(units))
    context = {
        "history": found,
        "title": title,
        "svg": mark_safe(drawing),  # noqa: S308  # svg.text escapes each text
        "breaks": sum(1 for s in steps if s.note),
    }
    return render(request, "charts/history.html", context)
