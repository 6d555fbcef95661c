"""Writes that touch several models: new tickets, customer messages, replies, notes.

Every channel (the ticket form, email, webhooks, the demo) goes through these,
so the thread, the queue's denormalised columns and the audit trail agree.
How tickets end (solve, reopen, close) lives in ``tickets.resolution``.
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.mail import make_msgid
from django.db import transaction
from django.db.models.functions import Lower
from django.utils import timezone

from tickets import events
from tickets.assignment.rules import agents_of, check_assignee, may_hold, refusal
from tickets.attachments import safe_name
from tickets.models import (
    Attachment,
    Customer,
    Inbox,
    Message,
    Participant,
    Ticket,
    TicketEvent,
)
from tickets.notifications import events as notify
from tickets.resolution import link_article, reopen_ticket, solve_ticket
from tickets.sla.clock import refresh_sla

PREVIEW_LENGTH = 160


# Channels that carry replies to customers subscribe at start-up (tickets.apps wires
# in the mail package), so these services never import the channels that use them.
_reply_queued: list[Callable[[int], None]] = []


def on_reply_queued(listener: Callable[[int], None]) -> None:
    """Call ``listener(message_pk)`` after each emailed reply commits."""
    if listener not in _reply_queued:
        _reply_queued.append(listener)


# Called with each new ticket nobody holds yet, inside its transaction (tickets.apps
# wires in round-robin assignment, which uses these services).
_ticket_created: list[Callable[[Ticket], None]] = []


def on_ticket_created(listener: Callable[[Ticket], None]) -> None:
    """Call ``listener(ticket)`` for each new unassigned ticket, before commit."""
    if listener not in _ticket_created:
        _ticket_created.append(listener)


def new_message_id() -> str:
    """A Message-ID of ours, stored before sending so answers thread back."""
    return make_msgid(domain=settings.MAIL_DOMAIN)


def preview_of(text: str) -> str:
    """The first words of a message, on one line, for the queue."""
    flat = " ".join(text.split())
    if len(flat) <= PREVIEW_LENGTH:
        return flat
    return flat[: PREVIEW_LENGTH - 1].rsplit(" ", 1)[0] + "…"


def get_or_create_customer(email: str, name: str = "") -> Customer:
    """The customer with this address (case-insensitive), made if new."""
    email = email.strip()
    # LOWER(email) = ..., the expression of the unique index (iexact would scan).
    same_address = Customer.objects.alias(address=Lower("email")).filter(address=email.lower())
    customer = same_address.first()
    if customer:
        if name and not customer.name:
            customer.name = name
            customer.save(update_fields=["name"])
        return customer
    # ON CONFLICT DO NOTHING: someone making it meanwhile is no error (and needs
    # no savepoint in the caller's transaction); either way the row is there now.
    Customer.objects.bulk_create([Customer(email=email, name=name)], ignore_conflicts=True)
    return same_address.get()


@dataclass(frozen=True)
class Sender:
    """Who wrote an inbound mail, and why it was automatic ("" for a person)."""

    email: str = ""
    name: str = ""
    automatic: str = ""
    # The mail's other recipients: the colleagues an agent may add as participants.
    copied: tuple[str, ...] = ()


def _customer_mail(
    body_text: str,
    body_html: str,
    message_id: str,
    in_reply_to: str,
    references: str,
    sender: Sender | None = None,
    quoted_text: str = "",
) -> dict:
    """A customer message's text, who sent it, and the mail headers it is threaded by."""
    sender = sender or Sender()
    return {
        "body_text": body_text,
        "quoted_text": quoted_text,
        "body_html": body_html,
        "message_id": message_id,
        "in_reply_to": in_reply_to,
        "references": references,
        "sender_email": sender.email[:254],
        "sender_name": sender.name[:120],
        "automatic": sender.automatic[:200],
        "copied": "\n".join(sender.copied),
    }


def create_ticket(**fields) -> Ticket:
    """Open a ticket with the customer's first message (``open_ticket``'s arguments)."""
    return open_ticket(**fields)[0]


