import re

from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

register = template.Library()


@register.filter
def highlight(text: str, terms) -> SafeString:
    """Escape ``text`` and wrap the matched words (and words starting with them,
    so stems match "generating") in <mark>."""
    words = sorted({t for t in (terms or ()) if t and t.strip()}, key=len, reverse=True)
    escaped = escape(text or "")
    if not words:
        return mark_safe(escaped)
    pattern = re.compile(
        r"\b(" + "|".join(re.escape(escape(w)) for w in words) + r")\w*", re.IGNORECASE
    )
    return mark_safe(pattern.sub(lambda m: f"<mark>{m.group(0)}</mark>", escaped))


@register.filter
def get_item(mapping: dict, key):
    return mapping.get(key) if mapping else None


@register.filter
def duration_words(delta) -> str:
    """ "2 days", "5 hours", "12 minutes": how long until a resolution broke."""
    if delta is None:
        return ""
    seconds = int(delta.total_seconds())
    for size, name in ((86400, "day"), (3600, "hour"), (60, "minute")):
        if seconds >= size:
            n = seconds // size
            return f"{n} {name}{'s' if n != 1 else ''}"
    return "moments"


@register.filter
def person(user) -> str:
    """A user's full name, else their username; empty for nobody."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()
