"""How numbers and text read on the pages (the downloads keep full precision)."""

from __future__ import annotations

import html


def format_value(value: float | None) -> str:
    """Thousands separated with two decimals from 100 up; four significant figures below."""
    if value is None:
        return ""
    if abs(value) >= 100:
        return f"{value:,.2f}"
    text = f"{value:.4g}"
    if "e" in text:  # keep tiny latencies readable, never in exponent form
        text = f"{value:.6f}".rstrip("0").rstrip(".")
    return text


def escape_html(value) -> str:
    """conditional_escape without its lazy-string wrapper, which is slow in a hot loop."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))
