"""Formatting of report figures: rates as percentages, seconds as durations."""

from django import template

register = template.Library()


@register.filter
def percent(value: float | None, digits: int = 0) -> str:
    if value is None:
        return "–"
    return f"{value * 100:.{digits}f}%"


@register.filter
def duration(seconds: float | None) -> str:
    """3 min, 4.5 h, 2.1 d: the largest unit that keeps the number readable."""
    if seconds is None:
        return "–"
    if seconds < 3600:
        return f"{seconds / 60:.0f} min"
    if seconds < 86400 * 2:
        return f"{seconds / 3600:.1f} h"
    return f"{seconds / 86400:.1f} d"
