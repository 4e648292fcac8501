"""The v6.0 layout: a result's measurements and compliance tests live in its own folder.

What changes in kind from v5.1 (rounds §2.1, §2.6):

- ``results/<sys>/<bm>/<sc>/`` holds ``measurements.json`` (a fixed name),
  ``user.conf`` and ``README.md`` beside the runs, and the ``TESTxx`` folders
  that ``compliance/`` held; there are no ``measurements/`` or
  ``compliance/`` trees;
- the code is in ``<div>/<org>/src`` (``code/`` is accepted with a warning,
  as two published submitters still use it).

The new benchmarks, the accuracy metrics and the compliance tests of the
round (TEST07, TEST08, TEST09) are the profile's.
"""

from __future__ import annotations

from typing import Any

from ..checker import Add, SystemRecord
from ..findings import Level
from ..parsers import IMPLEMENTATION_KEYS, JSONProblem, load_json_object
from .v5_1 import V51Checker

MEASUREMENT_FILES = ("user.conf", "README.md")


class V60Checker(V51Checker):
    def compliance_path(self, base: str, rel: str) -> str:
        return f"{base}/results/{rel}"

    def report_orphans(self, base: str, area: str) -> None:
        return None  # neither measurements/ nor compliance/ exists in this layout

    def check_measurements(
        self,
        system: SystemRecord,
        model_folder: str,
        folder: str,
        add: Add,
        not_checked: list[str],
    ) -> dict[str, Any]:
        base = f"{system.division}/{system.submitter}"
        path = f"{base}/results/{system.system_id}/{model_folder}/{folder}"
        self.check_measurement_files(path, MEASUREMENT_FILES, add, not_checked)
        self.check_code_folder(system, add, not_checked)
        entry = self.tree.get(f"{path}/measurements.json")
        if entry is None:
            add(path, "M2", self.severity("M2"), "is missing measurements.json")
            return {}
        try:
            data = load_json_object(entry.text())
        except JSONProblem as exc:
            add(f"{path}/measurements.json", "M2", self.severity("M2"), str(exc))
            return {}
        missing = [key for key in IMPLEMENTATION_KEYS if not data.get(key)]
        if missing:
            add(
                f"{path}/measurements.json",
                "M2",
                self.severity("M2"),
                "missing or empty key(s): " + ", ".join(missing),
            )
        return {"file": "measurements.json", **data}

    def check_code_folder(self, system: SystemRecord, add: Add, not_checked: list[str]) -> None:
        base = f"{system.division}/{system.submitter}"
        if self.tree.is_dir(f"{base}/src"):
            return
        if self.tree.is_dir(f"{base}/code"):
            add(f"{base}/code", "M3", Level.WARNING, "the code is in code/; from v6.0 it is src/")
        elif self.strict:
            add(f"{base}/src", "M3", Level.WARNING, "no src/ folder with the code")
        else:
            not_checked.append("M3 (src/)")
