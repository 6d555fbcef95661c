"""Making notifications. The ticket services call these as things happen (never
the views), so every channel (pages, API, mail, bulk) notifies the same way.

Rules kept here: nobody is notified of their own action; only members of the
ticket's inbox are ever notified about it; each user's settings decide which
kinds they get, and whether by email too (sent by a task after commit).
"""

import re
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from tickets.models import AgentSettings, Message, Notification, Ticket

Kind = Notification.Kind

# "@name" not preceded by a word character (so "bob@example.com" mentions nobody);
# usernames may hold letters, digits and . + - _ (a final "." ends the sentence).
MENTION = re.compile(r"(?<![\w@.+-])@([\w.+-]+)")


def mentioned_usernames(text: str) -> set[str]:
    return {name.rstrip(".").lower() for name in MENTION.findall(text) if name.rstrip(".")}


def _notify(
    recipient_ids: Iterable[int],
    *,
    ticket: Ticket,
    kind: str,
    actor=None,
    message: Message | None = None,
    due_at: datetime | None = None,
    at: datetime | None = None,
) -> list[Notification]:
    wanted = {pk for pk in recipient_ids if pk and pk != getattr(actor, "pk", None)}
    if not wanted:
        return []
    # Only members of the ticket's inbox (whoever was named, wherever it moved).
    members = set(
        get_user_model()
        .objects.filter(pk__in=wanted, inboxes=ticket.inbox_id, is_active=True)
        .values_list("pk", flat=True)
    )
    prefs = {row.user_id: row for row in AgentSettings.objects.filter(user_id__in=members)}
    defaults = AgentSettings()
    made = []
    for pk in sorted(members):
        if prefs.get(pk, defaults).wants(kind):
            made.append(
                Notification(
                    recipient_id=pk, ticket_id=ticket.pk, kind=kind, actor=actor,
                    message=message, due_at=due_at, created_at=at or timezone.now(),
                )
            )  # fmt: skip
    Notification.objects.bulk_create(made)
    emailed = [n.pk for n in made if prefs.get(n.recipient_id, defaults).email_notifications]
    if emailed:
        from tickets.notifications.tasks import email_notifications

        transaction.on_commit(lambda: email_notifications.enqueue(emailed))
    return made


def notify_assigned(ticket: Ticket, *, assignee, by, at: datetime | None = None) -> None:
    """``assignee`` was given the ticket by ``by`` (None: round-robin)."""
    if assignee is not None:
        _notify([assignee.pk], ticket=ticket, kind=Kind.ASSIGNED, actor=by, at=at)


def notify_customer_reply(ticket: Ticket, *, message: Message) -> None:
    """The customer wrote on a ticket that someone holds."""
    if ticket.assignee_id:
        _notify(
            [ticket.assignee_id], ticket=ticket, kind=Kind.CUSTOMER_REPLY, message=message,
            at=message.created_at,
        )  # fmt: skip


def notify_mentions(ticket: Ticket, *, message: Message) -> None:
    """Each member of the ticket's inbox named as @username in an internal note."""
    names = mentioned_usernames(message.body_text)
    if not names:
        return
    users = get_user_model().objects.filter(
        inboxes=ticket.inbox_id, username__iregex=r"^(" + "|".join(map(re.escape, names)) + r")$"
    )
    _notify(
        users.values_list("pk", flat=True), ticket=ticket, kind=Kind.MENTION,
        actor=message.author, message=message, at=message.created_at,
    )  # fmt: skip


def tickets_due_within(
    due_field: str, within: timedelta, *, now: datetime | None = None
) -> QuerySet[Ticket]:
    """Open, assigned tickets whose ``due_field`` (a datetime column of Ticket)
    falls between now and now + ``within`` (already overdue ones are not news)."""
    try:
        field = Ticket._meta.get_field(due_field)
    except FieldDoesNotExist:
        raise ValueError(f"Ticket has no field {due_field!r} to read due times from.") from None
    if field.get_internal_type() != "DateTimeField":
        raise ValueError(f"Ticket.{due_field} is not a date and time.")
    now = now or timezone.now()
    return Ticket.objects.open().filter(
        assignee__isnull=False, **{f"{due_field}__gte": now, f"{due_field}__lte": now + within}
    )


def notify_sla_breaches(due_field: str, within: timedelta, *, now: datetime | None = None) -> int:
    """Warn each assignee whose ticket is due within ``within``; once per due time
    (run it every few minutes). Returns how many notifications were made."""
    now = now or timezone.now()
    made = 0
    due = tickets_due_within(due_field, within, now=now).values_list(
        "pk", "inbox_id", "assignee_id", due_field
    )
    for pk, inbox_id, assignee_id, due_at in due.iterator():
        already = Notification.objects.filter(
            recipient_id=assignee_id, ticket_id=pk, kind=Kind.SLA, due_at=due_at
        ).exists()
        if not already:
            ticket = Ticket(pk=pk, inbox_id=inbox_id)
            with transaction.atomic():
                made += len(
                    _notify([assignee_id], ticket=ticket, kind=Kind.SLA, due_at=due_at, at=now)
                )
    return made
