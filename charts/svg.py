"""Server-rendered SVG charts: no JavaScript, no library, nothing from a CDN.

Every text in a chart (system names come from submitted archives) goes through
``text()``, which escapes it for XML and HTML alike and drops the control
characters XML cannot hold, so a chart is well-formed whatever a name holds and
can be embedded in a page or served as ``image/svg+xml``. Exact values are in
each mark's ``<title>`` (shown on hover) and in the table the page puts below.
"""

from __future__ import annotations

import html
import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from results.formatting import format_value

_NOT_XML = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

# Okabe and Ito's colour-blind-safe palette (less black), then grey for the rest.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#D55E00", "#CC79A7", "#56B4E9", "#F0E442")
OTHER = "#8c8c8c"
NONE = "#cfcfcf"
NO_ACCELERATOR = "No accelerator"
OTHER_ACCELERATORS = "Other accelerators"
FONT = 'font-family="system-ui, sans-serif" font-size="12"'


def text(value: object) -> str:
    """Escaped for XML and HTML: ``& < > " '`` become entities; control characters go."""
    return html.escape(_NOT_XML.sub("", str(value)), quote=True)


def _num(value: float) -> str:
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _short(value: str, limit: int) -> str:
    return value if len(value) <= limit else value[: limit - 1] + "…"


@dataclass(frozen=True)
class Colours:
    """A colour per accelerator, in the order they first appear, and the legend to match."""

    by_name: dict[str, str]

    @classmethod
    def for_names(cls, names: Iterable[str]) -> Colours:
        by_name: dict[str, str] = {}
        for name in names:
            if name in by_name:
                continue
            if not name:
                by_name[name] = NONE
            else:
                used = sum(1 for n in by_name if n)
                by_name[name] = PALETTE[used] if used < len(PALETTE) else OTHER
        return cls(by_name)

    def __call__(self, name: str) -> str:
        return self.by_name.get(name, OTHER)

    def legend(self) -> list[tuple[str, str]]:
        """(label, colour) for the legend: each coloured name, then "Other", then none."""
        named = [(n, c) for n, c in self.by_name.items() if n and c != OTHER]
        if any(n and c == OTHER for n, c in self.by_name.items()):
            named.append((OTHER_ACCELERATORS, OTHER))
        if "" in self.by_name:
            named.append((NO_ACCELERATOR, NONE))
        return named


def _legend(colours: Colours, x: float, y: float) -> tuple[list[str], float]:
    parts = ['<g class="legend">']
    for index, (label, colour) in enumerate(colours.legend()):
        top = y + index * 18
        parts.append(
            f'<rect x="{_num(x)}" y="{_num(top)}" width="12" height="12" fill="{colour}"/>'
            f'<text x="{_num(x + 18)}" y="{_num(top + 10)}" {FONT}>{text(label)}</text>'
        )
    parts.append("</g>")
    return parts, len(colours.legend()) * 18


def _svg(width: float, height: float, title: str, body: Sequence[str]) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {_num(width)} {_num(height)}" '
        f'width="{_num(width)}" height="{_num(height)}" role="img" class="chart">'
        f"<title>{text(title)}</title>" + "".join(body) + "</svg>"
    )


def _nice_max(value: float) -> float:
    """A round number at or above ``value`` for the end of an axis."""
    if value <= 0:
        return 1.0
    step = 10 ** math.floor(math.log10(value))
    for factor in (1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10):
        if factor * step >= value:
            return factor * step
    return 10 * step


def _ticks(top: float, count: int = 4) -> list[float]:
    return [top * i / count for i in range(count + 1)]


@dataclass(frozen=True)
class Bar:
    label: str
    value: float
    accelerator: str  # canonical name, "" for none
    title: str  # the hover text: exact value and what the bar is
    href: str = ""


def bar_chart(bars: Sequence[Bar], *, title: str, unit: str) -> str:
    """Horizontal bars in the given order (best first), coloured by accelerator."""
    colours = Colours.for_names(b.accelerator for b in bars)
    label_width, plot_width, bar_height, gap, top = 300, 440, 16, 6, 24
    top_value = _nice_max(max((b.value for b in bars), default=0))
    scale = plot_width / top_value
    plot_height = len(bars) * (bar_height + gap)
    body = [f'<text x="{label_width}" y="14" {FONT} font-weight="bold">{text(unit)}</text>']
    axis_y = top + plot_height
    for tick in _ticks(top_value):
        x = label_width + tick * scale
        body.append(
            f'<line x1="{_num(x)}" y1="{top}" x2="{_num(x)}" y2="{_num(axis_y)}" '
            'stroke="#e3e3e3"/>'
            f'<text x="{_num(x)}" y="{_num(axis_y + 14)}" {FONT} text-anchor="middle">'
            f"{text(format_value(tick))}</text>"
        )
    for index, bar in enumerate(bars):
        y = top + index * (bar_height + gap)
        width = max(bar.value * scale, 1)
        label = text(_short(bar.label, 42))
        if bar.href:
            label = f'<a href="{text(bar.href)}">{label}</a>'
        body.append(
            f'<g class="bar"><title>{text(bar.title)}</title>'
            f'<text x="{label_width - 6}" y="{_num(y + 12)}" {FONT} text-anchor="end">'
            f"{label}</text>"
            f'<rect x="{label_width}" y="{_num(y)}" width="{_num(width)}" height="{bar_height}" '
            f'fill="{colours(bar.accelerator)}"/>'
            f'<text x="{_num(label_width + width + 4)}" y="{_num(y + 12)}" {FONT}>'
            f"{text(format_value(bar.value))}</text></g>"
        )
    legend, legend_height = _legend(colours, label_width, axis_y + 30)
    body.extend(legend)
    width = label_width + plot_width + 90
    return _svg(width, axis_y + 40 + legend_height, title, body)


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    title: str
    colour_key: str = ""
    label: str = ""


