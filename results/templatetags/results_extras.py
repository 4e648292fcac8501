"""Template filters for accuracy and the public account of the checks (results.accuracy)."""

from django import template

from results import accuracy
from results.formatting import format_value

register = template.Library()


@register.filter
def accuracy_metrics(result):
    return accuracy.metrics(result.accuracy_metrics, result.accuracy_raw)


@register.filter
def not_checked(system):
    """What could not be checked for any of the system's results (files not in the tree)."""
    found: dict[str, None] = {}
    for entry in system.entries.all():
        for result in entry.results.all():
            for item in accuracy.not_in_tree(result.findings):
                found.setdefault(item, None)
    return list(found)


@register.filter
def figure(value: float | None) -> str:
    """A number as the round tables write it (results.formatting)."""
    return format_value(value)
