"""A macro's placeholders: a fixed whitelist of names, substituted as plain text.

Macros are written by users, so they are never Django templates: nothing is
looked up by attribute, nothing is evaluated, ``{% tags %}`` mean nothing. A
placeholder outside the whitelist stays in the text as written, and the macro
form refuses it when the macro is saved, so its author hears about it first.
The result is plain text (a reply's ``body_text``); pages escape it when they
show it, like any message.
"""

import re
from collections.abc import Callable

from tickets.models import Ticket

# {{ name }} with any spacing; {% ... %} is matched only to be reported.
PLACEHOLDER = re.compile(r"\{\{\s*([^{}]*?)\s*\}\}")
TEMPLATE_TAG = re.compile(r"\{%.*?%\}|\{#.*?#\}", re.DOTALL)


def _first_name(full: str) -> str:
    return full.split()[0] if full.split() else ""


# name -> (what it says, how it is read from (ticket, agent)).
PLACEHOLDERS: dict[str, tuple[str, Callable]] = {
    "customer.first_name": (
        "the customer's first name (“there” when we do not know it)",
        lambda t, a: _first_name(t.customer.name) or "there",
    ),
    "customer.name": (
        "the customer's name, else their email",
        lambda t, a: t.customer.name or t.customer.email,
    ),
    "customer.email": ("the customer's email", lambda t, a: t.customer.email),
    "ticket.number": ("the ticket number, #1234", lambda t, a: t.number),
    "ticket.subject": ("the ticket's subject", lambda t, a: t.subject),
    "inbox.name": ("the ticket's inbox", lambda t, a: t.inbox.name),
    "agent.first_name": (
        "your first name",
        lambda t, a: a.first_name or a.get_username(),
    ),
    "agent.name": ("your full name", lambda t, a: a.get_full_name() or a.get_username()),
}


def unknown_placeholders(text: str) -> list[str]:
    """Every ``{{ … }}`` not in the whitelist and every ``{% … %}``, as written."""
    unknown = [m.group(0) for m in PLACEHOLDER.finditer(text) if m.group(1) not in PLACEHOLDERS]
    unknown += [m.group(0) for m in TEMPLATE_TAG.finditer(text)]
    return list(dict.fromkeys(unknown))


def render_placeholders(text: str, *, ticket: Ticket, agent) -> str:
    """``text`` with each known placeholder replaced by its value, once: a
    value that itself looks like a placeholder (a customer named
    "{{ agent.name }}") is not substituted again."""

    def value(match: re.Match) -> str:
        known = PLACEHOLDERS.get(match.group(1))
        return str(known[1](ticket, agent)) if known else match.group(0)

    return PLACEHOLDER.sub(value, text)
