"""Which existing ticket a mail continues, if any.

First the Message-IDs it answers (In-Reply-To, References, and for a bounce
the Message-ID of our mail it quotes) against the Message-IDs we stored or
sent; then a ``[#1234]`` token in the subject. Both only ever find a ticket in
the inbox the mail was routed to: mail to billing@ quoting a general ticket
starts a billing ticket. The subject token, which anyone can type, threads only
when the sender is that ticket's customer or one of its participants; Message-IDs
are not guessable. A ticket merged into another hands its mail to the survivor.
"""

import re

from django.db.models import Q

from tickets.merge.services import surviving
from tickets.models import Inbox, Message, Ticket

TOKEN = re.compile(r"\[#(\d{1,12})\]")


def find_ticket(
    *, thread_ids: list[str], subject: str, sender: str, inbox: Inbox
) -> Ticket | None:
    if thread_ids:
        message = (
            Message.objects.filter(message_id__in=thread_ids[:50], ticket__inbox=inbox)
            .exclude(kind=Message.Kind.NOTE)
            .select_related("ticket")
            .order_by("-created_at", "-id")
            .first()
        )
        if message is not None:
            return surviving(message.ticket)
    token = TOKEN.search(subject)
    if token and sender:
        # The customer, or a colleague of theirs the agent made a participant.
        writer = Q(customer__email__iexact=sender) | Q(participants__email__iexact=sender)
        ticket = Ticket.objects.filter(writer, pk=int(token.group(1)), inbox=inbox).first()
        return surviving(ticket) if ticket else None
    return None


def subject_without_token(subject: str) -> str:
    return " ".join(TOKEN.sub("", subject).split())
