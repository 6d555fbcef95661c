"""Per-user settings (one row per user, made on first use) and in-app notifications."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone


class AgentSettings(models.Model):
    """Everything a user sets for themselves, and what managers set about an agent
    (the cap of open tickets round-robin gives them). One settings page edits it."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="agent_settings",
    )
    # WCAG 2.1.4: single-key shortcuts must be possible to turn off.
    shortcuts_enabled = models.BooleanField(
        "Single-key keyboard shortcuts", default=True, help_text="j/k, r, n, s, a, / and ?"
    )
    notify_assigned = models.BooleanField("A ticket is assigned to me", default=True)
    notify_customer_reply = models.BooleanField("The customer of my ticket replies", default=True)
    notify_mention = models.BooleanField("Someone @mentions me in a note", default=True)
    notify_sla = models.BooleanField("My ticket is about to breach its SLA", default=True)
    email_notifications = models.BooleanField("Also email me these notifications", default=False)
    # Round-robin skips agents who are away and those at their cap of open tickets.
    away = models.BooleanField("Away (no new tickets from round-robin)", default=False)
    max_open_tickets = models.PositiveSmallIntegerField(
        "Cap of open tickets", null=True, blank=True, help_text="Empty: no cap."
    )
    # Round-robin's turn: the agent given a ticket longest ago goes next.
    last_auto_assigned_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "agent settings"

    def __str__(self) -> str:
        return f"Settings of {self.user}"

    @classmethod
    def for_user(cls, user) -> "AgentSettings":
        settings_row, _ = cls.objects.get_or_create(user=user)
        return settings_row

    def wants(self, kind: str) -> bool:
        """Whether this user is notified of ``kind`` (a Notification.Kind)."""
        return bool(getattr(self, f"notify_{kind}"))


class Notification(models.Model):
    class Kind(models.TextChoices):
        ASSIGNED = "assigned", "assigned to you"
        CUSTOMER_REPLY = "customer_reply", "the customer replied"
        MENTION = "mention", "mentioned you in a note"
        SLA = "sla", "SLA about to breach"

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    ticket = models.ForeignKey(
        "tickets.Ticket", on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(max_length=20, choices=Kind.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    message = models.ForeignKey(
        "tickets.Message", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # SLA warnings: the due time warned about, so each is sent once.
    due_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "-created_at", "-id"], name="notification_recent"),
            # The bell's count: a user's unread ones only, a tiny index.
            models.Index(
                fields=["recipient", "ticket"],
                name="notification_unread",
                condition=Q(read_at__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.recipient}: #{self.ticket_id} {self.get_kind_display()}"

    @property
    def is_read(self) -> bool:
        return self.read_at is not None
