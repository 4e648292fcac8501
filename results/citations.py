"""How to cite a result: plain text and BibTeX, built from what the system page shows.

A citation names the result ID (the row people cite), the round, division,
category, benchmark, scenario, value and unit, the date it was retrieved and
the permalink ``/id/<result ID>``. Names come from submitted archives, so the
BibTeX escapes TeX's special characters; the page escapes the HTML.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.urls import reverse

from .models import Entry, Result, System

PUBLISHER = "MLCommons"


@dataclass(frozen=True)
class Citation:
    result_id: str
    round_title: str
    version: str
    year: int | None
    division: str
    category: str
    submitter: str
    system: str
    benchmark: str
    scenario: str
    value: float
    unit: str
    withdrawn: bool
    retrieved: dt.date
    permalink: str

    @property
    def key(self) -> str:
        """A BibTeX key: letters, digits and dashes only."""
        raw = f"mlperf-{self.result_id}-{self.benchmark}-{self.scenario}"
        return re.sub(r"[^A-Za-z0-9-]+", "-", raw).strip("-").lower()

    @property
    def figure(self) -> str:
        return f"{self.value!r} {self.unit}"

    @property
    def text(self) -> str:
        withdrawn = " (since withdrawn)" if self.withdrawn else ""
        return (
            f"{PUBLISHER}, {self.round_title}, result {self.result_id}: {self.benchmark} "
            f"{self.scenario}, {self.division} division, {self.category} category, "
            f"{self.submitter} {self.system}: {self.figure}{withdrawn}. "
            f"{self.permalink} (retrieved {self.retrieved.isoformat()})."
        )

    @property
    def bibtex(self) -> str:
        note = (
            f"{self.division} division, {self.category} category; {self.submitter} "
            f"{self.system}; {self.figure}{'; since withdrawn' if self.withdrawn else ''}"
        )
        lines = [
            f"@misc{{{self.key},",
            f"  author       = {{{{{tex(PUBLISHER)}}}}},",
            f"  title        = {{{{{tex(self.round_title)}, result {tex(self.result_id)}: "
            f"{tex(self.benchmark)} {tex(self.scenario)}}}}},",
            f"  howpublished = {{\\url{{{url_tex(self.permalink)}}}}},",
            f"  note         = {{{tex(note)}}},",
        ]
        if self.year:
            lines.append(f"  year         = {{{self.year}}},")
        lines.append(f"  urldate      = {{{self.retrieved.isoformat()}}}")
        lines.append("}")
        return "\n".join(lines)


_TEX = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "^": r"\^{}",
    "~": r"\~{}",
}
_TEX_SPECIAL = re.compile("|".join(re.escape(c) for c in _TEX))
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def tex(value: str) -> str:
    """Text safe inside a BibTeX field: TeX's specials escaped, control characters gone."""
    return _TEX_SPECIAL.sub(lambda m: _TEX[m.group(0)], _CONTROL.sub(" ", value))


def url_tex(value: str) -> str:
    # \url takes the URL nearly verbatim; only braces, % and # would end or break it.
    return re.sub(r"[{}%#\\\s]", lambda m: f"%{ord(m.group(0)):02X}", value)


def for_result(
    system: System, entry: Entry, result: Result, *, base_url: str, retrieved: dt.date
) -> Citation | None:
    """The citation of one result; None before the row has a result ID (a draft)."""
    if not entry.result_id:
        return None
    round_ = system.round
    return Citation(
        result_id=entry.result_id,
        round_title=round_.title or round_.version,
        version=round_.version,
        year=round_.published_at.year if round_.published_at else None,
        division=system.division_label,
        category=system.category.name,
        submitter=system.submitter.name,
        system=system.name,
        benchmark=result.benchmark.slug,
        scenario=result.scenario.name,
        value=result.value,
        unit=result.unit,
        withdrawn=result.withdrawn_at is not None or system.withdrawn_at is not None,
        retrieved=retrieved,
        permalink=base_url.rstrip("/") + reverse("results:result-id", args=[entry.result_id]),
    )


def attach(system: System, *, base_url: str, retrieved: dt.date) -> None:
    """Give each row of a system (as system_detail prefetched them) its ``citations``."""
    for entry in system.entries.all():
        found = [
            for_result(system, entry, result, base_url=base_url, retrieved=retrieved)
            for result in entry.results.all()
        ]
        entry.citations = [c for c in found if c is not None]  # type: ignore[attr-defined]  # for the template
