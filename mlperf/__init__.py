"""The MLPerf submission checker: plain Python, no Django.

``read_tree`` reads a folder or an archive into an index, ``check_tree``
applies a round's profile (its rules, ``profiles.RoundRules``) to it with the
checker class of the round's era, and returns systems, results and findings.
"""

from .checker import CheckReport, Rejection, ResultRecord, SystemRecord, check_tree
from .findings import RULES, Finding, Level, Rule
from .profiles import (
    ProfileError,
    RoundRules,
    bundled_versions,
    load_round_data,
    load_round_rules,
)
from .reading import read_tree
from .tree import Limits, SubmissionTree, UnreadableInput

__all__ = [
    "RULES",
    "CheckReport",
    "Finding",
    "Level",
    "Limits",
    "ProfileError",
    "Rejection",
    "ResultRecord",
    "RoundRules",
    "Rule",
    "SubmissionTree",
    "SystemRecord",
    "UnreadableInput",
    "bundled_versions",
    "check_tree",
    "load_round_data",
    "load_round_rules",
    "read_tree",
]
