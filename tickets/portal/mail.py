"""The mail that tells the customer their ticket is solved, with the one-click rating."""

from email.utils import formataddr

from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.tasks import task

from tickets.mail.outbound import mail_parts, reply_subject
from tickets.models import Message, Resolution
from tickets.portal import links
from tickets.services import new_message_id


def notify_solved(resolution: Resolution) -> None:
    """After commit, mail the customer that ``resolution`` solved their ticket.
    Not when the customer said so themselves (they are rating on the page)."""
    if resolution.solved_by_id is None:
        return
    transaction.on_commit(lambda: send_solved_notice.enqueue(resolution.pk))


def solved_notice(resolution: Resolution) -> EmailMessage:
    ticket = resolution.ticket
    token = links.issue_link(ticket)
    good = links.rating_url(token, "good")
    bad = links.rating_url(token, "bad")
    body = (
        # Not the subject: the customer's words are not Markdown of ours (it is in
        # the mail's Subject line anyway).
        f"Hello,\n\nWe marked ticket **#{ticket.pk}** as solved.\n\n"
        f"How did we do? One click tells us:\n\n- [Good, thank you]({good})\n"
        f"- [Bad, this did not help]({bad})\n\n"
        "If it is not solved after all, reply to this email and the ticket opens again."
    ) + links.mail_footer(ticket, token)
    if not ticket.inbox.signature.strip():
        body += f"\n\n{ticket.inbox.name}"
    text, html = mail_parts(body, ticket.inbox)
    headers = {
        "Message-ID": new_message_id(),
        "Auto-Submitted": "auto-generated",
        "X-Auto-Response-Suppress": "All",
    }
    last = (
        Message.objects.filter(ticket=ticket, kind=Message.Kind.CUSTOMER)
        .exclude(message_id="")
        .order_by("-created_at", "-id")
        .values_list("message_id", flat=True)
        .first()
    )
    if last:
        headers["In-Reply-To"] = last
        headers["References"] = last
    email = EmailMultiAlternatives(
        subject=reply_subject(ticket),
        body=text,
        from_email=formataddr((ticket.inbox.name, ticket.inbox.reply_from)),
        to=[ticket.customer.email],
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    return email


def deliver_solved_notice(resolution_pk: int) -> bool:
    resolution = (
        Resolution.objects.select_related("ticket__inbox", "ticket__customer")
        .filter(pk=resolution_pk)
        .first()
    )
    # Reopened (or re-solved) before the task ran: this solve is no news any more.
    if resolution is None or resolution.reopened_at or not resolution.ticket.customer.email:
        return False
    if resolution.ticket.is_open:
        return False
    solved_notice(resolution).send()
    return True


@task
def send_solved_notice(resolution_pk: int) -> bool:
    return deliver_solved_notice(resolution_pk)
