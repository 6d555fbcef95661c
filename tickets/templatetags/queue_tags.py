from datetime import datetime

from django import template
from django.utils import timezone

register = template.Library()


@register.filter
def waited(since: datetime | None, now: datetime | None = None) -> str:
    """How long ago, as a queue shows it: "5 min", "3 h", "2 d"."""
    if since is None:
        return ""
    seconds = max(0, int(((now or timezone.now()) - since).total_seconds()))
    if seconds < 3600:
        return f"{max(1, seconds // 60)} min"
    if seconds < 2 * 86400:
        return f"{seconds // 3600} h"
    return f"{seconds // 86400} d"
