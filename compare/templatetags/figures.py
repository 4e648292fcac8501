"""``{{ value|figure }}``: a number as the round tables write it (results.formatting)."""

from django import template

from results.formatting import format_value

register = template.Library()


@register.filter
def figure(value: float | None) -> str:
    return format_value(value)
