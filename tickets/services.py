"""Writes that touch several models: new tickets, customer messages, replies, notes.

Every channel (the ticket form, email, webhooks, the demo) goes through these,
so the thread, the queue's denormalised columns and the audit trail agree.
How tickets end (solve, reopen, close) lives in ``tickets.resolution``.
"""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from tickets.mail import outbound
from tickets.models import Customer, Inbox, Message, Ticket, TicketEvent
from tickets.resolution import reopen_ticket

PREVIEW_LENGTH = 160


def preview_of(text: str) -> str:
    """The first words of a message, on one line, for the queue."""
    flat = " ".join(text.split())
    if len(flat) <= PREVIEW_LENGTH:
        return flat
    return flat[: PREVIEW_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def get_or_create_customer(email: str, name: str = "") -> Customer:
    """The customer with this address (case-insensitive), made if new."""
    email = email.strip()
    customer = Customer.objects.filter(email__iexact=email).first()
    if customer:
        if name and not customer.name:
            customer.name = name
            customer.save(update_fields=["name"])
        return customer
    try:
        with transaction.atomic():
            return Customer.objects.create(email=email, name=name)
    except IntegrityError:  # someone made it meanwhile
        return Customer.objects.get(email__iexact=email)


@transaction.atomic
def create_ticket(
    *,
    inbox: Inbox,
    customer: Customer,
    subject: str,
    body_text: str,
    body_html: str = "",
    by=None,
    channel: str = Ticket.Channel.EMAIL,
    follow_up_of: Ticket | None = None,
    at: datetime | None = None,
    message_id: str = "",
    in_reply_to: str = "",
    references: str = "",
) -> Ticket:
    """Open a ticket with the customer's first message. ``by`` is the agent who
    typed it in (phone, chat), None when the customer wrote themselves."""
    at = at or timezone.now()
    ticket = Ticket.objects.create(
        inbox=inbox,
        subject=subject.strip()[:250] or "(no subject)",
        customer=customer,
        channel=channel,
        follow_up_of=follow_up_of,
        created_at=at,
        updated_at=at,
        last_customer_message_at=at,
        preview=preview_of(body_text),
    )
    Message.objects.create(
        ticket=ticket,
        kind=Message.Kind.CUSTOMER,
        author=by,
        body_text=body_text,
        body_html=body_html,
        created_at=at,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
    )
    TicketEvent.objects.create(
        ticket=ticket,
        kind=TicketEvent.Kind.CREATED,
        actor=by,
        new_value=channel,
        created_at=at,
    )
    return ticket


@transaction.atomic
def add_customer_message(
    ticket: Ticket,
    *,
    body_text: str,
    body_html: str = "",
    at: datetime | None = None,
    message_id: str = "",
    in_reply_to: str = "",
    references: str = "",
    may_reopen: bool = True,
) -> Message:
    """Add the customer's message to the thread. A solved ticket reopens (inside
    the hold window its resolution is marked not held); a closed ticket is final,
    so the message starts a follow-up ticket that points back to it.

    ``may_reopen=False`` (auto-replies, bounces) files the message without
    touching the ticket's status."""
    at = at or timezone.now()
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if ticket.is_closed and may_reopen:
        follow_up = create_ticket(
            inbox=ticket.inbox,
            customer=ticket.customer,
            subject=ticket.subject,
            body_text=body_text,
            body_html=body_html,
            channel=ticket.channel,
            follow_up_of=ticket,
            at=at,
            message_id=message_id,
            in_reply_to=in_reply_to,
            references=references,
        )
        return follow_up.messages.get()
    if ticket.status == Ticket.Status.SOLVED and may_reopen:
        reopen_ticket(ticket, by=None, at=at)
        ticket.refresh_from_db()
    message = Message.objects.create(
        ticket=ticket,
        kind=Message.Kind.CUSTOMER,
        body_text=body_text,
        body_html=body_html,
        created_at=at,
        message_id=message_id,
        in_reply_to=in_reply_to,
        references=references,
    )
    ticket.last_customer_message_at = at
    ticket.preview = preview_of(body_text)
    ticket.updated_at = at
    fields = ["last_customer_message_at", "preview", "updated_at"]
    if ticket.status == Ticket.Status.PENDING and may_reopen:
        # The customer answered our question: the ball is back with us.
        ticket.status = Ticket.Status.OPEN
        fields.append("status")
        TicketEvent.objects.create(
            ticket=ticket, kind=TicketEvent.Kind.STATUS, old_value="pending", new_value="open",
            created_at=at,
        )  # fmt: skip
    ticket.save(update_fields=fields)
    return message


@transaction.atomic
def add_reply(ticket: Ticket, *, body_text: str, by, at: datetime | None = None) -> Message:
    """An agent's answer to the customer. The first one sets first response time;
    a new ticket becomes open. With a customer email it is mailed after commit."""
    at = at or timezone.now()
    ticket = (
        Ticket.objects.select_for_update(of=("self",)).select_related("customer").get(pk=ticket.pk)
    )
    emailed = outbound.should_email(ticket)
    message = Message.objects.create(
        ticket=ticket, kind=Message.Kind.REPLY, author=by, body_text=body_text, created_at=at,
        delivery=Message.Delivery.QUEUED if emailed else Message.Delivery.NONE,
        message_id=outbound.new_message_id() if emailed else "",
    )  # fmt: skip
    if emailed:
        transaction.on_commit(lambda: outbound.enqueue_delivery(message.pk))
    ticket.updated_at = at
    fields = ["updated_at"]
    if ticket.first_response_at is None:
        ticket.first_response_at = at
        fields.append("first_response_at")
    if ticket.status == Ticket.Status.NEW:
        ticket.status = Ticket.Status.OPEN
        fields.append("status")
        TicketEvent.objects.create(
            ticket=ticket, kind=TicketEvent.Kind.STATUS, actor=by, old_value="new",
            new_value="open", created_at=at,
        )  # fmt: skip
    ticket.save(update_fields=fields)
    return message


@transaction.atomic
def add_note(ticket: Ticket, *, body_text: str, by, at: datetime | None = None) -> Message:
    """An internal note: seen by agents only, never emailed."""
    at = at or timezone.now()
    message = Message.objects.create(
        ticket=ticket, kind=Message.Kind.NOTE, author=by, body_text=body_text, created_at=at
    )
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=at)
    return message
