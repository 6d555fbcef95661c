"""Bulk actions of the queue: assign, or set the status of, many tickets at once.

Only tickets the acting user may see are touched (the ids come from a form);
solved and closed tickets are skipped because they change only by reopening.
Every change is audited with a TicketEvent, as on the ticket page.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tickets.assignment.rules import assignable_inboxes
from tickets.models import Ticket, TicketEvent
from tickets.notifications.events import notify_assigned
from tickets.services import user_label


@dataclass(frozen=True)
class BulkResult:
    changed: int
    skipped: int  # visible but not changeable (solved, closed, assignee not a member)


def _locked(ids: list[int], *, by):
    return list(
        Ticket.objects.visible_to(by)
        .filter(pk__in=ids)
        .select_related("assignee")
        .select_for_update(of=("self",))
        .order_by("pk")
    )


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
    return BulkResult(changed=len(changed), skipped=skipped)
