"""The managers' SLA settings form: business hours, holidays, targets per priority."""

from datetime import date
from decimal import Decimal

from django import forms

from tickets.models import BusinessHours, Ticket
from tickets.models.sla import WEEKDAYS, validate_time_zone

TARGETS = [
    ("first_response", "First response"),
    ("next_response", "Next response"),
    ("resolution", "Resolution"),
]
PRIORITIES = list(reversed(Ticket.Priority.choices))  # Urgent first


def target_field(priority_label: str, target_label: str) -> forms.DecimalField:
    return forms.DecimalField(
        required=False,
        min_value=Decimal("0.25"),
        max_value=Decimal("10000"),
        decimal_places=2,
        label=f"{target_label}, {priority_label} (business hours)",
        widget=forms.NumberInput(attrs={"step": "0.25", "inputmode": "decimal"}),
    )


def parse_holidays(text: str) -> list[tuple[date, str]]:
    """One holiday a line: ``2026-12-25 Christmas Day`` (the name is optional)."""
    found: dict[date, str] = {}
    for number, line in enumerate(text.splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        day_text, _, name = line.partition(" ")
        try:
            day = date.fromisoformat(day_text)
        except ValueError:
            raise forms.ValidationError(
                f"Line {number}: “{day_text}” is not a date; write it as 2026-12-25."
            ) from None
        found[day] = name.strip()[:80]
    return sorted(found.items())


class SlaSettingsForm(forms.Form):
    time_zone = forms.CharField(
        max_length=64, validators=[validate_time_zone], help_text="For example Europe/Berlin."
    )
    days = forms.TypedMultipleChoiceField(
        choices=list(enumerate(WEEKDAYS)),
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        label="Working days",
        error_messages={"required": "Pick at least one working day."},
    )
    start = forms.TimeField(label="Opens at", widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(
        label="Closes at",
        widget=forms.TimeInput(attrs={"type": "time"}),
        help_text="00:00 means midnight: 00:00 to 00:00 is round the clock.",
    )
    holidays = forms.CharField(
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Days off, one a line: 2026-12-25 Christmas Day. No SLA clock runs on them.",
    )

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for priority, priority_label in PRIORITIES:
            for key, label in TARGETS:
                self.fields[f"{key}_{priority}"] = target_field(priority_label, label)

    @classmethod
    def initial_for(cls, inbox) -> dict:
        hours = BusinessHours.objects.filter(inbox=inbox).first() or BusinessHours()
        initial = {
            "time_zone": hours.time_zone,
            "days": [int(c) for c in hours.days],
            "start": hours.start,
            "end": hours.end,
            "holidays": "\n".join(f"{h.day} {h.name}".strip() for h in inbox.holidays.all()),
        }
        for policy in inbox.sla_policies.all():
            for key, _ in TARGETS:
                minutes = getattr(policy, f"{key}_minutes")
                if minutes is not None:
                    initial[f"{key}_{policy.priority}"] = Decimal(minutes) / 60
        return initial

    def clean_holidays(self) -> list[tuple[date, str]]:
        return parse_holidays(self.cleaned_data.get("holidays", ""))

    def clean(self) -> dict:
        data = super().clean()
        start, end = data.get("start"), data.get("end")
        if start and end and end.hour + end.minute and end <= start:
            self.add_error(
                "end", "Closing time must be after opening time (or 00:00 for midnight)."
            )
        return data

    def targets(self) -> dict[int, dict[str, int | None]]:
        """Minutes per priority and target (None: no target); call after is_valid()."""
        return {
            priority: {
                key: None
                if self.cleaned_data.get(f"{key}_{priority}") is None
                else round(self.cleaned_data[f"{key}_{priority}"] * 60)
                for key, _ in TARGETS
            }
            for priority, _ in PRIORITIES
        }

    def rows(self) -> list[tuple[str, list]]:
        """The targets grid for the template: (priority label, [bound fields])."""
        return [
            (label, [self[f"{key}_{priority}"] for key, _ in TARGETS])
            for priority, label in PRIORITIES
        ]