# No savepoint when nested: the callers (mail, contact form, portal) roll back
# everything they filed when any part fails, so one would only cost two round trips.
@transaction.atomic(savepoint=False)
def open_ticket(
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
    sender: Sender | None = None,
    quoted_text: str = "",
) -> tuple[Ticket, Message]:
    """Open a ticket with the customer's first message; both, as stored. ``by`` is the agent who
    typed it in (phone, chat), and it is theirs; None when the customer wrote;
    ``sender`` who wrote the mail, when it came by mail."""
    at = at or timezone.now()
    mail = _customer_mail(
        body_text, body_html, message_id, in_reply_to, references, sender, quoted_text
    )
    ticket = Ticket.objects.create(
        inbox=inbox,
        subject=subject.strip()[:250] or "(no subject)",
        customer=customer,
        assignee=by,
        channel=channel,
        follow_up_of=follow_up_of,
        created_at=at,
        updated_at=at,
        last_customer_message_at=at,
        preview=preview_of(body_text),
    )
    message = Message.objects.create(
        ticket=ticket, kind=Message.Kind.CUSTOMER, author=by, created_at=at, **mail
    )
    TicketEvent.objects.create(
        ticket=ticket,
        kind=TicketEvent.Kind.CREATED,
        actor=by,
        new_value=channel,
        created_at=at,
    )
    events.emit(events.TICKET_CREATED, ticket.pk)
    refresh_sla(ticket, at=at, created=True)
    if ticket.assignee_id is None:
        for listener in _ticket_created:
            listener(ticket)
    return ticket, message


# No savepoint when nested: the callers (mail, contact form, portal) roll back
# everything they filed when any part fails, so one would only cost two round trips.
@transaction.atomic(savepoint=False)
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
    sender: Sender | None = None,
    quoted_text: str = "",
) -> Message:
    """Add the customer's message to the thread. A solved ticket reopens (inside
    the hold window its resolution is marked not held); a closed ticket is final,
    so the message starts a follow-up ticket that points back to it (or joins the
    one it already has).

    ``may_reopen=False`` (auto-replies, bounces) files the message without
    touching the ticket's status; on a solved or closed ticket it changes nothing
    at all (preview, updated_at, waiting since), so the auto-close clock runs on."""
    at = at or timezone.now()
    text_and_headers = {
        "body_text": body_text, "body_html": body_html, "message_id": message_id,
        "in_reply_to": in_reply_to, "references": references,
    }  # fmt: skip
    mail = _customer_mail(**text_and_headers, sender=sender, quoted_text=quoted_text)
    ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
    if not may_reopen and ticket.status in (Ticket.Status.SOLVED, Ticket.Status.CLOSED):
        return Message.objects.create(
            ticket=ticket, kind=Message.Kind.CUSTOMER, created_at=at, **mail
        )
    if ticket.is_closed and may_reopen:
        # One follow-up per closed ticket: later replies to the old thread join it.
        follow_up = ticket.follow_ups.order_by("-created_at", "-id").first()
        if follow_up is not None:
            return add_customer_message(
                follow_up, at=at, may_reopen=may_reopen, sender=sender, **text_and_headers
            )
        follow_up = create_ticket(
            inbox=ticket.inbox,
            customer=ticket.customer,
            subject=ticket.subject,
            channel=ticket.channel,
            follow_up_of=ticket,
            at=at,
            sender=sender,
            **text_and_headers,
        )
        # The colleagues copied on the old thread stay copied on its continuation.
        Participant.objects.bulk_create(
            Participant(ticket=follow_up, email=p.email, name=p.name, added_by_id=p.added_by_id)
            for p in ticket.participants.all()
        )
        return follow_up.messages.get()
    if ticket.status == Ticket.Status.SOLVED and may_reopen:
        reopen_ticket(ticket, by=None, at=at)
        ticket.refresh_from_db()
    message = Message.objects.create(
        ticket=ticket, kind=Message.Kind.CUSTOMER, created_at=at, **mail
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
    refresh_sla(ticket, at=at, customer_wrote=may_reopen)
    if may_reopen:  # a person wrote, not an auto-reply
        notify.notify_customer_reply(ticket, message=message)
    return message


@transaction.atomic
def add_reply(ticket: Ticket, *, body_text: str, by, at: datetime | None = None) -> Message:
    """An agent's answer to the customer. The first one sets first response time;
    a new ticket becomes open. With a customer email it is mailed after commit."""
    at = at or timezone.now()
    ticket = (
        Ticket.objects.select_for_update(of=("self",)).select_related("customer").get(pk=ticket.pk)
    )
    emailed = bool(ticket.customer.email)
    message = Message.objects.create(
        ticket=ticket, kind=Message.Kind.REPLY, author=by, body_text=body_text, created_at=at,
        delivery=Message.Delivery.QUEUED if emailed else Message.Delivery.NONE,
        message_id=new_message_id() if emailed else "",
    )  # fmt: skip
    if emailed:
        for listener in _reply_queued:
            transaction.on_commit(lambda listener=listener: listener(message.pk))
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
    refresh_sla(ticket, at=at, replied=True)
    return message


@transaction.atomic
def add_note(ticket: Ticket, *, body_text: str, by, at: datetime | None = None) -> Message:
    """An internal note: seen by agents only, never emailed."""
    at = at or timezone.now()
    message = Message.objects.create(
        ticket=ticket, kind=Message.Kind.NOTE, author=by, body_text=body_text, created_at=at
    )
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=at)
    notify.notify_mentions(ticket, message=message)
    return message


