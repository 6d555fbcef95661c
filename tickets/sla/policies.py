"""Saving an inbox's SLA settings, then bringing its live tickets' clocks up to date."""

from datetime import date, time

from django.db import transaction

from tickets.models import BusinessHours, Holiday, Inbox, SlaPolicy
from tickets.sla.clock import refresh_inbox, rules_changed


@transaction.atomic
def save_sla_settings(
    inbox: Inbox,
    *,
    time_zone: str,
    days: list[int],
    start: time,
    end: time,
    holidays: list[tuple[date, str]],
    targets: dict[int, dict[str, int | None]],
) -> int:
    """Replace the inbox's hours, holidays and policies; returns how many live
    tickets were recomputed (every open ticket's due time follows at once)."""
    BusinessHours.objects.update_or_create(
        inbox=inbox,
        defaults={
            "time_zone": time_zone,
            "days": "".join(str(d) for d in sorted(set(days))),
            "start": start,
            "end": end,
        },
    )
    Holiday.objects.filter(inbox=inbox).delete()
    Holiday.objects.bulk_create(Holiday(inbox=inbox, day=day, name=name) for day, name in holidays)
    for priority, minutes in targets.items():
        fields = {f"{key}_minutes": value for key, value in minutes.items()}
        if any(value is not None for value in fields.values()):
            SlaPolicy.objects.update_or_create(inbox=inbox, priority=priority, defaults=fields)
        else:
            SlaPolicy.objects.filter(inbox=inbox, priority=priority).delete()
    rules_changed(inbox.pk)  # the bulk writes above send no signals
    return refresh_inbox(inbox.pk)


# A starting point for a new desk (the demo uses it): business minutes of
# first response, next response and resolution per priority.
DEFAULT_TARGETS = {
    4: (30, 60, 8 * 60),
    3: (2 * 60, 4 * 60, 16 * 60),
    2: (4 * 60, 8 * 60, 40 * 60),
    1: (8 * 60, 16 * 60, 80 * 60),
}


def ensure_default_policies(inbox: Inbox) -> None:
    """Give the inbox the default targets for every priority it has none for."""
    for priority, (first, following, resolution) in DEFAULT_TARGETS.items():
        SlaPolicy.objects.get_or_create(
            inbox=inbox, priority=priority,
            defaults={"first_response_minutes": first, "next_response_minutes": following,
                      "resolution_minutes": resolution},
        )  # fmt: skip
