"""Signed links: one random token per mail, only its hash stored.

A link opens one ticket for the customer it was made for, until it expires
(``CUSTOMER_LINK_DAYS``) or an agent revokes it. Whatever is wrong with a token
(unknown, altered, expired, revoked, the ticket now someone else's) the answer is
the same None, so the page never tells whether a ticket exists.
"""

import secrets
from datetime import timedelta
from urllib.parse import urlencode

from django.conf import settings
from django.db.models import QuerySet
from django.urls import reverse
from django.utils import timezone

from tickets.models import Ticket, TicketAccess, token_hash

# token_urlsafe(32): 43 characters; anything else in the URL is not ours.
TOKEN_LENGTH = 43


def issue_link(ticket: Ticket) -> str:
    """A new token for ``ticket``'s customer; the caller puts it in a mail."""
    token = secrets.token_urlsafe(32)
    now = timezone.now()
    TicketAccess.objects.create(
        ticket=ticket,
        customer_id=ticket.customer_id,
        token_hash=token_hash(token),
        created_at=now,
        expires_at=now + timedelta(days=settings.CUSTOMER_LINK_DAYS),
    )
    return token


def find_access(token: str) -> TicketAccess | None:
    """The live link behind ``token`` with its ticket, or None."""
    if len(token) != TOKEN_LENGTH:
        return None
    access = (
        TicketAccess.objects.usable()
        .select_related("ticket__inbox", "ticket__customer")
        .filter(token_hash=token_hash(token))
        .first()
    )
    # A ticket handed to another customer meanwhile is not theirs any more.
    if access is None or access.ticket.customer_id != access.customer_id:
        return None
    return access


def ticket_url(token: str) -> str:
    return settings.SITE_URL + reverse("customer:ticket", args=[token])


def rating_url(token: str, rating: str) -> str:
    return (
        settings.SITE_URL
        + reverse("customer:rate", args=[token])
        + "?"
        + urlencode({"rating": rating})
    )


def mail_footer(ticket: Ticket, token: str = "") -> str:
    """The Markdown every mail to the customer ends with: their signed link (a new
    one, or ``token``'s when the mail already made one).

    Empty when the ticket has no customer address (nothing is mailed then)."""
    if not ticket.customer.email:
        return ""
    url = ticket_url(token or issue_link(ticket))
    return (
        f"\n\n---\n\nSee the whole conversation, reply or tell us it is solved: [{url}]({url}) "
        f"(this link is for you alone; it works for {settings.CUSTOMER_LINK_DAYS} days)."
    )


def revoke(links: QuerySet, *, by) -> int:
    """Revoke the live links among ``links``; how many were live."""
    return links.filter(revoked_at__isnull=True).update(revoked_at=timezone.now(), revoked_by=by)
