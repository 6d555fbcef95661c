"""A tag's name, normalised once, here: lower case, words joined by "-", so
"VIP customer" and "vip-customer" are the same tag."""

import re

from django.core.exceptions import ValidationError

from tickets.models.tags import TAG_MAX_LENGTH

ALLOWED = re.compile(r"^[\w][\w.+-]*$")


def normalise_tag(name: str) -> str:
    """The tag as stored, or ValidationError saying what is wrong with it."""
    tag = "-".join(str(name).lower().split())
    if not tag:
        raise ValidationError("Type a tag first.")
    if len(tag) > TAG_MAX_LENGTH:
        raise ValidationError(f"A tag is at most {TAG_MAX_LENGTH} characters.")
    if not ALLOWED.match(tag):
        raise ValidationError(
            f"“{tag}” is not a tag: use letters, digits and - . _ + (no commas or symbols)."
        )
    return tag


def parse_tags(text: str) -> list[str]:
    """Comma-separated names (a form field), normalised, each once."""
    return list(dict.fromkeys(normalise_tag(part) for part in text.split(",") if part.strip()))
