from datetime import datetime, timedelta

from django import template
from django.utils import timezone
from django.utils.timesince import timesince

register = template.Library()


@register.filter
def who(user, default: str = "—") -> str:
    """A person's name; ``default`` when there is nobody (an import, a deleted user)."""
    if user is None:
        return default
    return user.get_full_name() or user.get_username()


@register.filter
def percent(rate: float | None) -> str:
    return "—" if rate is None else f"{round(rate * 100)} %"


@register.filter
def ago(moment: datetime | None) -> str:
    """Says "just now" under a minute (timesince alone says "0 minutes"), else "3 hours ago"."""
    if moment is None:
        return ""
    if timezone.now() - moment < timedelta(minutes=1):
        return "just now"
    return f"{timesince(moment)} ago"
