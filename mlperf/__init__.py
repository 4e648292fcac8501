"""The MLPerf submission checker: plain Python, no Django.

``read_tree`` reads a folder or an archive into an index, ``check_tree``
applies a round's rules to it and returns systems, results and findings.
"""

from .checker import CheckReport, Rejection, ResultRecord, SystemRecord, check_tree
from .findings import RULES, Finding, Level, Rule
from .rules import RoundRules, load_round_data, load_round_rules
from .tree import Limits, SubmissionTree, UnreadableInput, read_tree

__all__ = [
    "RULES",
    "CheckReport",
    "Finding",
    "Level",
    "Limits",
    "Rejection",
    "ResultRecord",
    "RoundRules",
    "Rule",
    "SubmissionTree",
    "SystemRecord",
    "UnreadableInput",
    "check_tree",
    "load_round_data",
    "load_round_rules",
    "read_tree",
]
