"""Notification emails, sent by the task worker so no request waits on SMTP."""

from django.conf import settings
from django.core.mail import send_mail
from django.tasks import task
from django.urls import reverse

from tickets.models import Notification


def email_text(notification: Notification) -> tuple[str, str]:
    ticket = notification.ticket
    who = ""
    if notification.actor:
        who = (notification.actor.get_full_name() or notification.actor.username) + ": "
    subject = f"[{ticket.number}] {who}{notification.get_kind_display()}"
    # SITE_URL (e.g. https://desk.example.com), when set, makes the link absolute.
    link = getattr(settings, "SITE_URL", "").rstrip("/") + reverse(
        "tickets:detail", args=[ticket.pk]
    )
    body = f"{ticket.number} {ticket.subject}\n{notification.get_kind_display()}\n\n{link}\n"
    if notification.kind == Notification.Kind.MENTION and notification.message:
        body = f"{notification.message.body_text}\n\n{body}"
    return subject, body


@task
def email_notifications(notification_ids: list[int]) -> int:
    """Email each notification to its recipient, if they still want email and can
    still see the ticket (it may have moved to an inbox they are not in)."""
    sent = 0
    rows = Notification.objects.filter(
        pk__in=notification_ids,
        recipient__agent_settings__email_notifications=True,
        recipient__is_active=True,
    ).select_related("ticket", "recipient", "actor", "message")
    for notification in rows:
        recipient = notification.recipient
        if (
            not recipient.email
            or not recipient.inboxes.filter(pk=notification.ticket.inbox_id).exists()
        ):
            continue
        subject, body = email_text(notification)
        send_mail(subject, body, None, [recipient.email])
        sent += 1
    return sent
