"""Service levels: per-inbox business hours and holidays, SLA policies per inbox
and priority, and each ticket's SLA clock (``TicketSla``).

The arithmetic lives in ``tickets.sla.hours`` (plain functions); the clock's
rules in ``tickets.sla.clock``. ``Ticket.sla_due_at`` is the one figure the
queue reads: the ticket's next due time, NULL while nothing is due (no policy,
pending, solved, closed).
"""

from datetime import date, time
from zoneinfo import ZoneInfo, available_timezones

from django.core.exceptions import ValidationError
from django.db import models

from tickets.sla.hours import Schedule

WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def validate_time_zone(value: str) -> None:
    if value not in available_timezones():
        raise ValidationError(f"“{value}” is not a time zone name, e.g. Europe/Berlin or UTC.")


def validate_weekdays(value: str) -> None:
    if not value or any(c not in "0123456" for c in value) or len(set(value)) != len(value):
        raise ValidationError("Pick at least one working day.")


class BusinessHours(models.Model):
    """One inbox's working week. Without a row the inbox works Monday to Friday,
    09:00-17:00, in the site's time zone (``BusinessHours.default``)."""

    inbox = models.OneToOneField(
        "tickets.Inbox", on_delete=models.CASCADE, primary_key=True, related_name="business_hours"
    )
    time_zone = models.CharField(max_length=64, default="UTC", validators=[validate_time_zone])
    # Working weekdays as digits, Monday = 0: "01234" is Monday to Friday.
    days = models.CharField(max_length=7, default="01234", validators=[validate_weekdays])
    start = models.TimeField(default=time(9))
    end = models.TimeField(default=time(17), help_text="00:00 means midnight (end of the day).")

    class Meta:
        verbose_name_plural = "business hours"

    def __str__(self) -> str:
        return f"{self.inbox}: {self.start:%H:%M}-{self.end:%H:%M} {self.time_zone}"

    def clean(self) -> None:
        if self.end != time(0) and self.end <= self.start:
            raise ValidationError({"end": "The working day must end after it starts."})

    def schedule(self, holidays: frozenset[date] = frozenset()) -> Schedule:
        return Schedule(
            tz=ZoneInfo(self.time_zone),
            days=frozenset(int(c) for c in self.days),
            start=self.start,
            end=self.end,
            holidays=holidays,
        )

    @property
    def day_names(self) -> list[str]:
        return [WEEKDAYS[int(c)] for c in sorted(self.days)]


class Holiday(models.Model):
    """A whole local day off for one inbox: no SLA clock runs on it."""

    inbox = models.ForeignKey("tickets.Inbox", on_delete=models.CASCADE, related_name="holidays")
    day = models.DateField()
    name = models.CharField(max_length=80, blank=True)

    class Meta:
        ordering = ["day"]
        constraints = [
            models.UniqueConstraint(fields=["inbox", "day"], name="unique_inbox_holiday")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.name}".strip()


class SlaPolicy(models.Model):
    """Targets for one inbox and priority, in business minutes (blank: no target)."""

    inbox = models.ForeignKey(
        "tickets.Inbox", on_delete=models.CASCADE, related_name="sla_policies"
    )
    priority = models.PositiveSmallIntegerField()
    first_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    next_response_minutes = models.PositiveIntegerField(null=True, blank=True)
    resolution_minutes = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["inbox", "-priority"]
        verbose_name = "SLA policy"
        verbose_name_plural = "SLA policies"
        constraints = [
            models.UniqueConstraint(fields=["inbox", "priority"], name="unique_inbox_priority_sla")
        ]

    def __str__(self) -> str:
        return f"{self.inbox} · priority {self.priority}"

    @property
    def has_targets(self) -> bool:
        return any(
            minutes is not None
            for minutes in (
                self.first_response_minutes,
                self.next_response_minutes,
                self.resolution_minutes,
            )
        )


class TicketSla(models.Model):
    """One ticket's SLA clock: when each target falls due, how long it was paused
    (business seconds spent pending or solved), and which targets were missed."""

    ticket = models.OneToOneField(
        "tickets.Ticket", on_delete=models.CASCADE, primary_key=True, related_name="sla"
    )
    first_response_due_at = models.DateTimeField(null=True, blank=True)
    next_response_due_at = models.DateTimeField(null=True, blank=True)
    resolution_due_at = models.DateTimeField(null=True, blank=True)
    # The customer wrote after our last reply: the next-response clock runs.
    awaiting_since = models.DateTimeField(null=True, blank=True)
    # paused_seconds when awaiting began, so only later pauses shift the next response.
    awaiting_paused = models.FloatField(default=0)
    paused_since = models.DateTimeField(null=True, blank=True)
    paused_seconds = models.FloatField(default=0)
    # None: not decided yet (or no target); then met (False) or missed (True).
    first_response_breached = models.BooleanField(null=True, blank=True)
    next_response_breaches = models.PositiveIntegerField(default=0)
    resolution_breached = models.BooleanField(null=True, blank=True)
    # The ticket is under a policy (or missed a target under one): the report counts these.
    measured = models.BooleanField(default=False)

    class Meta:
        verbose_name = "ticket SLA"

    def __str__(self) -> str:
        return f"SLA of ticket #{self.ticket_id}"

    @property
    def breaches(self) -> int:
        return (
            int(bool(self.first_response_breached))
            + self.next_response_breaches
            + int(bool(self.resolution_breached))
        )
