"""Merged tickets: which ticket one was merged into."""

from django.conf import settings
from django.db import models
from django.utils import timezone


class TicketMerge(models.Model):
    """``merged`` lives on in ``into``: its thread, article links and resolutions
    moved there, its page redirects there, and mail threading to it lands there."""

    merged = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, primary_key=True, related_name="merge"
    )
    into = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="merged_from"
    )
    merged_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    merged_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"#{self.merged_id} merged into #{self.into_id}"
