"""What happened to tickets, for whoever listens (the outgoing webhooks).

The ticket services call ``emit``; listeners subscribe at start-up (tickets.apps),
so the services never import the packages that act on their events. Listeners
run after the transaction commits: a rolled-back ticket is never announced, and
a listener's failure is logged, never the request's.
"""

import logging
from collections.abc import Callable

from django.db import transaction

log = logging.getLogger(__name__)

TICKET_CREATED = "ticket.created"
TICKET_SOLVED = "ticket.solved"
RESOLUTION_NOT_HELD = "resolution.not_held"
CSAT_RECEIVED = "csat.received"

Listener = Callable[[str, int, dict], None]
_listeners: list[Listener] = []


def on_ticket_event(listener: Listener) -> None:
    """Call ``listener(event, ticket_pk, data)`` after each event's transaction commits."""
    if listener not in _listeners:
        _listeners.append(listener)


def _call(listener: Listener, event: str, ticket_pk: int, data: dict) -> None:
    try:
        listener(event, ticket_pk, data)
    except Exception:  # the event's own change is committed; it must not fail now
        log.exception("listener %r failed on %s for ticket %s", listener, event, ticket_pk)


def emit(event: str, ticket_pk: int, data: dict | None = None) -> None:
    for listener in _listeners:
        transaction.on_commit(
            lambda listener=listener: _call(listener, event, ticket_pk, dict(data or {}))
        )


def csat_received(*, ticket_pk: int, rating: int | str, comment: str = "") -> None:
    """A customer rated a solved ticket: the CSAT feature calls this where it stores
    the rating (inside its transaction), and webhooks send ``csat.received``."""
    emit(CSAT_RECEIVED, ticket_pk, {"rating": rating, "comment": comment})
