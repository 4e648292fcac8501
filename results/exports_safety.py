"""Cells safe to open in a spreadsheet (CSV injection, as OWASP describes it).

A spreadsheet runs a cell that begins with ``=``, ``+``, ``-`` or ``@`` (or a tab
or carriage return before one) as a formula: a system name such as
``=HYPERLINK("http://evil", "click")`` would. OWASP's remedy is to prefix such a
cell with a single quote, which spreadsheets show as text. Plain numbers
(``-0.5``, ``1e-3``) are left as they are: they are no formula, and a quote would
turn them into text.
"""

from __future__ import annotations

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n")


def _is_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return False
    return True


def spreadsheet_cell(text: str) -> str:
    """``text`` as a CSV or XLSX cell that no spreadsheet will evaluate."""
    stripped = text.lstrip(" ")
    if stripped.startswith(FORMULA_STARTS) and not _is_number(stripped):
        return "'" + text
    return text
