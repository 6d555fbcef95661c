"""A ticket's thread: messages, their attachments and the event log."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .ticket import Ticket


class Message(models.Model):
    class Kind(models.TextChoices):
        CUSTOMER = "customer", "Customer message"
        REPLY = "reply", "Agent reply"
        NOTE = "note", "Internal note"

    class Delivery(models.TextChoices):
        NONE = "", "Not emailed"
        QUEUED = "queued", "Queued"
        SENT = "sent", "Sent"
        FAILED = "failed", "Failed"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="messages")
    kind = models.CharField(max_length=10, choices=Kind.choices)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    body_text = models.TextField(blank=True)
    # Sanitised HTML (nh3) when the source had HTML; display prefers body_text.
    body_html = models.TextField(blank=True)
    # An inbound mail's quoted history and signature, split off ``body_text`` (which
    # keeps only what the customer just wrote: previews, search and suggestions).
    quoted_text = models.TextField(blank=True, db_default="")
    created_at = models.DateTimeField(default=timezone.now)
    # Who really wrote an inbound mail (a colleague on Cc, a mail server, an
    # auto-reply: not always the ticket's customer), and why it was automatic
    # ("" for a person). Database defaults too, for bulk loads.
    sender_email = models.CharField(max_length=254, blank=True, db_default="")
    sender_name = models.CharField(max_length=120, blank=True, db_default="")
    automatic = models.CharField(max_length=200, blank=True, db_default="")
    # The inbound mail's other recipients (To and Cc but our inboxes and the sender),
    # one address a line: the colleagues an agent may add as participants.
    copied = models.TextField(blank=True, db_default="")
    # Email headers, for threading and deduplication.
    message_id = models.CharField(max_length=255, blank=True)
    in_reply_to = models.CharField(max_length=255, blank=True)
    references = models.TextField(blank=True)
    delivery = models.CharField(
        max_length=10, choices=Delivery.choices, default=Delivery.NONE, blank=True
    )
    # Outbound mail (tickets.mail.outbound): tries so far, the last error, when it left.
    # Database defaults too, so bulk loads (bench COPY) may leave them out.
    delivery_attempts = models.PositiveSmallIntegerField(default=0, db_default=0)
    delivery_error = models.TextField(blank=True, db_default="")
    sent_at = models.DateTimeField(null=True, blank=True)
    # When the next try is due (a retry's); NULL: the first, due on creation.
    delivery_due_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="message_thread"),
            models.Index(
                fields=["message_id"], name="message_message_id", condition=~Q(message_id="")
            ),
            # Replies still on their way or given up: the sender's sweep and /metrics.
            models.Index(
                fields=["delivery"],
                name="message_undelivered",
                condition=Q(delivery__in=["queued", "failed"]),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} on #{self.ticket_id}"

    @property
    def is_note(self) -> bool:
        return self.kind == self.Kind.NOTE


def attachment_path(instance: "Attachment", filename: str) -> str:
    # The shown name (Attachment.name) may be 255 bytes; a path part may not exceed
    # that with the time prefix, so the stored file's name is a short form of it.
    stem, dot, ext = filename.rpartition(".")
    if not dot or not stem or len(ext) > 16:
        stem, dot, ext = filename, "", ""
    short = stem.encode()[:80].decode(errors="ignore") + dot + ext
    return f"attachments/{instance.ticket_id}/{timezone.now():%Y%m%d%H%M%S}-{short}"


class Attachment(models.Model):
    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="attachments")
    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="attachments", null=True, blank=True
    )
    file = models.FileField(upload_to=attachment_path, max_length=300)
    name = models.CharField(max_length=255)
    content_type = models.CharField(max_length=120)
    size = models.PositiveBigIntegerField()
    created_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return self.name

    @property
    def is_image(self) -> bool:
        return self.content_type.startswith("image/")


class TicketEvent(models.Model):
    """Audit trail: who changed what on a ticket, and when."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        STATUS = "status", "Status"
        ASSIGNEE = "assignee", "Assignee"
        PRIORITY = "priority", "Priority"
        CATEGORY = "category", "Category"
        INBOX = "inbox", "Moved to inbox"
        TAGS = "tags", "Tags"
        MERGED = "merged", "Merged"

    ticket = models.ForeignKey(Ticket, on_delete=models.CASCADE, related_name="events")
    kind = models.CharField(max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    old_value = models.CharField(max_length=200, blank=True)
    new_value = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    # On "moved to inbox" events only: the ticket's current inbox, copied and kept
    # right by database triggers (``tickets.reports.moves``; empty on SQLite) so the
    # report counts moved tickets per inbox without joining the tickets.
    ticket_inbox = models.ForeignKey(
        "tickets.Inbox",
        on_delete=models.DO_NOTHING,
        null=True,
        blank=True,
        editable=False,
        db_constraint=False,
        db_index=False,
        related_name="+",
    )
    # On move events only: the local day of the same ticket's move before
    # (``ReportMove.NO_MOVE_BEFORE`` if none), kept by triggers on PostgreSQL
    # (``tickets.reports.moves``) for the moves' roll-up; empty on SQLite.
    previous_move_day = models.DateField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["ticket", "created_at"], name="event_ticket"),
            # The moves only, with their ticket's inbox and the ticket: the report
            # counts the period's moved tickets per inbox from this small index
            # alone (``measures.inbox_moves``), no visit to the events or tickets.
            models.Index(
                fields=["created_at", "ticket_inbox", "ticket"],
                condition=models.Q(kind="inbox"),
                name="event_moves",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} on #{self.ticket_id}"