# == One ticket's controls (ticket page): claim, assign, status, priority,
# category, transfer, and sending a reply with articles and attachments. ==


class TicketLocked(ValidationError):
    """The ticket is solved (reopen first) or closed (final)."""


def ensure_editable(ticket: Ticket, *, allow_solved: bool = False) -> None:
    """A solved ticket changes only after reopening; a closed one never."""
    if ticket.status == Ticket.Status.CLOSED:
        raise TicketLocked(
            f"Ticket {ticket.number} is closed and final; a customer reply starts a follow-up."
        )
    if ticket.status == Ticket.Status.SOLVED and not allow_solved:
        raise TicketLocked(f"Ticket {ticket.number} is solved: reopen it first to change it.")


def user_label(user) -> str:
    """A user's full name, else their username; empty for nobody."""
    if user is None:
        return ""
    return user.get_full_name() or user.get_username()


def _audit(ticket: Ticket, *, kind: str, old: str, new: str, by, at: datetime) -> None:
    TicketEvent.objects.create(
        ticket=ticket, kind=kind, actor=by, old_value=old[:200], new_value=new[:200], created_at=at
    )


def _status_locked(ticket: Ticket) -> Ticket:
    """The ticket's status, row locked until commit, so a solve cannot slip in
    between the check and the change."""
    return Ticket.objects.select_for_update().only("status").get(pk=ticket.pk)


def _locked(ticket: Ticket) -> Ticket:
    return (
        Ticket.objects.select_for_update(of=("self",)).select_related("assignee").get(pk=ticket.pk)
    )


@transaction.atomic
def claim_ticket(ticket: Ticket, *, by, at: datetime | None = None):
    """Take an unassigned ticket. One conditional UPDATE, so of two agents
    clicking at once exactly one wins. Returns the assignee after the attempt:
    ``by`` when they won, whoever was faster otherwise."""
    at = at or timezone.now()
    ensure_editable(_status_locked(ticket))
    # Only an agent of the ticket's inbox may take it: checked in the same UPDATE.
    won = Ticket.objects.filter(may_hold(by), pk=ticket.pk, assignee__isnull=True).update(
        assignee=by, updated_at=at
    )
    if won:
        _audit(ticket, kind=TicketEvent.Kind.ASSIGNEE, old="", new=user_label(by), by=by, at=at)
        return by
    now = Ticket.objects.select_related("assignee").get(pk=ticket.pk)
    if now.assignee is None:
        raise refusal(by, now.inbox_id)
    return now.assignee


@transaction.atomic
def assign_ticket(ticket: Ticket, *, assignee, by, at: datetime | None = None) -> Ticket:
    """Give the ticket to ``assignee`` (None: unassign)."""
    at = at or timezone.now()
    ticket = _locked(ticket)
    ensure_editable(ticket)
    if ticket.assignee_id == (assignee.pk if assignee else None):
        return ticket
    check_assignee(assignee, ticket.inbox_id)
    old = user_label(ticket.assignee)
    ticket.assignee = assignee
    ticket.updated_at = at
    ticket.save(update_fields=["assignee", "updated_at"])
    _audit(ticket, kind=TicketEvent.Kind.ASSIGNEE, old=old, new=user_label(assignee), by=by, at=at)
    notify.notify_assigned(ticket, assignee=assignee, by=by, at=at)
    return ticket


@transaction.atomic
def set_status(ticket: Ticket, *, status: str, by, at: datetime | None = None) -> Ticket:
    at = at or timezone.now()
    ticket = _locked(ticket)
    ensure_editable(ticket)
    # By hand only the open statuses; solving goes through resolution.solve_ticket.
    if status not in Ticket.OPEN_STATUSES:
        raise ValidationError(f"Set {status!r} through its own action (solve), not here.")
    if ticket.status == status:
        return ticket
    old = ticket.status
    ticket.status = status
    ticket.updated_at = at
    ticket.save(update_fields=["status", "updated_at"])
    _audit(ticket, kind=TicketEvent.Kind.STATUS, old=old, new=status, by=by, at=at)
    refresh_sla(ticket, at=at)
    return ticket


