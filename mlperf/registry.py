"""Which checker class applies a round's profile: one entry per era.

A round whose rules change only in value needs a profile file; a round whose
rules change in kind adds a class (a subclass of the previous era's, which
overrides its hooks) and a line here.
"""

from __future__ import annotations

from .checker import Checker, CheckReport
from .mobile import MobileChecker
from .profiles import RoundRules
from .rounds.v0_5 import V05Checker
from .rounds.v1_0 import V10Checker
from .rounds.v2_0 import V20Checker
from .rounds.v4_0 import V40Checker
from .rounds.v5_1 import V51Checker
from .rounds.v6_0 import V60Checker
from .tree import SubmissionTree

ERAS: dict[str, type[Checker]] = {
    "v0.5": V05Checker,
    "v0.7": Checker,
    "v1.0": V10Checker,
    "v2.0": V20Checker,
    "v4.0": V40Checker,
    "v5.1": V51Checker,
    "v6.0": V60Checker,
    # The mobile suite: the app's report, not the inference layout (mobile.py).
    "mobile": MobileChecker,
}


class UnknownEra(KeyError):
    pass


def checker_class(rules: RoundRules) -> type[Checker]:
    try:
        return ERAS[rules.checker]
    except KeyError:
        raise UnknownEra(
            f"{rules.version}: no checker for era {rules.checker!r} (known: {', '.join(ERAS)})"
        ) from None


def check_tree(
    tree: SubmissionTree,
    rules: RoundRules,
    *,
    strict: bool = False,
    submitters: set[str] | None = None,
) -> CheckReport:
    """Check every submitter folder of ``tree`` (or only ``submitters``, by folder name),
    with the checker class of the round's era (``rules.checker``)."""
    return checker_class(rules).check(tree, rules, strict=strict, submitters=submitters)
