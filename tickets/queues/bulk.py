"""Bulk actions of the queue: assign, set the status of, or tag many tickets at once.

Only tickets the acting user may see are touched (the ids come from a form);
solved and closed tickets are skipped because they change only by reopening.
Every change is audited with a TicketEvent, as on the ticket page.
"""

from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tickets.assignment.rules import assignable_inboxes
from tickets.models import Ticket, TicketEvent, TicketTag
from tickets.notifications.events import notify_assigned
from tickets.services import user_label
from tickets.sla.clock import refresh_tickets
from tickets.tags.names import normalise_tag
from tickets.tags.services import get_or_create_tag, tag_event


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
    refresh_tickets(changed, at=now)  # pending pauses the SLA clock, open resumes it
    return BulkResult(changed=len(changed), skipped=skipped)


# == Tags (issue 15): add or remove one tag on the ticked tickets ==


def _changeable(ids: list[int], *, by) -> tuple[list[int], int]:
    """The ids ``by`` may see and change (locked), and how many visible ones were skipped."""
    rows = list(
        Ticket.objects.visible_to(by)
        .filter(pk__in=ids)
        .select_for_update(of=("self",))
        .order_by("pk")
        .values_list("pk", "status")
    )
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
