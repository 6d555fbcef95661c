"""Who else is on a ticket: the customer's colleagues an agent copies on every reply."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .ticket import Ticket


class Participant(models.Model):
    """A colleague of the customer's (seen on Cc, or typed by an agent): every reply
    goes to the customer with the ticket's participants on Cc, and their own mail
    threads into the ticket and shows as theirs."""

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="participants")
    email = models.CharField(max_length=254)
    name = models.CharField(max_length=120, blank=True)
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="+",
    )  # fmt: skip
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            # Once per ticket, whatever the case it was typed in.
            models.UniqueConstraint("ticket", Lower("email"), name="participant_once_per_ticket"),
        ]

    def __str__(self) -> str:
        return f"{self.email} on #{self.ticket_id}"