@transaction.atomic
def set_priority(ticket: Ticket, *, priority: int, by, at: datetime | None = None) -> Ticket:
    at = at or timezone.now()
    ticket = _locked(ticket)
    ensure_editable(ticket)
    priority = Ticket.Priority(int(priority))
    if ticket.priority == priority:
        return ticket
    old = Ticket.Priority(ticket.priority).label
    ticket.priority = priority
    ticket.updated_at = at
    ticket.save(update_fields=["priority", "updated_at"])
    _audit(ticket, kind=TicketEvent.Kind.PRIORITY, old=old, new=priority.label, by=by, at=at)
    refresh_sla(ticket, at=at)
    return ticket


@transaction.atomic
def set_category(ticket: Ticket, *, category, by, at: datetime | None = None) -> Ticket:
    at = at or timezone.now()
    ticket = (
        Ticket.objects.select_for_update(of=("self",)).select_related("category").get(pk=ticket.pk)
    )
    ensure_editable(ticket)
    if ticket.category_id == (category.pk if category else None):
        return ticket
    old = str(ticket.category or "")
    ticket.category = category
    ticket.updated_at = at
    ticket.save(update_fields=["category", "updated_at"])
    _audit(ticket, kind=TicketEvent.Kind.CATEGORY, old=old, new=str(category or ""), by=by, at=at)
    return ticket


@transaction.atomic
def transfer_ticket(ticket: Ticket, *, inbox: Inbox, by, at: datetime | None = None) -> Ticket:
    """Move the ticket to another inbox. The assignee stays only if they are an
    agent there (tickets.assignment.rules), so nobody is left holding a ticket they cannot open."""
    at = at or timezone.now()
    ticket = (
        Ticket.objects.select_for_update(of=("self",)).select_related("inbox").get(pk=ticket.pk)
    )
    ensure_editable(ticket)
    if ticket.inbox_id == inbox.pk:
        return ticket
    old = ticket.inbox.name
    ticket.inbox = inbox
    ticket.updated_at = at
    fields = ["inbox", "updated_at"]
    if ticket.assignee_id and not agents_of(inbox).filter(pk=ticket.assignee_id).exists():
        ticket.assignee = None
        fields.append("assignee")
    ticket.save(update_fields=fields)
    _audit(ticket, kind=TicketEvent.Kind.INBOX, old=old, new=inbox.name, by=by, at=at)
    refresh_sla(ticket, at=at)
    return ticket


@transaction.atomic
def send_reply(
    ticket: Ticket,
    *,
    body_text: str,
    by,
    articles: Iterable = (),
    files: Iterable = (),
    status: str = "",
) -> Message:
    """The composer's Reply: the message, the articles it carried (each an
    ArticleLink with the exact revision sent), its attachments, and then the
    status the agent chose (solving is left to the solve dialog)."""
    ensure_editable(_status_locked(ticket))
    message = add_reply(ticket, body_text=body_text, by=by)
    for article in articles:
        link_article(ticket, article=article, by=by, message=message)
    attach_files(message, files)
    if status in (Ticket.Status.OPEN, Ticket.Status.PENDING):
        set_status(ticket, status=status, by=by, at=message.created_at)
    return message


@transaction.atomic
def reply_and_solve(
    ticket: Ticket,
    *,
    body_text: str,
    by,
    resolution: dict,
    articles: Iterable = (),
    files: Iterable = (),
) -> Message:
    """ "Send and set status to solved" as one step: the reply and the resolution
    commit together or not at all (a refused resolution sends nothing). An
    article resolution without ticked links is resolved by the articles this
    reply sends."""
    message = send_reply(ticket, body_text=body_text, by=by, articles=articles, files=files)
    links = list(resolution.get("links") or ())
    if resolution["kind"] == "article" and not links:
        links = list(message.article_links.select_related("article__category"))
    solve_ticket(
        ticket,
        kind=resolution["kind"],
        by=by,
        links=links if resolution["kind"] == "article" else (),
        note=resolution.get("note") or "",
        category=resolution.get("category"),
        at=message.created_at,
    )
    return message


@transaction.atomic
def write_note(ticket: Ticket, *, body_text: str, by, files: Iterable = ()) -> Message:
    """The composer's Note: allowed on a solved ticket (agents leave context),
    never on a closed one."""
    ensure_editable(_status_locked(ticket), allow_solved=True)
    message = add_note(ticket, body_text=body_text, by=by)
    attach_files(message, files)
    return message


def attach_files(message: Message, files: Iterable) -> list[Attachment]:
    """Store uploads (already checked by the form) under the message."""
    stored = []
    for upload in files:
        attachment = Attachment(
            ticket_id=message.ticket_id,
            message=message,
            name=safe_name(upload.name),
            content_type=upload.content_type,
            size=upload.size,
            created_at=message.created_at,
        )
        attachment.file.save(upload.name, upload, save=False)
        attachment.save()
        stored.append(attachment)
    return stored
