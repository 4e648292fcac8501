"""Parsers for the files of a v0.7 submission, each a pure function of text."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field

# §6.2: the key runs over letters, digits, _, spaces, '.', '(', ')' and '/';
# the value starts with a letter, digit, '_', '+' or '.' and runs over those
# and whitespace, so '-', '%', ':' and '"' end it.
_SUMMARY_LINE = re.compile(r"^([\w\s.()/]+):\s*([\w+.][\w+.\s]*)")
_VALID_LINE = re.compile(r"^Result is\s*:\s*VALID")


@dataclass
class LogSummary:
    values: dict[str, str]
    valid: bool

    def get(self, key: str) -> str | None:
        return self.values.get(key)

    @property
    def scenario(self) -> str | None:
        raw = self.values.get("Scenario")
        return raw.replace(" ", "") if raw else None

    def number(self, key: str) -> float | None:
        raw = self.values.get(key)
        if raw is None:
            return None
        try:
            return float(raw)
        except ValueError:
            return None

    def integer(self, key: str) -> int | None:
        raw = self.values.get(key)
        if raw is None:
            return None
        try:
            return int(raw)
        except ValueError:
            return None


def parse_summary(text: str) -> LogSummary:
    """Parse ``mlperf_log_summary.txt`` the way the v0.7 checker does (§6.2)."""
    values: dict[str, str] = {}
    valid = False
    for line in text.splitlines():
        if line.startswith("Result is") and _VALID_LINE.match(line):
            valid = True
        if line.startswith(" * "):
            line = line[3:]  # v2.0+ early-stopping lines: " * Early stopping ...: 706035"
        match = _SUMMARY_LINE.match(line)
        if match:
            values[match.group(1).strip()] = match.group(2).strip()
    return LogSummary(values, valid)


@dataclass
class AccuracyReading:
    raw: str | None  # the captured figure, as printed
    hashes: list[str] = field(default_factory=list)

    @property
    def value(self) -> float | None:
        return float(self.raw) if self.raw is not None else None


_HASH_LINE = re.compile(r"^hash=([0-9a-fA-F]+)\s*$")


def parse_accuracy(text: str, pattern: re.Pattern[str]) -> AccuracyReading:
    """Read ``accuracy.txt`` (§7.1).

    Like the checker, keep the last metric match seen before both a metric
    and a ``hash=`` line have been found (so a hand-added ``AUC=`` line after
    a first hash still counts, Q19). Unlike the checker, every hash line is
    collected.
    """
    raw: str | None = None
    hashes: list[str] = []
    done = False
    for line in text.splitlines():
        hash_match = _HASH_LINE.match(line)
        if hash_match:
            hashes.append(hash_match.group(1))
        if done:
            continue
        match = pattern.match(line)
        if match:
            try:
                float(match.group(1))
            except ValueError:
                pass
            else:
                raw = match.group(1)
        if raw is not None and hashes:
            done = True
    return AccuracyReading(raw, hashes)


def parse_accuracy_lines(text: str, patterns: dict[str, re.Pattern[str]]) -> dict:
    """Read ``accuracy.txt`` as the checkers from v3.1 on do (rounds §5.4).

    Every line is tried against every metric's pattern; each metric keeps
    every figure it matched (all must pass), the last one being the figure
    reported; reading stops once every metric has been seen and a ``hash=``
    line found. Lines are read with their line ends stripped, so CRLF files
    read as LF ones (rounds D6).
    """
    seen: dict[str, list[str]] = {name: [] for name in patterns}
    hashes: list[str] = []
    for line in text.splitlines():
        line = line.rstrip("\r")
        hash_match = _HASH_LINE.match(line)
        if hash_match:
            hashes.append(hash_match.group(1))
        for name, pattern in patterns.items():
            match = pattern.match(line)
            if match:
                try:
                    float(match.group(1))
                except ValueError:
                    continue
                seen[name].append(match.group(1))
        if hashes and all(seen.values()):
            break
    return {"figures": seen, "hashes": hashes}


# ---------------------------------------------------------------------------
# System description JSON (§3)

REQUIRED_SYSTEM_FIELDS = (
    "division",
    "submitter",
    "status",
    "system_name",
    "number_of_nodes",
    "host_processor_model_name",
    "host_processors_per_node",
    "host_processor_core_count",
    "host_memory_capacity",
    "host_storage_capacity",
    "host_storage_type",
    "accelerators_per_node",
    "accelerator_model_name",
    "accelerator_memory_capacity",
    "framework",
    "operating_system",
)
OPTIONAL_SYSTEM_FIELDS = (
    "system_type",
    "other_software_stack",
    "accelerator_memory_configuration",
    "accelerator_frequency",
    "accelerator_on-chip_memories",
    "accelerator_host_interconnect",
    "accelerator_interconnect",
    "accelerator_interconnect_topology",
    "host_processor_frequency",
    "sw_notes",
    "hw_notes",
    "host_memory_configuration",
    "host_networking",
    "host_networking_topology",
    "host_processor_caches",
    "host_processor_interconnect",
    "cooling",
)
# Fields whose JSON value may be an integer as well as a string (Q1).
NUMERIC_SYSTEM_FIELDS = frozenset(
    {
        "number_of_nodes",
        "host_processors_per_node",
        "host_processor_core_count",
        "accelerators_per_node",
    }
)
KNOWN_SYSTEM_FIELDS = frozenset(REQUIRED_SYSTEM_FIELDS + OPTIONAL_SYSTEM_FIELDS)

_EMPTY_MARKERS = {"", "-", "n/a", "na", "none", "null"}


def clean_text(value: object) -> str:
    """Trim and fold the null markers of Q3 to an empty string."""
    text = " ".join(str(value).split()) if value is not None else ""
    return "" if text.lower() in _EMPTY_MARKERS else text


def clean_int(value: object) -> int | None:
    """An integer when the whole trimmed value is one (Q1), else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    text = clean_text(value)
    return int(text) if text.isdigit() else None


