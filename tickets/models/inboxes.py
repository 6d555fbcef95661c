"""Inboxes (the addresses customers write to) and the customers who write."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from supportdesk import roles


class InboxQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InboxQuerySet":
        """Inboxes whose tickets ``user`` may see: their own; managers all."""
        if not user.is_authenticated:
            return self.none()
        if roles.is_manager(user):
            return self
        return self.filter(members=user)


class Inbox(models.Model):
    name = models.CharField(max_length=80)
    slug = models.SlugField(max_length=40, unique=True)
    address = models.EmailField(unique=True, help_text="Mail to this address lands here.")
    reply_from = models.EmailField(help_text="Replies to customers are sent from this address.")
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="inboxes", blank=True)
    position = models.PositiveSmallIntegerField(default=0)
    # Loop-safe: never sent for automatic mail (auto-replies, bounces, lists).
    acknowledge_new_tickets = models.BooleanField(
        default=False, help_text="Email the customer a receipt with the number of a new ticket."
    )
    signature = models.TextField(
        blank=True,
        db_default="",
        help_text="Markdown added under every reply sent from this inbox.",
    )

    # Issue 15: new tickets go to the inbox's agents in turn (tickets.assignment).
    round_robin = models.BooleanField(
        default=False,
        db_default=False,
        help_text="Give each new ticket to the next agent of this inbox who is not away "
        "and below their cap of open tickets.",
    )

    # A new value whenever the inbox's SLA hours, holidays or policies change:
    # processes key their cached clock rules by it (tickets.sla.clock.rules_for).
    sla_rules_version = models.UUIDField(default=uuid.uuid4, editable=False)

    objects = InboxQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        verbose_name_plural = "inboxes"

    def __str__(self) -> str:
        return self.name

    @property
    def is_billing(self) -> bool:
        return self.slug == "billing"


class Customer(models.Model):
    email = models.EmailField()
    name = models.CharField(max_length=120, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["email"]
        constraints = [models.UniqueConstraint(Lower("email"), name="unique_customer_email_ci")]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}>" if self.name else self.email
