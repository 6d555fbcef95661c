"""Each ticket's SLA clock, advanced by the ticket services after every change.

Targets (``SlaPolicy`` of the ticket's inbox and priority, in business minutes):

- first response: from creation to the first agent reply;
- next response: from a customer message that follows our reply to the next reply;
- resolution: from creation to solved.

The clocks run only while the ticket is new or open: time spent pending (and
solved, until a reopen) is paused and pushes every running target back by the
business time it lasted. A target is decided when it is met or missed (reply,
solve); a missed one stays missed. ``Ticket.sla_due_at`` is the soonest
running target, NULL while nothing is due.
"""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from tickets.models import BusinessHours, Holiday, Inbox, Message, SlaPolicy, Ticket, TicketSla
from tickets.sla import RUNNING_STATUSES
from tickets.sla.hours import NoWorkingTime, Schedule, add_business_time, business_seconds_between


def default_schedule() -> Schedule:
    """An inbox without business hours: Monday to Friday, 09:00-17:00, site time."""
    return BusinessHours(time_zone=settings.TIME_ZONE).schedule()


def schedule_of(inbox_id: int) -> Schedule:
    hours = BusinessHours.objects.filter(inbox_id=inbox_id).first()
    holidays = frozenset(Holiday.objects.filter(inbox_id=inbox_id).values_list("day", flat=True))
    if hours is None:
        hours = BusinessHours(inbox_id=inbox_id, time_zone=settings.TIME_ZONE)
    return hours.schedule(holidays)


@dataclass
class Rules:
    """What one inbox's clocks need: its schedule and its policies by priority."""

    schedule: Schedule
    policies: dict[int, SlaPolicy]

    @classmethod
    def of(cls, inbox_id: int) -> "Rules":
        policies = {p.priority: p for p in SlaPolicy.objects.filter(inbox_id=inbox_id)}
        return cls(schedule_of(inbox_id), policies)


# Rules by (inbox, its sla_rules_version, site time zone): every ticket write
# needs them, and they change only when a manager edits the inbox's SLA settings,
# which gives the inbox a new version, so a stale entry is never looked up again.
_rules_cache: dict[tuple, Rules] = {}
RULES_CACHED = 256


def rules_for(inbox_id: int, version: uuid.UUID) -> Rules:
    """The inbox's rules at ``version`` (read in the caller's transaction), read
    once per version per process."""
    key = (inbox_id, version, settings.TIME_ZONE)
    rules = _rules_cache.get(key)
    if rules is None:
        if len(_rules_cache) >= RULES_CACHED:
            _rules_cache.clear()
        rules = _rules_cache[key] = Rules.of(inbox_id)
    return rules


def rules_changed(inbox_id: int) -> None:
    """The inbox's hours, holidays or policies were written: a new version."""
    Inbox.objects.filter(pk=inbox_id).update(sla_rules_version=uuid.uuid4())


def on_rules_written(sender, instance, **kwargs) -> None:
    """post_save / post_delete of hours, holidays and policies (the admin, the demo)."""
    rules_changed(instance.inbox_id)


# What a clock reads of its ticket, and of the ticket's inbox the rules' version.
CLOCK_FIELDS = (
    "inbox_id", "status", "priority", "created_at", "first_response_at", "solved_at",
    "last_customer_message_at", "sla_due_at", "inbox__sla_rules_version",
)  # fmt: skip


def _due(start: datetime | None, minutes: int | None, paused: float, rules: Rules):
    if start is None or minutes is None:
        return None
    try:
        return add_business_time(start, minutes * 60 + paused, rules.schedule)
    except NoWorkingTime:
        return None  # a schedule with no working days: nothing can fall due


def _initial(ticket: Ticket, at: datetime, last_reply_at: datetime | None) -> TicketSla:
    """The clock of a ticket from before SLAs: facts from its thread, no pause known."""
    state = TicketSla(ticket_id=ticket.pk)
    last_customer = ticket.last_customer_message_at
    if (
        ticket.first_response_at
        and last_customer
        and (last_reply_at is None or last_customer > last_reply_at)
    ):
        state.awaiting_since = last_customer
    if ticket.status not in RUNNING_STATUSES:
        state.paused_since = at
    return state


def advance(
    state: TicketSla,
    ticket: Ticket,
    rules: Rules,
    *,
    at: datetime,
    replied: bool = False,
    customer_wrote: bool = False,
) -> datetime | None:
    """Move ``state`` (in memory) to the ticket as it is now, at ``at``; return
    the ticket's next due time. Plain logic: the callers load and save."""
    running = ticket.status in RUNNING_STATUSES
    if not running and state.paused_since is None:
        state.paused_since = at
    elif running and state.paused_since is not None:
        state.paused_seconds += business_seconds_between(state.paused_since, at, rules.schedule)
        state.paused_since = None
    if customer_wrote and ticket.first_response_at and state.awaiting_since is None:
        state.awaiting_since = at
        state.awaiting_paused = state.paused_seconds

    policy = rules.policies.get(ticket.priority)
    if policy is None or not policy.has_targets:
        # Counted by the report only under a policy, or if it already missed one.
        state.measured = state.breaches > 0
        state.first_response_due_at = state.next_response_due_at = state.resolution_due_at = None
        if replied:
            state.awaiting_since = None
        return None
    state.measured = True
    if ticket.first_response_at is None or state.first_response_breached is None:
        state.first_response_due_at = _due(
            ticket.created_at, policy.first_response_minutes, state.paused_seconds, rules
        )
    state.next_response_due_at = _due(
        state.awaiting_since,
        policy.next_response_minutes,
        state.paused_seconds - state.awaiting_paused,
        rules,
    )
    state.resolution_due_at = _due(
        ticket.created_at, policy.resolution_minutes, state.paused_seconds, rules
    )

    first_due = state.first_response_due_at
    if ticket.first_response_at and state.first_response_breached is None and first_due:
        state.first_response_breached = ticket.first_response_at > first_due
    if replied and state.awaiting_since is not None:
        if state.next_response_due_at is not None and at > state.next_response_due_at:
            state.next_response_breaches += 1
        state.awaiting_since = state.next_response_due_at = None
    if ticket.status == Ticket.Status.SOLVED and ticket.solved_at and state.resolution_due_at:
        missed = ticket.solved_at > state.resolution_due_at
        state.resolution_breached = bool(state.resolution_breached) or missed

    if not running:
        return None
    candidates = [state.resolution_due_at, state.next_response_due_at]
    if ticket.first_response_at is None:
        candidates.append(state.first_response_due_at)
    return min((due for due in candidates if due is not None), default=None)


