"""The email channel's intake: raw mail as received, and polled IMAP mailboxes."""

from django.db import models
from django.db.models import Q
from django.utils import timezone

from supportdesk import roles

from .inboxes import Inbox
from .thread import Message
from .ticket import Ticket


class InboundEmailQuerySet(models.QuerySet):
    def visible_to(self, user) -> "InboundEmailQuerySet":
        """Quarantined mail a user may see: members see mail routed to their inboxes;
        unroutable mail (no inbox) only managers, since it may be anyone's."""
        if not user.is_authenticated:
            return self.none()
        if roles.is_manager(user):
            return self  # including mail with no inbox
        return self.filter(inbox__in=Inbox.objects.visible_to(user))


class InboundEmail(models.Model):
    """One received mail, stored raw before anything else so nothing is lost."""

    class Status(models.TextChoices):
        RECEIVED = "received", "Received"
        PROCESSED = "processed", "Processed"
        DUPLICATE = "duplicate", "Duplicate"
        QUARANTINED = "quarantined", "Quarantined"
        DISCARDED = "discarded", "Discarded"

    raw = models.BinaryField()
    source = models.CharField(max_length=40, help_text="cli, imap:<inbox>, webhook:<esp>, …")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.RECEIVED)
    reason = models.TextField(blank=True)
    received_at = models.DateTimeField(default=timezone.now)
    # Recipients reported beside the raw mail (a provider's envelope, the IMAP
    # mailbox's inbox): not in its headers, yet needed to route it on retry.
    envelope = models.JSONField(default=list, blank=True)
    processed_at = models.DateTimeField(null=True, blank=True)
    # Filled by parsing and routing; shown in the quarantine list.
    message_id_header = models.CharField("Message-ID", max_length=255, blank=True)
    sender = models.CharField(max_length=255, blank=True)
    subject = models.CharField(max_length=255, blank=True)
    inbox = models.ForeignKey(
        Inbox, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_emails"
    )
    message = models.ForeignKey(
        Message, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_emails"
    )
    ticket = models.ForeignKey(
        Ticket, on_delete=models.SET_NULL, null=True, blank=True, related_name="inbound_emails"
    )

    objects = InboundEmailQuerySet.as_manager()

    class Meta:
        ordering = ["-received_at", "-id"]
        constraints = [
            # The deduplication: one processed mail per Message-ID and inbox, even when
            # two workers ingest the same message at once (the loser gets IntegrityError).
            models.UniqueConstraint(
                fields=["inbox", "message_id_header"],
                condition=Q(status="processed"),
                name="inbound_unique_message_per_inbox",
            )
        ]
        indexes = [models.Index(fields=["status", "-received_at"], name="inbound_status")]

    def __str__(self) -> str:
        return f"Inbound mail {self.pk} ({self.status})"


class ImapMailbox(models.Model):
    """Where ``fetch_mail`` polls an inbox's mail, and how far it got (UIDVALIDITY and
    the last UID seen), so a restart neither skips nor repeats messages."""

    class Security(models.TextChoices):
        SSL = "ssl", "TLS (IMAPS, port 993)"
        STARTTLS = "starttls", "STARTTLS (port 143)"
        PLAIN = "plain", "None (loopback only)"

    inbox = models.OneToOneField(Inbox, on_delete=models.CASCADE, related_name="imap_mailbox")
    host = models.CharField(max_length=255)
    port = models.PositiveIntegerField(default=993)
    security = models.CharField(max_length=10, choices=Security.choices, default=Security.SSL)
    username = models.CharField(max_length=255)
    # The password itself never sits in the database: only the variable holding it.
    password_env = models.CharField(max_length=100, help_text="Environment variable name")
    folder = models.CharField(max_length=255, default="INBOX")
    enabled = models.BooleanField(default=True)
    uidvalidity = models.BigIntegerField(null=True, blank=True)
    last_uid = models.BigIntegerField(default=0)
    last_polled_at = models.DateTimeField(null=True, blank=True)
    last_error = models.TextField(blank=True)

    def __str__(self) -> str:
        return f"{self.username}@{self.host}/{self.folder} → {self.inbox}"
