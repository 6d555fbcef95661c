"""Merge one ticket into another of the same inbox.

The survivor keeps everything: the merged ticket's messages (so its Message-IDs
thread later mail to the survivor), attachments, article links and resolution
history move over; the merged ticket closes, points to the survivor
(``TicketMerge``) and its page redirects there. Audited on both tickets and in
the security audit log.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Min
from django.utils import timezone

from supportdesk import audit
from tickets.models import (
    ArticleLink,
    Attachment,
    Message,
    Resolution,
    ResolutionArticle,
    Ticket,
    TicketEvent,
    TicketMerge,
)
from tickets.services import preview_of


class OtherCustomer(ValidationError):
    """The two tickets are from different customers: the agent must confirm."""


def surviving(ticket: Ticket) -> Ticket:
    """The ticket that lives on for ``ticket`` (itself when never merged)."""
    if ticket.status != Ticket.Status.CLOSED:
        return ticket
    merge = TicketMerge.objects.select_related("into").filter(merged=ticket).first()
    return merge.into if merge else ticket


def check_merge(merged: Ticket, into: Ticket, *, other_customer: bool = False) -> None:
    """Why these two cannot be merged, as a ValidationError; nothing if they can."""
    if merged.pk == into.pk:
        raise ValidationError("A ticket cannot be merged into itself.")
    if merged.inbox_id != into.inbox_id:
        raise ValidationError(
            f"{into.number} is in another inbox: move one of them first, then merge."
        )
    for ticket in (merged, into):
        if ticket.status == Ticket.Status.CLOSED:
            raise ValidationError(f"{ticket.number} is closed and final: it cannot be merged.")
    if merged.customer_id != into.customer_id and not other_customer:
        raise OtherCustomer(
            f"{merged.number} and {into.number} are from different customers: "
            "confirm to merge them anyway."
        )


@transaction.atomic
def merge_tickets(
    merged: Ticket,
    *,
    into: Ticket,
    by,
    other_customer: bool = False,
    at: datetime | None = None,
    request=None,
) -> Ticket:
    """Merge ``merged`` into ``into`` and return the survivor. The caller found
    both through ``Ticket.objects.visible_to``."""
    at = at or timezone.now()
    # Both rows locked, lower number first, so two crossed merges cannot deadlock.
    locked = {
        t.pk: t
        for t in Ticket.objects.select_for_update()
        .filter(pk__in=[merged.pk, into.pk])
        .order_by("pk")
    }
    merged, into = locked[merged.pk], locked[into.pk]
    check_merge(merged, into, other_customer=other_customer)

    for model in (Message, Attachment, ArticleLink, Resolution, ResolutionArticle):
        model.objects.filter(ticket=merged).update(ticket=into)
    merged.follow_ups.update(follow_up_of=into)
    TicketMerge.objects.filter(into=merged).update(into=into)  # earlier merges follow
    TicketMerge.objects.create(merged=merged, into=into, merged_by=by, merged_at=at)

    _refresh_survivor(into, merged, at=at)
    old_status = merged.status
    merged.status, merged.closed_at, merged.updated_at = Ticket.Status.CLOSED, at, at
    merged.save(update_fields=["status", "closed_at", "updated_at"])
    TicketEvent.objects.bulk_create(
        TicketEvent(
            ticket=ticket, kind=TicketEvent.Kind.MERGED, actor=by,
            old_value=merged.number, new_value=into.number, created_at=at,
        )
        for ticket in (merged, into)
    )  # fmt: skip
    TicketEvent.objects.create(
        ticket=merged, kind=TicketEvent.Kind.STATUS, actor=by, old_value=old_status,
        new_value=Ticket.Status.CLOSED, created_at=at,
    )  # fmt: skip
    audit.record(
        "ticket_merged",
        by=by,
        target=f"{merged.number} into {into.number}",
        detail=f"inbox {into.inbox_id}; customers {merged.customer_id}, {into.customer_id}",
        request=request,
    )
    return into


def _refresh_survivor(into: Ticket, merged: Ticket, *, at: datetime) -> None:
    """The queue's denormalised columns, now over both threads."""
    customer = into.messages.filter(kind=Message.Kind.CUSTOMER)
    facts = customer.aggregate(last=Max("created_at"))
    latest = customer.order_by("-created_at", "-id").only("body_text").first()
    replies = into.messages.filter(kind=Message.Kind.REPLY).aggregate(first=Min("created_at"))
    into.last_customer_message_at = facts["last"] or into.last_customer_message_at
    into.preview = preview_of(latest.body_text) if latest else into.preview
    into.first_response_at = replies["first"] or into.first_response_at
    into.priority = max(into.priority, merged.priority)
    into.updated_at = at
    into.save(
        update_fields=[
            "last_customer_message_at", "preview", "first_response_at", "priority", "updated_at",
        ]
    )  # fmt: skip