def _last_replies(ticket_ids: Iterable[int]) -> dict[int, datetime]:
    return dict(
        Message.objects.filter(ticket_id__in=list(ticket_ids), kind=Message.Kind.REPLY)
        .order_by()
        .values("ticket_id")
        .annotate(last=Max("created_at"))
        .values_list("ticket_id", "last")
    )


def refresh_sla(
    ticket: Ticket,
    *,
    at: datetime | None = None,
    replied: bool = False,
    customer_wrote: bool = False,
    created: bool = False,
) -> datetime | None:
    """Advance the ticket's SLA clock after a change the caller just saved (inside
    its transaction, the ticket row locked) and store its next due time.
    ``created``: the ticket is new, so it has no clock and no replies to look up."""
    at = at or timezone.now()
    # The rules' version as this transaction sees it (a caller's inbox may be older).
    if created:  # the caller's copy is the row it just inserted
        inboxes = Inbox.objects.filter(pk=ticket.inbox_id)
        rules = rules_for(ticket.inbox_id, inboxes.values_list("sla_rules_version").get()[0])
    else:  # the caller's copy may predate its own change
        ticket = Ticket.objects.select_related("inbox").only(*CLOCK_FIELDS).get(pk=ticket.pk)
        rules = rules_for(ticket.inbox_id, ticket.inbox.sla_rules_version)
    state = None if created else TicketSla.objects.filter(ticket_id=ticket.pk).first()
    if state is None:
        last_reply = None if created else _last_replies([ticket.pk]).get(ticket.pk)
        state = _initial(ticket, at, last_reply)
        if customer_wrote or replied:
            # The event being recorded is already in the thread; do not count it twice.
            state.awaiting_since = None
    due = advance(state, ticket, rules, at=at, replied=replied,
                  customer_wrote=customer_wrote)  # fmt: skip
    state.save(force_insert=state._state.adding)  # a new clock: INSERT, no UPDATE first
    if due != ticket.sla_due_at:
        Ticket.objects.filter(pk=ticket.pk).update(sla_due_at=due)
    return due


# Tickets a refresh reads at once: PostgreSQL takes at most 65,535 parameters a
# query, and an inbox can hold more open tickets (the 10M bench dataset does).
REFRESH_BATCH = 5_000


def refresh_tickets(ids: Iterable[int], *, at: datetime | None = None) -> int:
    """Advance the clocks of many tickets (bulk status changes, a policy or
    business hours edited); a few queries per batch of tickets, not per ticket."""
    at = at or timezone.now()
    ids = list(ids)
    return sum(
        _refresh_batch(ids[start : start + REFRESH_BATCH], at)
        for start in range(0, len(ids), REFRESH_BATCH)
    )


def _refresh_batch(ids: list[int], at: datetime) -> int:
    tickets = list(Ticket.objects.filter(pk__in=ids).select_related("inbox").only(*CLOCK_FIELDS))
    if not tickets:
        return 0
    states = TicketSla.objects.in_bulk([t.pk for t in tickets])
    missing = [t.pk for t in tickets if t.pk not in states]
    replies = _last_replies(missing) if missing else {}
    new, changed_states, changed_tickets = [], [], []
    for ticket in tickets:
        inbox_rules = rules_for(ticket.inbox_id, ticket.inbox.sla_rules_version)
        state = states.get(ticket.pk)
        if state is None:
            state = _initial(ticket, at, replies.get(ticket.pk))
            new.append(state)
        else:
            changed_states.append(state)
        due = advance(state, ticket, inbox_rules, at=at)
        if due != ticket.sla_due_at:
            ticket.sla_due_at = due
            changed_tickets.append(ticket)
    TicketSla.objects.bulk_create(new, batch_size=1000)
    fields = [f.name for f in TicketSla._meta.concrete_fields if not f.primary_key]
    TicketSla.objects.bulk_update(changed_states, fields, batch_size=1000)
    Ticket.objects.bulk_update(changed_tickets, ["sla_due_at"], batch_size=1000)
    return len(tickets)


def refresh_inbox(inbox_id: int, *, at: datetime | None = None) -> int:
    """Recompute every live ticket of an inbox: after its policies, hours or
    holidays changed, and the data step for tickets from before SLAs."""
    ids = Ticket.objects.filter(inbox_id=inbox_id, status__in=Ticket.OPEN_STATUSES).values_list(
        "pk", flat=True
    )
    return refresh_tickets(ids, at=at)
