"""Outgoing webhooks (tickets.webhooks): where events go, and each delivery's log."""

import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone


class WebhookEvent(models.TextChoices):
    TICKET_CREATED = "ticket.created", "A ticket was created"
    TICKET_SOLVED = "ticket.solved", "A ticket was solved"
    RESOLUTION_NOT_HELD = "resolution.not_held", "A solve did not hold (reopened in the window)"
    ARTICLE_PUBLISHED = "article.published", "An article was published"
    CSAT_RECEIVED = "csat.received", "A customer rated a solved ticket"


def new_secret() -> str:
    return "whsec_" + secrets.token_urlsafe(32)


class Webhook(models.Model):
    """A receiver managers registered. ``inbox`` scopes ticket events to one inbox
    (a General webhook never hears of a Billing ticket); empty: every inbox."""

    name = models.CharField(max_length=80)
    url = models.URLField(max_length=500)
    # Kept readable: the HMAC needs it, and the manager copies it to the receiver.
    secret = models.CharField(max_length=100, default=new_secret)
    events = models.JSONField(default=list)
    inbox = models.ForeignKey(
        "tickets.Inbox", on_delete=models.CASCADE, null=True, blank=True, related_name="webhooks"
    )
    active = models.BooleanField(default=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name", "id"]

    def __str__(self) -> str:
        return self.name


class WebhookDelivery(models.Model):
    """One event for one webhook: its payload, tries, and the last answer."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        DELIVERED = "delivered", "Delivered"
        FAILED = "failed", "Failed"

    webhook = models.ForeignKey(Webhook, on_delete=models.CASCADE, related_name="deliveries")
    event = models.CharField(max_length=40, choices=WebhookEvent.choices)
    payload = models.JSONField()
    # The ticket the event is about (erasure blanks these payloads); none for articles.
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveSmallIntegerField(default=0)
    response_code = models.PositiveSmallIntegerField(null=True, blank=True)
    error = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["webhook", "-created_at"], name="webhook_delivery_log")]

    def __str__(self) -> str:
        return f"{self.event} to {self.webhook_id} ({self.status})"
