"""The report's filter bar: a period (preset or custom dates), inbox, category, agent."""

from datetime import date, datetime, time, timedelta

from django import forms
from django.contrib.auth import get_user_model
from django.utils import timezone

from articles.models import IssueCategory
from supportdesk import roles
from supportdesk.inputs import DateField
from tickets.models import Inbox
from tickets.reports.measures import Scope

PERIODS = [
    ("7", "Last 7 days"),
    ("30", "Last 30 days"),
    ("90", "Last 90 days"),
    ("this-month", "This month"),
    ("last-month", "Last month"),
    ("custom", "Custom dates"),
]
DEFAULT_PERIOD = "30"
LONGEST = timedelta(days=731)


def preset_dates(period: str, today: date) -> tuple[date, date]:
    """First and last day (inclusive) of a preset period ending today."""
    if period == "this-month":
        return today.replace(day=1), today
    if period == "last-month":
        last = today.replace(day=1) - timedelta(days=1)
        return last.replace(day=1), last
    return today - timedelta(days=int(period) - 1), today


class ReportFilterForm(forms.Form):
    period = forms.ChoiceField(choices=PERIODS, required=False, label="Period")
    start = DateField(required=False, label="From")
    end = DateField(required=False, label="To")
    inbox = forms.ModelChoiceField(
        queryset=Inbox.objects.none(), to_field_name="slug", required=False, label="Inbox"
    )
    category = forms.ModelChoiceField(
        queryset=IssueCategory.objects.all(),
        to_field_name="slug",
        required=False,
        label="Category",
        empty_label="All categories",
    )
    agent = forms.ModelChoiceField(
        queryset=get_user_model().objects.none(),
        to_field_name="username",
        required=False,
        label="Agent",
        empty_label="Everyone",
    )

    def __init__(self, data, *, user, today: date | None = None):
        data = data.copy()
        if not data.get("period"):
            # Dates alone mean custom dates; nothing at all means the default.
            data["period"] = "custom" if data.get("start") or data.get("end") else DEFAULT_PERIOD
        super().__init__(data)
        self.user = user
        self.today = today or timezone.localdate()
        inboxes = Inbox.objects.visible_to(user)
        self.fields["inbox"].queryset = inboxes
        self.fields["inbox"].empty_label = (
            "All inboxes" if roles.is_manager(user) else "My inboxes"
        )
        self.fields["agent"].queryset = (
            get_user_model()
            .objects.filter(groups__name=roles.AGENT, inboxes__in=inboxes)
            .distinct()
            .order_by("first_name", "last_name", "username")
        )
        self.fields["agent"].label_from_instance = lambda u: u.get_full_name() or u.username

    def clean(self) -> dict:
        data = super().clean()
        period = data.get("period") or DEFAULT_PERIOD
        if period == "custom":
            start, end = data.get("start"), data.get("end")
            if "start" in self.errors or "end" in self.errors:
                return data
            if not start or not end:
                raise forms.ValidationError(
                    "Give both dates for a custom period, e.g. 2026-11-01."
                )
            if start > end:
                raise forms.ValidationError("The start date is after the end date; swap them.")
            if end - start > LONGEST:
                raise forms.ValidationError("Pick at most two years at a time.")
        else:
            data["start"], data["end"] = preset_dates(period, self.today)
            # Show the preset's dates in the date fields.
            self.data["start"], self.data["end"] = (
                data["start"].isoformat(),
                data["end"].isoformat(),
            )
        data["period"] = period
        return data

    def scope(self) -> Scope:
        """The report's scope; call after is_valid(). Inboxes stay within the visible ones."""
        data = self.cleaned_data
        inbox = data.get("inbox")
        inbox_ids = (
            (inbox.pk,)
            if inbox
            else tuple(self.fields["inbox"].queryset.values_list("pk", flat=True))
        )
        tz = timezone.get_current_timezone()
        return Scope(
            inbox_ids=inbox_ids,
            since=datetime.combine(data["start"], time.min, tzinfo=tz),
            until=datetime.combine(data["end"] + timedelta(days=1), time.min, tzinfo=tz),
            category_id=data["category"].pk if data.get("category") else None,
            agent_id=data["agent"].pk if data.get("agent") else None,
            every_inbox=inbox is None and roles.is_manager(self.user),
        )