def scatter(
    points: Sequence[Point], *, title: str, x_label: str, y_label: str, coloured: bool = True
) -> str:
    """Points on linear axes from the smallest to the largest value (padded)."""
    colours = Colours.for_names(p.colour_key for p in points)
    left, top, width, height = 70, 20, 560, 320
    xs, ys = [p.x for p in points] or [0.0, 1.0], [p.y for p in points] or [0.0, 1.0]
    x_lo, x_hi = _padded(min(xs), max(xs))
    y_lo, y_hi = _padded(min(ys), max(ys))

    def px(x: float) -> float:
        return left + (x - x_lo) / (x_hi - x_lo) * width

    def py(y: float) -> float:
        return top + height - (y - y_lo) / (y_hi - y_lo) * height

    body = _axes(left, top, width, height, (x_lo, x_hi), (y_lo, y_hi), x_label, y_label)
    for point in points:
        colour = colours(point.colour_key) if coloured else PALETTE[0]
        body.append(
            f'<circle cx="{_num(px(point.x))}" cy="{_num(py(point.y))}" r="5" fill="{colour}" '
            f'fill-opacity="0.85" stroke="#333" stroke-width="0.5">'
            f"<title>{text(point.title)}</title></circle>"
        )
    extra = 0.0
    if coloured:
        legend, extra = _legend(colours, left, top + height + 44)
        body.extend(legend)
    return _svg(left + width + 30, top + height + 50 + extra, title, body)


@dataclass(frozen=True)
class Step:
    """One round of a history line: its label, its best value, and whether it is comparable
    with the step before (same comparison key)."""

    label: str
    value: float
    title: str
    joined: bool
    note: str = ""  # where the measure changed: the new comparison key


def history(steps: Sequence[Step], *, title: str, y_label: str) -> str:
    """Best value per round, equally spaced in time order; a line only joins comparable
    neighbours, and a dashed mark stands where the comparison changes."""
    left, top, width, height = 70, 20, 560, 300
    values = [s.value for s in steps] or [1.0]
    y_hi = _nice_max(max(values))
    count = max(len(steps), 1)

    def px(index: int) -> float:
        return left + (index + 0.5) * width / count

    def py(value: float) -> float:
        return top + height - value / y_hi * height

    body = _axes(left, top, width, height, None, (0.0, y_hi), "", y_label)
    for index, step in enumerate(steps):
        x, y = px(index), py(step.value)
        if index and step.joined:
            before = steps[index - 1]
            body.append(
                f'<line class="link" x1="{_num(px(index - 1))}" y1="{_num(py(before.value))}" '
                f'x2="{_num(x)}" y2="{_num(y)}" stroke="{PALETTE[0]}" stroke-width="2"/>'
            )
        elif index:
            middle = (px(index - 1) + x) / 2
            body.append(
                f'<g class="break"><title>{text(step.note)}</title>'
                f'<line x1="{_num(middle)}" y1="{top}" x2="{_num(middle)}" '
                f'y2="{top + height}" stroke="{PALETTE[3]}" stroke-dasharray="4 3"/></g>'
            )
        body.append(
            f'<circle cx="{_num(x)}" cy="{_num(y)}" r="5" fill="{PALETTE[0]}">'
            f"<title>{text(step.title)}</title></circle>"
            f'<text x="{_num(x)}" y="{top + height + 16}" {FONT} text-anchor="middle">'
            f"{text(step.label)}</text>"
        )
    return _svg(left + width + 30, top + height + 30, title, body)


def _padded(lo: float, hi: float) -> tuple[float, float]:
    if hi <= lo:
        return (lo - 1, hi + 1) if lo else (0.0, 1.0)
    pad = (hi - lo) * 0.06
    return lo - pad, hi + pad


def _axes(
    left: float,
    top: float,
    width: float,
    height: float,
    x_range: tuple[float, float] | None,
    y_range: tuple[float, float],
    x_label: str,
    y_label: str,
) -> list[str]:
    body = [
        f'<rect x="{left}" y="{top}" width="{width}" height="{height}" fill="none" stroke="#bbb"/>'
    ]
    lo, hi = y_range
    for i in range(5):
        value = lo + (hi - lo) * i / 4
        y = top + height - height * i / 4
        body.append(
            f'<line x1="{left}" y1="{_num(y)}" x2="{left + width}" y2="{_num(y)}" '
            'stroke="#eee"/>'
            f'<text x="{left - 6}" y="{_num(y + 4)}" {FONT} text-anchor="end">'
            f"{text(format_value(value))}</text>"
        )
    if x_range is not None:
        lo, hi = x_range
        for i in range(5):
            value = lo + (hi - lo) * i / 4
            x = left + width * i / 4
            body.append(
                f'<text x="{_num(x)}" y="{top + height + 16}" {FONT} text-anchor="middle">'
                f"{text(format_value(value))}</text>"
            )
    if x_label:
        body.append(
            f'<text x="{left + width / 2}" y="{top + height + 34}" {FONT} '
            f'text-anchor="middle">{text(x_label)}</text>'
        )
    body.append(
        f'<text x="14" y="{top + height / 2}" {FONT} text-anchor="middle" '
        f'transform="rotate(-90 14 {top + height / 2})">{text(y_label)}</text>'
    )
    return body
