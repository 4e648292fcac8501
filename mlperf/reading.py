"""Reading a submission for a round: the generic reader with the round's file policy."""

from __future__ import annotations

import os

from .profiles import RoundRules
from .tree import Limits, Progress, SubmissionTree
from .tree import read_tree as read_with_policy


def read_tree(
    source: str | os.PathLike[str],
    limits: Limits | None = None,
    *,
    rules: RoundRules | None = None,
    label: str | None = None,
    progress: Progress | None = None,
) -> SubmissionTree:
    """Read a folder or archive, keeping what the round's checker parses.

    Without ``rules``, what every era's checker parses is kept (the base
    checker's policy, which the era checkers share).
    """
    from .checker import Checker
    from .registry import checker_class

    policy = checker_class(rules).file_policy if rules is not None else Checker.file_policy
    return read_with_policy(source, limits, label=label, progress=progress, policy=policy)
