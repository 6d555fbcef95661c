"""A ticket's participants: the customer's colleagues, copied on every reply (issue 13).

An agent adds one from the addresses seen on the ticket's mail (who wrote, and
who else each mail went to) or types one; replies then go to the customer with
the participants on Cc (``outbound.reply_recipients``), and a participant's own
mail threads into the ticket like the customer's. Automatic mail never makes
anyone a participant: nothing is added without an agent, addresses seen only on
automatic mail are never offered, and robot addresses are refused even typed.
"""

import re
import unicodedata
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Expression, OuterRef
from django.db.models.functions import JSONObject

from tickets.attachments import INVISIBLE
from tickets.lists import list_of
from tickets.mail import routing
from tickets.mail.parse import clean_line
from tickets.models import Inbox, Message, Participant, Ticket
from tickets.services import ensure_editable

# Mail servers, bounce handlers and senders that read no answers.
ROBOT = re.compile(
    r"^(mailer-daemon|postmaster|mail-daemon|bounces?|no-?reply|do-?not-?reply|donotreply|"
    r"notifications?|auto-?reply)([+._-].*)?@",
    re.I,
)
MAX_ADDRESS = 254


class ParticipantError(ValidationError):
    """An address that cannot be a participant; the message says why."""


@dataclass(frozen=True)
class Address:
    email: str
    name: str = ""


def participant_lists() -> dict[str, Expression]:
    """Annotations for the ticket's query: its participants, and the people its
    mail came from or went to (read with the ticket, not apart)."""
    participants = Participant.objects.filter(ticket=OuterRef("pk")).order_by("added_at", "id")
    # Only a person's mail: an auto-reply's or a bounce's addresses are never offered.
    mails = Message.objects.filter(
        ticket=OuterRef("pk"), kind=Message.Kind.CUSTOMER, automatic=""
    ).exclude(sender_email="", copied="")
    return {
        "participant_rows": list_of(participants, JSONObject(email="email", name="name")),
        "mail_rows": list_of(
            mails.order_by("-created_at", "-id")[:200],
            JSONObject(email="sender_email", name="sender_name", copied="copied"),
        ),
    }


def participants_of(ticket: Ticket) -> list[Address]:
    """The ticket's participants; ``ticket`` comes with ``participant_lists``."""
    return [Address(**row) for row in ticket.participant_rows]


def candidates(ticket: Ticket) -> list[Address]:
    """Addresses seen on the ticket's mail that could be participants, newest first:
    not the customer, not already participants, no robots."""
    taken = {ticket.customer.email.lower()} | {a.email.lower() for a in participants_of(ticket)}
    found: dict[str, Address] = {}
    for row in ticket.mail_rows:
        seen = [(row["email"], row["name"])] + [(a, "") for a in row["copied"].splitlines()]
        for email, name in seen:
            key = email.strip().lower()
            if not key or key in taken or ROBOT.match(key):
                continue
            if key not in found or (name and not found[key].name):
                found[key] = Address(email=email.strip(), name=name)
    return list(found.values())


def _known_name(ticket: Ticket, email: str) -> str:
    """The name the address signed its latest mail on this ticket with, if any."""
    names = Message.objects.filter(ticket=ticket, sender_email__iexact=email).exclude(
        sender_name=""
    )
    return names.order_by("-created_at", "-id").values_list("sender_name", flat=True).first() or ""


def plain_name(name: str) -> str:
    """A display name without controls or bidi and other invisible characters (a name
    goes into the Cc header and the page; an override could make it read otherwise)."""
    visible = "".join(c for c in name if unicodedata.category(c) not in INVISIBLE)
    return " ".join(clean_line(visible).split())


def check_address(ticket: Ticket, email: str) -> str:
    """``email`` cleaned, or ParticipantError saying why it cannot be a participant."""
    email = clean_line(email).strip()
    if len(email) > MAX_ADDRESS:
        raise ParticipantError(f"An address is at most {MAX_ADDRESS} characters.")
    try:
        validate_email(email)
    except ValidationError:
        raise ParticipantError(f"“{email}” is not an email address.") from None
    key = routing.normalise(email)
    if key == routing.normalise(ticket.customer.email):
        raise ParticipantError("That is the customer: replies already go to them.")
    if ROBOT.match(email):
        raise ParticipantError(f"{email} is an automatic sender: it reads no replies.")
    ours = {routing.normalise(a) for pair in Inbox.objects.values_list("address", "reply_from")
            for a in pair if a}  # fmt: skip
    if key in ours:
        raise ParticipantError(f"{email} is one of our own inbox addresses.")
    automatic_only = (
        Message.objects.filter(ticket=ticket, sender_email__iexact=email)
        .exclude(automatic="")
        .exists()
        and not Message.objects.filter(
            ticket=ticket, sender_email__iexact=email, automatic=""
        ).exists()
    )
    if automatic_only:
        raise ParticipantError(f"{email} only ever sent automatic mail on this ticket.")
    return email


@transaction.atomic
def add_participant(ticket: Ticket, *, email: str, name: str = "", by) -> Participant:
    """Copy ``email`` on the ticket's replies from now on."""
    ticket = (
        Ticket.objects.select_for_update(of=("self",)).select_related("customer").get(pk=ticket.pk)
    )
    ensure_editable(ticket, allow_solved=True)
    email = check_address(ticket, email)
    name = plain_name(name)[:120] or plain_name(_known_name(ticket, email))[:120]
    try:
        with transaction.atomic():
            return Participant.objects.create(ticket=ticket, email=email, name=name, added_by=by)
    except IntegrityError:
        raise ParticipantError(f"{email} is already a participant.") from None


@transaction.atomic
def remove_participant(ticket: Ticket, *, email: str, by) -> bool:
    """Stop copying ``email``; False when it was not a participant."""
    ensure_editable(ticket, allow_solved=True)
    email = email.strip()
    if "\x00" in email or len(email) > 254:  # no participant has such an address
        return False
    deleted, _ = Participant.objects.filter(ticket=ticket, email__iexact=email).delete()
    return bool(deleted)
