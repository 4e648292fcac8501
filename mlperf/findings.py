"""Findings: what the checker says about one file, under one rule.

A finding's level decides what happens to the item it names:

- ``error``: the item (system, benchmark folder or result) is rejected, as
  the official checker's fatal conditions (F1-F11) do;
- ``warning``: the result stands but a reviewer must waive it, as the v0.7
  review waived the checker's non-fatal ERROR lines;
- ``info``: for the record (checks that could not run, inferred results,
  ignored extras).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from enum import StrEnum


class Level(StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True)
class Rule:
    code: str
    title: str
    section: str


_RULES = [
    # Input that cannot be read at all, or is hostile.
    Rule("IN1", "The input is a folder or a supported archive", "§2.1"),
    Rule("IN2", "Archive member names are safe relative paths", "§2.1"),
    Rule("IN3", "Only regular files and folders", "§2.1"),
    Rule("IN4", "Size and count limits", "§2.1"),
    Rule("IN5", "Text files are UTF-8", "§13"),
    Rule("IN6", "Top-level folders are closed/ or open/", "§1.1"),
    # The tree (§2).
    Rule("T1", "Every submitter folder has results/", "§2.1"),
    Rule("T2", "Unrecognised files and orphan folders", "§13 (Q10, Q11, Q16, Q17, Q26)"),
    # System description JSON (§3).
    Rule("F1", "systems/<sys>.json exists for each results/<sys>", "§3.2"),
    Rule("F2", "status is a known category", "§3.2, §3.3"),
    Rule("F3", "system_type is a suite of the round", "§3.2"),
    Rule("F4", "Required fields, submitter and division match the folders", "§3.2"),
    Rule("S1", "The system JSON parses, with the right value types", "§3.1, §13"),
    Rule("S2", "Unknown system JSON keys", "§3.2"),
    Rule("S3", "The fields that need a value are not empty", "rounds §3.1"),
    # Benchmarks and scenarios (§1.2, §5).
    Rule("F5", "Closed benchmark folders name a benchmark of the round", "§1.2"),
    Rule("F6", "The benchmark belongs to the system's suite", "§5.1"),
    Rule("F7", "Closed scenarios are required or optional for the suite", "§5.2"),
    Rule("F11", "Closed benchmarks have every required scenario", "§5.2"),
    Rule("B1", "Closed folder names map without substring guessing", "§1.2, §13 (Q13)"),
    Rule("B2", "Scenario folder names are known", "§1.1"),
    Rule("B3", "One folder per benchmark and scenario in closed", "§9"),
    # Measurements (§4).
    Rule("F8", "measurements/<sys>/<bm>/<sc>/ exists", "§2.2"),
    Rule("M1", "mlperf.conf, user.conf and README.md in measurements", "§2.2"),
    Rule("M2", "One implementation JSON named <sys>*.json with the 5 keys", "§4"),
    Rule("M3", "code/<bm>/<impl> exists", "§4.1"),
    # Performance (§6).
    Rule("P1", "The performance run is VALID", "§6.4"),
    Rule("P2", "performance_sample_count reaches the QSL size", "§6.4"),
    Rule("P3", "No ERROR lines in mlperf_log_detail.txt", "§6.4"),
    Rule("P4", "The run's logs exist and parse", "§6.4"),
    Rule("P5", "RNG seeds are the round's", "§6.4"),
    Rule("P6", "99th percentile latency within the bound", "§6.4.1"),
    Rule("P7", "min_query_count reaches the minimum", "§6.4.1"),
    Rule("P8", "Offline samples_per_query reaches 24576", "§6.4"),
    Rule("P9", "min_duration is at least 60 s", "§6.4"),
    Rule("P10", "Server has run_1 to run_5", "§2.3"),
    Rule("P11", "The log's scenario matches its folder", "§5.3, §6.3"),
    Rule("P12", "Early stopping is met", "rounds §4.5"),
    Rule("P13", "Token latencies (TTFT, TPOT) within the limits", "rounds §4.6"),
    # Power (v1.0 on; rounds §8).
    Rule("PW1", "A power result has its power files", "rounds §2.4"),
    Rule("PW2", "Power samples cover the testing run", "rounds §8.2"),
    Rule("PW3", "The power logs belong to this run", "rounds §8.1"),
    # Accuracy (§7).
    Rule("A1", "accuracy/accuracy.txt exists", "§7.2"),
    Rule("A2", "Accuracy reaches the closed target", "§7.2"),
    Rule("A3", "accuracy.txt has a hash= line", "§7.2"),
    Rule("A4", "mlperf_log_accuracy.json exists, at most 10240 bytes", "§7.2"),
    Rule("A5", "No ERROR lines in the accuracy run's detail log", "§7.2"),
    Rule("A6", "The accuracy folder holds exactly the four files", "§7.2"),
    Rule("A7", "The accuracy folder holds the benchmark's extra files", "rounds §5.5"),
    # Compliance (§8).
    Rule("C1", "The compliance tests of the benchmark and scenario pass", "§8"),
    # Notes the checker makes for the record.
    Rule("N1", "Checks that could not run", "§13"),
    Rule("N2", "Result inferred from a run of another scenario", "§5.3, rounds §7"),
    Rule("N3", "Figure with fewer digits than the official one", "rounds §4.1"),
    Rule("N4", "Files absent from the published snapshot", "rounds §2.8"),
]

RULES: dict[str, Rule] = {rule.code: rule for rule in _RULES}


@dataclass(frozen=True)
class Finding:
    path: str
    rule: str
    level: Level
    message: str

    @property
    def section(self) -> str:
        return RULES[self.rule].section

    @property
    def title(self) -> str:
        return RULES[self.rule].title

    def as_dict(self) -> dict[str, str]:
        data = asdict(self)
        data["level"] = str(self.level)
        data["section"] = self.section
        return data

    def __str__(self) -> str:
        return f"{self.level.upper()} [{self.rule}] {self.path}: {self.message}"
