"""Bulk actions of the queue: assign, set the status or priority of, solve,
move or tag many tickets at once.

Only tickets the acting user may see are touched (the ids come from a form);
solved and closed tickets are skipped because they change only by reopening.
Every change is audited with a TicketEvent, as on the ticket page.
"""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from tickets.assignment.rules import assignable_inboxes
from tickets.models import Inbox, Resolution, Ticket, TicketEvent, TicketTag
from tickets.notifications.events import notify_assigned
from tickets.resolution import solve_ticket
from tickets.services import transfer_ticket, user_label
from tickets.sla.clock import refresh_tickets
from tickets.tags.names import normalise_tag
from tickets.tags.services import get_or_create_tag, tag_event


@dataclass(frozen=True)
class BulkResult:
    changed: int
    skipped: int  # visible but not changeable (solved, closed, assignee not a member)


def _visible_locked(ids: list[int], *, by):
    """The ticked tickets ``by`` may see, locked in one order (no deadlocks)."""
    return (
        Ticket.objects.visible_to(by)
        .filter(pk__in=ids)
        .select_for_update(of=("self",))
        .order_by("pk")
    )


def _locked(ids: list[int], *, by):
    return list(_visible_locked(ids, by=by).select_related("assignee"))


@transaction.atomic
def assign_tickets(ids: list[int], *, assignee, by) -> BulkResult:
    """Give the tickets to ``assignee`` (None: nobody). The assignee must be an
    agent of each ticket's inbox; other tickets are skipped."""
    tickets = _locked(ids, by=by)
    member_of = (
        set(assignable_inboxes(assignee).values_list("pk", flat=True)) if assignee else set()
    )
    now = timezone.now()
    changed, skipped, events = [], 0, []
    for ticket in tickets:
        if ticket.status not in Ticket.OPEN_STATUSES or (
            assignee and ticket.inbox_id not in member_of
        ):
            skipped += 1
            continue
        if ticket.assignee_id == (assignee.pk if assignee else None):
            continue
        events.append(
            TicketEvent(
                ticket=ticket, kind=TicketEvent.Kind.ASSIGNEE, actor=by,
                old_value=user_label(ticket.assignee), new_value=user_label(assignee),
                created_at=now,
            )
        )  # fmt: skip
        changed.append(ticket.pk)
    Ticket.objects.filter(pk__in=changed).update(assignee=assignee, updated_at=now)
    TicketEvent.objects.bulk_create(events)
    for ticket in tickets:
        if ticket.pk in changed:
            notify_assigned(ticket, assignee=assignee, by=by, at=now)
    return BulkResult(changed=len(changed), skipped=skipped)


@transaction.atomic
def set_tickets_status(ids: list[int], *, status: str, by) -> BulkResult:
    """Set open or pending; solving needs a resolution, so it has its own dialog."""
    if status not in (Ticket.Status.OPEN, Ticket.Status.PENDING):
        raise ValueError(f"Bulk status must be open or pending, not {status!r}.")
    tickets = _locked(ids, by=by)
    now = timezone.now()
    changed, skipped, events = [], 0, []
    for ticket in tickets:
        if ticket.status not in Ticket.OPEN_STATUSES:
            skipped += 1
            continue
        if ticket.status == status:
            continue
        events.append(
            TicketEvent(
                ticket=ticket, kind=TicketEvent.Kind.STATUS, actor=by,
                old_value=ticket.status, new_value=status, created_at=now,
            )
        )  # fmt: skip
        changed.append(ticket.pk)
    Ticket.objects.filter(pk__in=changed).update(status=status, updated_at=now)
    TicketEvent.objects.bulk_create(events)
    refresh_tickets(changed, at=now)  # pending pauses the SLA clock, open resumes it
    return BulkResult(changed=len(changed), skipped=skipped)


# == Tags (issue 15): add or remove one tag on the ticked tickets ==


def _changeable(ids: list[int], *, by) -> tuple[list[int], int]:
    """The ids ``by`` may see and change (locked), and how many visible ones were skipped."""
    rows = list(_visible_locked(ids, by=by).values_list("pk", "status"))
    open_ = [pk for pk, status in rows if status in Ticket.OPEN_STATUSES]
    return open_, len(rows) - len(open_)


