from django.conf import settings
from django.db import models
from django.utils import timezone


class ApiToken(models.Model):
    """A personal API token. Only its SHA-256 is stored: the token itself is shown
    once, when made (settings page or ``manage.py create_api_token``)."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens"
    )
    name = models.CharField(max_length=80)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    # The first characters, so the owner can tell tokens apart; not enough to guess it.
    prefix = models.CharField(max_length=12, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "API token"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class AuditEvent(models.Model):
    """One security-relevant action: who, what, on what, from where. Written by
    supportdesk.audit.record; never edited."""

    class Action(models.TextChoices):
        SIGN_IN = "sign_in", "Signed in"
        SIGN_IN_FAILED = "sign_in_failed", "Sign-in failed"
        LOCKED_OUT = "locked_out", "Locked out"
        UNLOCKED = "unlocked", "Unlocked"
        ROLES_CHANGED = "roles_changed", "Roles changed"
        INBOX_MEMBERSHIP = "inbox_membership", "Inbox membership changed"
        PUBLISHED = "published", "Article published"
        QUARANTINE_DISCARDED = "quarantine_discarded", "Quarantined mail discarded"
        CUSTOMER_ERASED = "customer_erased", "Customer data erased"
        WEBHOOK_CHANGED = "webhook_changed", "Webhook changed"
        TICKET_MERGED = "ticket_merged", "Tickets merged"
        SLA_CHANGED = "sla_changed", "SLA settings changed"

    at = models.DateTimeField(default=timezone.now)
    action = models.CharField(max_length=32, choices=Action.choices)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # The username as typed or as it was (failed sign-ins have no user; users get renamed).
    actor_name = models.CharField(max_length=150, blank=True)
    target = models.CharField(max_length=255, blank=True)
    detail = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)

    class Meta:
        ordering = ["-at", "-pk"]
        indexes = [
            models.Index(fields=["-at"], name="audit_at"),
            models.Index(fields=["action", "-at"], name="audit_action_at"),
        ]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()} {self.actor_name}"
