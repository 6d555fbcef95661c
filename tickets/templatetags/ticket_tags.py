import re
import threading
from functools import lru_cache

import snowballstemmer
from django import template
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from tickets.services import user_label

register = template.Library()


_stemmer = snowballstemmer.stemmer("english")
_stemmer_lock = threading.Lock()  # a stemmer keeps state between calls


@lru_cache(maxsize=20_000)  # stemming is the filter's main cost; words recur
def _stem(word: str) -> str:
    with _stemmer_lock:
        return _stemmer.stemWord(word)


_WORD = re.compile(r"[^\W_]+")


@register.filter
def highlight(text: str, terms) -> SafeString:
    """Escape ``text`` and wrap in <mark> the words that matched: the engine's
    terms are stems ("generat", "tri"), so a word matches when it starts with
    one or stems to one ("generation", "tries")."""
    wanted = {t.lower() for t in (terms or ()) if t and t.strip()}
    text = text or ""
    if not wanted:
        return escape(text)

    def matches(word: str) -> bool:
        lowered = word.lower()
        return _stem(lowered) in wanted or any(lowered.startswith(t) for t in wanted)

    # Escape each piece on its own, so a mark never lands inside an entity.
    parts, last = [], 0
    for match in _WORD.finditer(text):
        if matches(match.group(0)):
            parts += [escape(text[last : match.start()]), f"<mark>{escape(match.group(0))}</mark>"]
            last = match.end()
    parts.append(escape(text[last:]))
    return mark_safe("".join(parts))


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
    return user_label(user)