@transaction.atomic
def tag_tickets(ids: list[int], *, name: str, by) -> BulkResult:
    """Bulk add: solved and closed tickets are skipped, as for every bulk action."""
    tag = get_or_create_tag(name)
    changeable, skipped = _changeable(ids, by=by)
    have = set(
        TicketTag.objects.filter(tag=tag, ticket_id__in=changeable).values_list(
            "ticket_id", flat=True
        )
    )
    now, changed = timezone.now(), [pk for pk in changeable if pk not in have]
    TicketTag.objects.bulk_create(
        [TicketTag(ticket_id=pk, tag=tag, added_by=by, added_at=now) for pk in changed],
        ignore_conflicts=True,
    )
    TicketEvent.objects.bulk_create(
        [tag_event(pk, old="", new=tag.name, by=by, at=now) for pk in changed]
    )
    Ticket.objects.filter(pk__in=changed).update(updated_at=now)
    return BulkResult(changed=len(changed), skipped=skipped)


@transaction.atomic
def untag_tickets(ids: list[int], *, name: str, by) -> BulkResult:
    name = normalise_tag(name)
    changeable, skipped = _changeable(ids, by=by)
    links = TicketTag.objects.filter(tag__name=name, ticket_id__in=changeable)
    changed = sorted(set(links.values_list("ticket_id", flat=True)))
    links.delete()
    now = timezone.now()
    TicketEvent.objects.bulk_create(
        [tag_event(pk, old=name, new="", by=by, at=now) for pk in changed]
    )
    Ticket.objects.filter(pk__in=changed).update(updated_at=now)
    return BulkResult(changed=len(changed), skipped=skipped)


@transaction.atomic
def set_tickets_priority(ids: list[int], *, priority: int, by) -> BulkResult:
    priority = Ticket.Priority(int(priority))
    tickets = _locked(ids, by=by)
    now = timezone.now()
    changed, skipped, events = [], 0, []
    for ticket in tickets:
        if ticket.status not in Ticket.OPEN_STATUSES:
            skipped += 1
            continue
        if ticket.priority == priority:
            continue
        events.append(
            TicketEvent(
                ticket=ticket, kind=TicketEvent.Kind.PRIORITY, actor=by,
                old_value=Ticket.Priority(ticket.priority).label, new_value=priority.label,
                created_at=now,
            )
        )  # fmt: skip
        changed.append(ticket.pk)
    Ticket.objects.filter(pk__in=changed).update(priority=priority, updated_at=now)
    TicketEvent.objects.bulk_create(events)
    refresh_tickets(changed, at=now)  # each priority has its own SLA targets
    return BulkResult(changed=len(changed), skipped=skipped)


@transaction.atomic
def solve_tickets(ids: list[int], *, kind: str, note: str = "", by) -> BulkResult:
    """Solve each ticket with a resolution of ``kind``. "article": each ticket's
    latest sent article (else its latest linked one); a ticket with none is
    skipped, as are solved and closed ones. One ticket's refusal skips it alone."""
    if kind not in Resolution.Kind.values:
        raise ValueError(f"Unknown resolution {kind!r}.")
    changed = skipped = 0
    for ticket in _locked(ids, by=by):
        links = []
        if kind == Resolution.Kind.ARTICLE:
            links = list(
                ticket.article_links.select_related("article__category").order_by(
                    F("sent_at").desc(nulls_last=True), "-created_at", "-pk"
                )[:1]
            )
        try:
            with transaction.atomic():
                solve_ticket(ticket, kind=kind, by=by, links=links, note=note)
        except ValidationError:
            skipped += 1
        else:
            changed += 1
    return BulkResult(changed=changed, skipped=skipped)


@transaction.atomic
def move_tickets(ids: list[int], *, inbox: Inbox, by) -> BulkResult:
    """Move the tickets to ``inbox`` (one the caller checked ``by`` may use); an
    assignee who is not a member there is unassigned, as on the ticket page."""
    changed = skipped = 0
    for ticket in _locked(ids, by=by):
        if ticket.status not in Ticket.OPEN_STATUSES:
            skipped += 1
        elif ticket.inbox_id != inbox.pk:
            transfer_ticket(ticket, inbox=inbox, by=by)
            changed += 1
    return BulkResult(changed=changed, skipped=skipped)
