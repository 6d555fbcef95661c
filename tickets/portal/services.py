"""What a customer does through their link: reply, say it is solved, rate."""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from tickets import events, services
from tickets.models import (
    ArticleLink,
    Message,
    Participant,
    Resolution,
    Satisfaction,
    Ticket,
    TicketAccess,
)
from tickets.resolution import solve_ticket

COMMENT_LENGTH = 1000
SOLVED_NOTE = "The customer said it is solved (help center link)."


@transaction.atomic
def reply_as_customer(access: TicketAccess, *, body_text: str, files: Iterable = ()) -> Message:
    """The customer's message through the email channel's service: it reopens a
    solved ticket, and on a closed one starts (or joins) the follow-up."""
    ticket = access.ticket
    customer = ticket.customer
    message = services.add_customer_message(
        ticket,
        body_text=body_text,
        message_id=services.new_message_id(),
        sender=services.Sender(email=customer.email, name=customer.name),
    )
    services.attach_files(message, files)
    return message


def latest_resolution(ticket: Ticket) -> Resolution | None:
    """The resolution a solved (or closed) ticket ended with; None while it is open."""
    if ticket.is_open:
        return None
    return ticket.resolutions.order_by("-solved_at", "-id").first()


@transaction.atomic
def mark_solved_by_customer(access: TicketAccess) -> Resolution:
    """ "This is solved": the articles we sent resolved it, when we sent any (the
    customer read them and says so); otherwise solved without a verdict on content."""
    ticket = access.ticket
    if not ticket.is_open:
        raise ValidationError("This conversation is already marked solved.")
    sent = list(
        ArticleLink.objects.filter(ticket=ticket, sent_at__isnull=False).select_related("article")
    )
    if sent:
        return solve_ticket(ticket, kind=Resolution.Kind.ARTICLE, by=None, links=sent)
    return solve_ticket(ticket, kind=Resolution.Kind.NOT_APPLICABLE, by=None, note=SOLVED_NOTE)


@transaction.atomic
def rate_resolution(resolution: Resolution, *, rating: str, comment: str = "") -> Satisfaction:
    """Store the customer's rating on the resolution (again: the new answer wins).
    A bad one waits for a second look, even when it was looked at before."""
    if rating not in Satisfaction.Rating.values:
        raise ValidationError("Choose good or bad.")
    satisfaction, _ = Satisfaction.objects.update_or_create(
        resolution=resolution,
        defaults={
            "rating": rating,
            "comment": comment.strip()[:COMMENT_LENGTH],
            "inbox_id": resolution.inbox_id,
            "solved_by_id": resolution.solved_by_id,
            "solved_at": resolution.solved_at,
            "rated_at": timezone.now(),
            "reviewed_at": None,
            "reviewed_by": None,
        },
    )
    events.csat_received(
        ticket_pk=resolution.ticket_id, rating=satisfaction.rating, comment=satisfaction.comment
    )
    return satisfaction


def erase_customer_side(customer, ticket_ids: list[int]) -> int:
    """Erasure on request (tickets.customers.erasure): the customer's links go, and
    their rating comments; the ratings themselves stay for the figures."""
    links = TicketAccess.objects.filter(customer=customer).delete()[0]
    # The colleagues they copied in are theirs to erase too (issue 13's participants).
    links += Participant.objects.filter(ticket_id__in=ticket_ids).delete()[0]
    rated = Satisfaction.objects.filter(resolution__ticket_id__in=ticket_ids)
    comments = rated.exclude(comment="")
    return links + comments.update(comment="")


def mark_reviewed(satisfaction: Satisfaction, *, by) -> Satisfaction:
    """An agent or manager has taken the second look at a bad rating."""
    satisfaction.reviewed_at = timezone.now()
    satisfaction.reviewed_by = by
    satisfaction.save(update_fields=["reviewed_at", "reviewed_by"])
    return satisfaction
