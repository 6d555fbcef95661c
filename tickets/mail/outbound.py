"""Agents' replies by email, from the inbox's reply-from address.

A reply is created ``queued`` with our own Message-ID (so the customer's answer
threads back even before it leaves); a task sends it after the reply commits.
``deliver_message`` is the one state transition queued → sent: it locks the
row (skipping a row another worker holds), sends, and marks it sent in the
same transaction, so two workers never both send it. When the server is down
the error is kept, the next try's time stored (``delivery_due_at``, doubling
delays) and a task enqueued to run then; after ``MAIL_SEND_MAX_ATTEMPTS`` tries
the message is marked failed. ``send_queued`` (cron) enqueues again only replies
whose try is long overdue (their task was lost); a task that finds its reply
sent, or its next try not due yet, does nothing, so a spare one costs no attempt.

The one gap no mail system closes: if the server accepted the mail and the
database then failed to record it, the next try sends it again.
"""

import logging
import smtplib
from datetime import datetime, timedelta
from email.utils import formataddr

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.tasks import task
from django.utils import timezone

from articles.rendering import render_markdown
from tickets.mail.markdown_text import markdown_to_text
from tickets.models import Inbox, Message, Ticket
from tickets.portal.links import mail_footer
from tickets.services import new_message_id

log = logging.getLogger(__name__)
MAX_RETRY_DELAY = timedelta(hours=1)
REFERENCES_KEPT = 20
DELIVERY_FIELDS = ["delivery", "delivery_attempts", "delivery_error", "sent_at", "delivery_due_at"]


def reply_subject(ticket: Ticket) -> str:
    subject = ticket.subject
    if not subject.lower().startswith("re:"):
        subject = f"Re: {subject}"
    return f"{subject} [#{ticket.pk}]"


def thread_ids(message: Message) -> tuple[str, list[str]]:
    """(In-Reply-To, References) for ``message``: the thread's mails before it."""
    earlier = list(
        Message.objects.filter(ticket_id=message.ticket_id, created_at__lte=message.created_at)
        .exclude(pk=message.pk)
        .exclude(message_id="")
        .exclude(kind=Message.Kind.NOTE)
        .order_by("created_at", "id")
        .values_list("kind", "message_id")
    )
    customer_ids = [mid for kind, mid in earlier if kind == Message.Kind.CUSTOMER]
    in_reply_to = customer_ids[-1] if customer_ids else (earlier[-1][1] if earlier else "")
    return in_reply_to, [mid for _, mid in earlier][-REFERENCES_KEPT:]


# Inline styles only: mail clients drop <style> blocks and every external sheet.
HTML_PAGE = (
    '<!DOCTYPE html><html><head><meta charset="utf-8"></head>'
    '<body style="font-family: sans-serif; font-size: 15px; line-height: 1.5; color: #1a1a1a">'
    "{body}{signature}</body></html>"
)
HTML_SIGNATURE = '<div style="color: #555; border-top: 1px solid #ddd; margin-top: 1.5em">{}</div>'


def mail_parts(body: str, inbox: Inbox) -> tuple[str, str]:
    """(plain text, HTML) of one Markdown ``body`` with the inbox's signature:
    both from the same parse, so the two parts never say different things."""
    text = markdown_to_text(body)
    html_signature = ""
    if inbox.signature.strip():
        # "-- " is the signature delimiter clients and our own intake recognise.
        text += "\n-- \n" + markdown_to_text(inbox.signature)
        html_signature = HTML_SIGNATURE.format(render_markdown(inbox.signature))
    html = HTML_PAGE.format(body=render_markdown(body), signature=html_signature)
    return text, html


def reply_recipients(ticket: Ticket) -> tuple[list[str], list[str]]:
    """(To, Cc) of a reply: the customer, and the ticket's participants on Cc, in the
    open (never Bcc: everyone on the thread sees who else reads it)."""
    customer = ticket.customer.email.lower()
    cc = [
        formataddr((participant.name, participant.email))
        for participant in ticket.participants.all()
        if participant.email.lower() != customer
    ]
    return [formataddr((ticket.customer.name, ticket.customer.email))], cc


