"""Free tags on tickets: a tag is a name; the through model says which ticket
carries it, who put it there and when. Ticket itself is not changed: its tags
are ``ticket.tags`` through ``TicketTag``."""

from django.conf import settings
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone

from .ticket import Ticket

TAG_MAX_LENGTH = 40


class Tag(models.Model):
    # Stored as typed, unique case-insensitively ("VIP" and "vip" are one tag).
    name = models.CharField(max_length=TAG_MAX_LENGTH)
    tickets = models.ManyToManyField(Ticket, through="TicketTag", related_name="tags")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["name"]
        # No prefix index for the autocomplete: a team's tags are a few hundred rows,
        # and a PostgreSQL operator class would break the SQLite demo's migrate.
        constraints = [models.UniqueConstraint(Lower("name"), name="unique_tag_name_ci")]

    def __str__(self) -> str:
        return self.name


class TicketTag(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="tag_links")
    tag = models.ForeignKey(Tag, on_delete=models.CASCADE, related_name="ticket_links")
    added_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        # No default ordering: the queue and the report read these by the thousand.
        constraints = [models.UniqueConstraint(fields=["ticket", "tag"], name="ticket_tag_once")]
        # The queue's ?tag= filter and the report's split start from the tag.
        indexes = [models.Index(fields=["tag", "ticket"], name="ticket_tag_by_tag")]

    def __str__(self) -> str:
        return f"#{self.ticket_id} {self.tag_id}"
