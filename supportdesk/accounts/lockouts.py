"""Who is locked out of signing in now, and unlocking them (managers)."""

from dataclasses import dataclass
from datetime import datetime

from axes.helpers import get_cool_off
from axes.models import AccessAttempt
from axes.utils import reset
from django.conf import settings
from django.db.models import Max, Sum
from django.utils import timezone

from supportdesk import audit


@dataclass(frozen=True)
class Lockout:
    kind: str  # "username" or "ip"
    value: str
    failures: int
    last_attempt: datetime
    ends_at: datetime


def attempted_username(request, credentials: dict | None) -> str | None:
    """The username axes records (AXES_USERNAME_CALLABLE): what was typed, cut to the
    column's length and without NUL, so a hostile sign-in is counted, not a 500."""
    username = (credentials or {}).get("username")
    if username is None:
        username = request.POST.get("username") if request is not None else None
    return username.replace("\x00", "")[:150] if username is not None else None


def current_lockouts() -> list[Lockout]:
    """Usernames and client addresses at or past the failure limit within the cool-off."""
    cool_off = get_cool_off()
    recent = AccessAttempt.objects.filter(attempt_time__gte=timezone.now() - cool_off)
    found = []
    for kind, field in (("username", "username"), ("ip", "ip_address")):
        rows = (
            recent.exclude(**{f"{field}__isnull": True})
            .values(field)
            .annotate(failures=Sum("failures_since_start"), last=Max("attempt_time"))
            .filter(failures__gte=settings.AXES_FAILURE_LIMIT)
            .order_by("-last")
        )
        found += [
            Lockout(kind, row[field], row["failures"], row["last"], row["last"] + cool_off)
            for row in rows
        ]
    return found


def unlock(*, kind: str, value: str, by) -> int:
    """Forget the failed attempts of one username or address; returns how many."""
    field = "username" if kind == "username" else "ip_address"
    attempts = AccessAttempt.objects.filter(**{field: value})
    failures = attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0
    count = reset(username=value) if kind == "username" else reset(ip=value)
    if count:
        audit.record("unlocked", by=by, target=value, detail=f"{failures} failed attempts cleared")
    return count
