"""Macros: saved replies with placeholders and actions, shared per inbox
(managed by managers) or personal (seen and used by their owner only)."""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from supportdesk import roles

from .inboxes import Inbox
from .ticket import Ticket


class MacroQuerySet(models.QuerySet):
    def visible_to(self, user) -> "MacroQuerySet":
        """THE visibility rule for macros: one's own personal macros, and the
        shared macros of the inboxes one may see (managers: every inbox)."""
        if not user.is_authenticated:
            return self.none()
        inboxes = Inbox.objects.visible_to(user).order_by().values("pk")
        return self.filter(Q(owner=user) | Q(inbox__in=inboxes))

    def usable_on(self, ticket: Ticket, user) -> "MacroQuerySet":
        """What ``user`` may apply to ``ticket`` (which they can see): their own,
        and the shared macros of the ticket's inbox."""
        return self.visible_to(user).filter(Q(owner=user) | Q(inbox_id=ticket.inbox_id))


class Macro(models.Model):
    STATUS_CHOICES = [
        ("", "keep status"),
        (Ticket.Status.OPEN, "Open"),
        (Ticket.Status.PENDING, "Pending"),
    ]

    title = models.CharField(max_length=120)
    # Plain text with {{ placeholders }} (tickets.macros.placeholders); may be empty
    # for a macro that only sets things.
    body = models.TextField(blank=True, max_length=20_000)
    # Exactly one of inbox (shared) and owner (personal).
    inbox = models.ForeignKey(
        Inbox, on_delete=models.CASCADE, null=True, blank=True, related_name="macros"
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="macros",
    )
    # Actions; empty means "leave as is".
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, blank=True)
    priority = models.PositiveSmallIntegerField(
        choices=Ticket.Priority.choices, null=True, blank=True
    )
    category = models.ForeignKey(
        "articles.IssueCategory",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    tags = models.JSONField(default=list, blank=True)  # tag names to add
    # Sent with the reply, its published revision recorded as a sent article link.
    article = models.ForeignKey(
        "articles.Article", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    usage_count = models.PositiveIntegerField(default=0)
    last_used_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    objects = MacroQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(inbox__isnull=True, owner__isnull=False)
                | Q(inbox__isnull=False, owner__isnull=True),
                name="macro_shared_or_personal",
            )
        ]

    def __str__(self) -> str:
        return self.title

    @property
    def is_shared(self) -> bool:
        return self.inbox_id is not None

    def can_edit(self, user) -> bool:
        """Shared macros are managed by managers (of an inbox they see); personal
        ones by their owner."""
        if self.is_shared:
            return roles.is_manager(user)
        return self.owner_id == user.pk
