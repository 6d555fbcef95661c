"""Business-hours arithmetic: plain functions over a weekly schedule.

A schedule is one working window per working day (e.g. Mon-Fri 09:00-17:00)
in the inbox's time zone, minus holidays (whole local days). Windows are
built from local wall-clock times, so a window on a DST change day is as long
as the clock says (09:00-17:00 is 8 hours of work either way); every sum and
difference is taken in UTC, because Python subtracts two datetimes of the
same zone by wall clock, not by elapsed time.
"""

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

# Far enough for any target (a year of business days), short enough that a
# schedule with no working time at all cannot loop for ever.
HORIZON_DAYS = 800


@dataclass(frozen=True)
class Schedule:
    """Working hours of one inbox. ``end`` of 00:00 means midnight at the end of
    the day (so 00:00-00:00 on all seven days is round the clock)."""

    tz: ZoneInfo = field(default_factory=lambda: ZoneInfo("UTC"))
    days: frozenset[int] = frozenset({0, 1, 2, 3, 4})  # Monday is 0
    start: time = time(9)
    end: time = time(17)
    holidays: frozenset[date] = frozenset()

    def window(self, day: date) -> tuple[datetime, datetime] | None:
        """The working window of a local day, in UTC; None on days off."""
        if day.weekday() not in self.days or day in self.holidays:
            return None
        opens = datetime.combine(day, self.start, tzinfo=self.tz)
        if self.end == time(0):
            closes = datetime.combine(day + timedelta(days=1), time(0), tzinfo=self.tz)
        else:
            closes = datetime.combine(day, self.end, tzinfo=self.tz)
        return opens.astimezone(UTC), closes.astimezone(UTC)

    def windows_from(self, moment: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Working windows (UTC) from ``moment`` on, the first one clipped to it."""
        moment = moment.astimezone(UTC)
        # From the day before: its window may reach past midnight UTC.
        day = moment.astimezone(self.tz).date() - timedelta(days=1)
        for offset in range(HORIZON_DAYS):
            found = self.window(day + timedelta(days=offset))
            if found is None:
                continue
            opens, closes = found
            if closes <= moment:
                continue
            yield max(opens, moment), closes


ROUND_THE_CLOCK = Schedule(days=frozenset(range(7)), start=time(0), end=time(0))


class NoWorkingTime(ValueError):
    """The schedule has no working time within the horizon (every day off)."""


def add_business_time(start: datetime, seconds: float, schedule: Schedule) -> datetime:
    """The moment ``seconds`` of working time after ``start``."""
    remaining = timedelta(seconds=max(0.0, seconds))
    for opens, closes in schedule.windows_from(start):
        if remaining <= closes - opens:
            return (opens + remaining).astimezone(start.tzinfo or UTC)
        remaining -= closes - opens
    raise NoWorkingTime("No working time in the schedule: check its days and holidays.")


def business_seconds_between(start: datetime, end: datetime, schedule: Schedule) -> float:
    """Working time from ``start`` to ``end`` in seconds (0 when end is not later)."""
    end = end.astimezone(UTC)
    if end <= start.astimezone(UTC):
        return 0.0
    total = timedelta()
    for opens, closes in schedule.windows_from(start):
        if opens >= end:
            break
        total += min(closes, end) - opens
    return total.total_seconds()
