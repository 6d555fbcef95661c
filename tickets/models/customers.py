"""What the service's backend tells us about a customer's account (issue 16)."""

from datetime import datetime, timedelta

from django.conf import settings
from django.db import models
from django.utils import timezone


class CustomerContext(models.Model):
    """The account facts last pushed through ``PUT /api/v1/customers/<email>/context``:
    typed fields the sidebar and suggestions read, plus ``extra`` (free JSON)."""

    class PlanChange(models.TextChoices):
        NONE = "", "—"
        UPGRADED = "upgraded", "Upgraded"
        DOWNGRADED = "downgraded", "Downgraded"

    customer = models.OneToOneField(
        "tickets.Customer", on_delete=models.CASCADE, related_name="context"
    )
    plan = models.CharField(max_length=60, blank=True)
    plan_change = models.CharField(
        max_length=12, choices=PlanChange.choices, blank=True, default=""
    )
    plan_changed_at = models.DateTimeField(null=True, blank=True)
    credits_balance = models.IntegerField(null=True, blank=True)
    credits_refreshed_at = models.DateTimeField(null=True, blank=True)
    renewal_date = models.DateField(null=True, blank=True)
    # [{"id": "gen_123", "error_code": "GPU_TIMEOUT", "at": ISO time}, ...], newest first.
    recent_failures = models.JSONField(default=list, blank=True)
    extra = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        permissions = [("push_customer_context", "Can push customers' account context")]

    def __str__(self) -> str:
        return f"Account context of customer {self.customer_id}"

    def age(self, now: datetime | None = None) -> timedelta:
        return (now or timezone.now()) - self.updated_at

    @property
    def is_stale(self) -> bool:
        return self.age() > timedelta(hours=settings.CUSTOMER_CONTEXT_STALE_HOURS)

    def credits_overdue(self, today=None) -> bool:
        """The renewal date passed and the credits were not refreshed since."""
        if self.renewal_date is None:
            return False
        today = today or timezone.localdate()
        if self.renewal_date > today:
            return False
        refreshed = self.credits_refreshed_at
        return refreshed is None or timezone.localdate(refreshed) < self.renewal_date
