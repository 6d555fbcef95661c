"""The customer's side of a ticket: signed links to its public thread, and
their satisfaction rating of how it was solved (issue 14)."""

import hashlib

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .inboxes import Customer
from .resolution import Resolution
from .ticket import Ticket


def token_hash(token: str) -> str:
    """What is stored of a link's token: its SHA-256 (the token has 256 random
    bits, so no salt or slow hash is needed; a leaked table opens nothing)."""
    return hashlib.sha256(token.encode()).hexdigest()


class TicketAccessQuerySet(models.QuerySet):
    def usable(self, *, now=None) -> "TicketAccessQuerySet":
        now = now or timezone.now()
        return self.filter(revoked_at__isnull=True, expires_at__gt=now)


class TicketAccess(models.Model):
    """One signed link (``/help/tickets/<token>/``) to one ticket for its customer.

    Each mail carries a fresh one; only the token's hash is kept, so a link can
    be checked and revoked but never rebuilt from the database."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="customer_links")
    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="ticket_links")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    last_used_at = models.DateTimeField(null=True, blank=True)

    objects = TicketAccessQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(
                fields=["ticket"], name="ticket_access_live", condition=Q(revoked_at__isnull=True)
            ),
            models.Index(
                fields=["customer"],
                name="ticket_access_customer",
                condition=Q(revoked_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"link to #{self.ticket_id} for customer {self.customer_id}"


class SatisfactionQuerySet(models.QuerySet):
    def second_look(self) -> "SatisfactionQuerySet":
        """Bad ratings nobody has looked at yet."""
        return self.filter(rating=Satisfaction.Rating.BAD, reviewed_at__isnull=True)


class Satisfaction(models.Model):
    """The customer's rating of one resolution (so of the articles that resolved it).

    A bad rating asks for a second look (``reviewed_at`` empty) until an agent or
    manager marks it seen. Rating again replaces the answer."""

    class Rating(models.TextChoices):
        GOOD = "good", "Good"
        BAD = "bad", "Bad"

    resolution = models.OneToOneField(
        Resolution, on_delete=models.CASCADE, related_name="satisfaction"
    )
    rating = models.CharField(max_length=4, choices=Rating.choices)
    comment = models.CharField(max_length=1000, blank=True)
    # Copied from the resolution so reports group without joining it.
    inbox_id = models.BigIntegerField()
    solved_by_id = models.BigIntegerField(null=True)
    solved_at = models.DateTimeField()
    rated_at = models.DateTimeField(default=timezone.now)
    reviewed_at = models.DateTimeField(null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    objects = SatisfactionQuerySet.as_manager()

    class Meta:
        indexes = [
            models.Index(fields=["solved_at"], name="satisfaction_solved"),
            models.Index(
                fields=["inbox_id", "-rated_at"],
                name="satisfaction_second_look",
                condition=Q(rating="bad", reviewed_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.rating} for resolution {self.resolution_id}"

    @property
    def is_bad(self) -> bool:
        return self.rating == self.Rating.BAD

    @property
    def needs_second_look(self) -> bool:
        return self.is_bad and self.reviewed_at is None