def build_reply(message: Message) -> EmailMessage:
    ticket = message.ticket
    in_reply_to, references = thread_ids(message)
    headers = {"Message-ID": message.message_id}
    if in_reply_to:
        headers["In-Reply-To"] = in_reply_to
    if references:
        headers["References"] = " ".join(references)
    text, html = mail_parts(message.body_text + mail_footer(ticket), ticket.inbox)
    to, cc = reply_recipients(ticket)
    email = EmailMultiAlternatives(
        subject=reply_subject(ticket),
        body=text,
        from_email=formataddr((ticket.inbox.name, ticket.inbox.reply_from)),
        to=to,
        cc=cc,
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    # Files the agent attached to the reply go out with it.
    for attachment in message.attachments.all():
        with attachment.file.open("rb") as handle:
            email.attach(attachment.name, handle.read(), attachment.content_type)
    return email


def enqueue_delivery(message_pk: int, *, due: datetime | None = None) -> None:
    """A task to try ``message_pk`` at ``due`` (its delivery_due_at), or now."""
    task = send_message.using(run_after=due) if due else send_message
    task.enqueue(message_pk)


def retry_delay(attempts: int) -> timedelta:
    return min(timedelta(seconds=settings.MAIL_SEND_RETRY_SECONDS * 2 ** (attempts - 1)),
               MAX_RETRY_DELAY)  # fmt: skip


def deliver_message(message_pk: int, *, only_when_due: bool = False) -> str:
    """Send a queued message once: "sent", "retry", "failed", or "skipped" (not queued
    any more, another worker is sending it right now, or, ``only_when_due`` (tasks),
    its next try is not due yet: a spare task, early)."""
    queued = Q(pk=message_pk, delivery=Message.Delivery.QUEUED)
    if only_when_due:
        queued &= Q(delivery_due_at__isnull=True) | Q(delivery_due_at__lte=timezone.now())
    with transaction.atomic():
        message = (
            Message.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("ticket__inbox", "ticket__customer")
            .filter(queued)
            .first()
        )
        if message is None:
            return "skipped"
        message.delivery_attempts += 1
        try:
            build_reply(message).send()
        except (smtplib.SMTPException, OSError) as error:
            message.delivery_error = f"{type(error).__name__}: {error}"[:2000]
            permanent = isinstance(error, smtplib.SMTPRecipientsRefused)
            if permanent or message.delivery_attempts >= settings.MAIL_SEND_MAX_ATTEMPTS:
                message.delivery = Message.Delivery.FAILED
                outcome = "failed"
            else:
                due = timezone.now() + retry_delay(message.delivery_attempts)
                message.delivery_due_at = due
                # The task runs at the stored time exactly, so it finds the try due.
                transaction.on_commit(lambda: enqueue_delivery(message_pk, due=due))
                outcome = "retry"
            log.warning("reply %s not sent (%s): %s", message_pk, outcome, error)
        else:
            message.delivery = Message.Delivery.SENT
            message.delivery_error = ""
            message.sent_at = timezone.now()
            outcome = "sent"
        message.save(update_fields=DELIVERY_FIELDS)
        return outcome


def send_queued(*, older_than: timedelta = timedelta(minutes=15)) -> int:
    """Enqueue again the replies still queued ``older_than`` after their try was due
    (its task was lost with a worker); a reply waiting for a retry is left alone."""
    now = timezone.now()
    with transaction.atomic():
        pks = list(
            Message.objects.select_for_update(skip_locked=True)
            .annotate(due=Coalesce("delivery_due_at", "created_at"))
            .filter(delivery=Message.Delivery.QUEUED, due__lt=now - older_than)
            .values_list("pk", flat=True)
        )
        Message.objects.filter(pk__in=pks).update(delivery_due_at=now)
        # The task backend is this database: the tasks commit with the due times.
        for pk in pks:
            enqueue_delivery(pk, due=now)
    return len(pks)


def acknowledgement(message: Message) -> EmailMessage:
    """The receipt for a new ticket: marked automatic so other robots do not answer it."""
    ticket = message.ticket
    body = (
        f"Hello,\n\nWe received your message and opened ticket **#{ticket.pk}**. "
        "A person will answer you by email. To add anything, reply to this email "
        f"and keep [#{ticket.pk}] in the subject."
    )
    body += mail_footer(ticket)
    if not ticket.inbox.signature.strip():
        body += f"\n\n{ticket.inbox.name}"
    text, html = mail_parts(body, ticket.inbox)
    headers = {
        "Message-ID": new_message_id(),
        "Auto-Submitted": "auto-replied",
        "X-Auto-Response-Suppress": "All",
        "Precedence": "auto_reply",
    }
    if message.message_id:
        headers["In-Reply-To"] = message.message_id
        headers["References"] = message.message_id
    email = EmailMultiAlternatives(
        subject=reply_subject(ticket),
        body=text,
        from_email=formataddr((ticket.inbox.name, ticket.inbox.reply_from)),
        to=[ticket.customer.email],
        headers=headers,
    )
    email.attach_alternative(html, "text/html")
    return email


# The tasks (run by ``manage.py db_worker``) live beside the work they do.
@task
def send_message(message_pk: int) -> str:
    return deliver_message(message_pk, only_when_due=True)


@task
def send_acknowledgement(message_pk: int) -> bool:
    return deliver_acknowledgement(message_pk)


def deliver_acknowledgement(message_pk: int) -> bool:
    message = (
        Message.objects.select_related("ticket__inbox", "ticket__customer")
        .filter(pk=message_pk)
        .first()
    )
    if message is None or not message.ticket.customer.email:
        return False
    acknowledgement(message).send()
    return True