class JSONProblem(ValueError):
    pass


def load_json_object(text: str) -> dict:
    """Parse a JSON object; raise :class:`JSONProblem` with a readable reason."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise JSONProblem(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        ) from None
    if not isinstance(data, dict):
        raise JSONProblem(f"expected a JSON object, found {type(data).__name__}")
    return data


def system_type_problems(
    data: dict,
    known: frozenset[str] | set[str] = KNOWN_SYSTEM_FIELDS,
    numeric: frozenset[str] | set[str] | tuple[str, ...] = NUMERIC_SYSTEM_FIELDS,
) -> list[str]:
    """Values of the wrong JSON type: text fields must be strings (§13)."""
    problems = []
    for key, value in data.items():
        if key not in known:
            continue
        if isinstance(value, str):
            continue
        if key in numeric and isinstance(value, int) and not isinstance(value, bool):
            continue
        kind = "null" if value is None else type(value).__name__
        problems.append(f"{key} is {kind}, expected a string")
    return problems


@dataclass
class SystemSummary:
    """The fields the tables show, normalised from a system JSON."""

    name: str
    system_type: str
    status: str
    nodes: int | None
    processor: str
    processors_per_node: int | None
    processor_cores: str
    accelerator: str
    accelerators_per_node: int | None
    software: str
    operating_system: str
    notes: str

    @property
    def processor_count(self) -> int | None:
        if self.processors_per_node is None:
            return None
        return self.processors_per_node * (self.nodes or 1)

    @property
    def accelerator_count(self) -> int | None:
        if not self.accelerator:
            return 0
        if self.accelerators_per_node is None:
            return None
        return self.accelerators_per_node * (self.nodes or 1)


def summarise_system(data: dict, folder_id: str) -> SystemSummary:
    accelerator = clean_text(data.get("accelerator_model_name"))
    per_node = clean_int(data.get("accelerators_per_node"))
    if per_node == 0 or clean_text(data.get("accelerators_per_node")) == "":
        accelerator = ""  # CPU-only systems say "0" or "" (Q3)
    hw_notes = clean_text(data.get("hw_notes"))
    sw_notes = clean_text(data.get("sw_notes"))
    return SystemSummary(
        name=clean_text(data.get("system_name")) or folder_id,
        system_type=clean_text(data.get("system_type")).lower(),
        status=clean_text(data.get("status")),
        nodes=clean_int(data.get("number_of_nodes")),
        processor=clean_text(data.get("host_processor_model_name")),
        processors_per_node=clean_int(data.get("host_processors_per_node")),
        processor_cores=clean_text(data.get("host_processor_core_count")),
        accelerator=accelerator,
        accelerators_per_node=per_node if accelerator else 0,
        software=clean_text(data.get("framework")),
        operating_system=clean_text(data.get("operating_system")),
        notes=". ".join(n for n in (hw_notes, sw_notes) if n),
    )


IMPLEMENTATION_KEYS = (
    "starting_weights_filename",
    "weight_transformations",
    "weight_data_types",
    "input_data_types",
    "retraining",
)


# ---------------------------------------------------------------------------
# Compliance verdicts (§8)


def verdict(text: str) -> bool | None:
    """True for TEST PASS, False for TEST FAIL, None when the file has no verdict (Q23)."""
    if "TEST PASS" in text:
        return True
    if "TEST FAIL" in text:
        return False
    return None
