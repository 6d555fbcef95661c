"""Business-hours arithmetic: weekends, holidays, time zones, DST."""

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tickets.sla.hours import (
    ROUND_THE_CLOCK,
    NoWorkingTime,
    Schedule,
    add_business_time,
    business_seconds_between,
)

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
HOUR = 3600


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


OFFICE = Schedule(tz=BERLIN)  # Monday to Friday, 09:00-17:00


def test_inside_the_day_it_is_plain_addition():
    # Wednesday 10:00 + 2 h
    assert add_business_time(berlin(2026, 11, 25, 10), 2 * HOUR, OFFICE) == berlin(
        2026, 11, 25, 12
    )


def test_what_does_not_fit_today_continues_next_morning():
    # Wednesday 16:00 + 2 h: one hour today, one from 09:00 Thursday
    assert add_business_time(berlin(2026, 11, 25, 16), 2 * HOUR, OFFICE) == berlin(
        2026, 11, 26, 10
    )


def test_a_message_at_night_starts_the_clock_at_opening():
    assert add_business_time(berlin(2026, 11, 25, 22), HOUR, OFFICE) == berlin(2026, 11, 26, 10)


def test_the_weekend_is_skipped():
    # Friday 16:30 + 1 h: 30 min on Friday, 30 min on Monday
    assert add_business_time(berlin(2026, 11, 27, 16, 30), HOUR, OFFICE) == berlin(
        2026, 11, 30, 9, 30
    )
    # Saturday noon counts nothing until Monday 09:00
    assert business_seconds_between(berlin(2026, 11, 28, 12), berlin(2026, 11, 30, 9), OFFICE) == 0


def test_holidays_are_skipped():
    christmas = Schedule(tz=BERLIN, holidays=frozenset({date(2026, 12, 24), date(2026, 12, 25)}))
    # Wednesday 23 Dec 16:00 + 2 h: 1 h on the 23rd, then Monday 28th from 09:00
    assert add_business_time(berlin(2026, 12, 23, 16), 2 * HOUR, christmas) == berlin(
        2026, 12, 28, 10
    )


def test_time_zones_decide_when_the_day_starts():
    # 16:30 UTC is 11:30 in New York (open) and 17:30 in Berlin (closed).
    new_york = Schedule(tz=NEW_YORK)
    start = datetime(2026, 11, 25, 16, 30, tzinfo=UTC)
    assert add_business_time(start, HOUR, new_york) == datetime(2026, 11, 25, 17, 30, tzinfo=UTC)
    assert add_business_time(start, HOUR, OFFICE) == berlin(2026, 11, 26, 10)


def test_the_result_keeps_the_callers_time_zone():
    due = add_business_time(datetime(2026, 11, 25, 9, tzinfo=UTC), HOUR, OFFICE)
    assert due.tzinfo == UTC
    assert due == datetime(2026, 11, 25, 10, tzinfo=UTC)


def test_dst_spring_forward_round_the_clock_day_has_23_hours():
    # Berlin moves clocks forward on 29 March 2026: that local day lasts 23 hours.
    always = Schedule(tz=BERLIN, days=ROUND_THE_CLOCK.days, start=time(0), end=time(0))
    day = business_seconds_between(berlin(2026, 3, 29, 0), berlin(2026, 3, 30, 0), always)
    assert day == 23 * HOUR
    # 3 h after midnight that night is 04:00 local (02:00-03:00 does not exist)
    assert add_business_time(berlin(2026, 3, 29, 0), 3 * HOUR, always) == berlin(2026, 3, 29, 4)


def test_dst_autumn_office_day_keeps_its_wall_clock_hours():
    # 25 Oct 2026 is a Sunday; use a seven-day office: 09:00-17:00 is 8 h on both days.
    every_day = Schedule(tz=BERLIN, days=frozenset(range(7)))
    for day in (24, 25, 26):
        opening = berlin(2026, 10, day, 9)
        assert business_seconds_between(opening, berlin(2026, 10, day, 17), every_day) == 8 * HOUR
    # Saturday 16:00 + 2 h ends Sunday 10:00 local, across the change
    due = add_business_time(berlin(2026, 10, 24, 16), 2 * HOUR, every_day)
    assert due == berlin(2026, 10, 25, 10)
    assert due.astimezone(UTC) == datetime(2026, 10, 25, 9, tzinfo=UTC)


def test_round_the_clock_is_elapsed_time():
    start = datetime(2026, 11, 27, 23, 30, tzinfo=UTC)
    assert add_business_time(start, 5 * HOUR, ROUND_THE_CLOCK) == start + timedelta(hours=5)


def test_between_is_the_inverse_of_add():
    start = berlin(2026, 11, 27, 15, 10)
    for seconds in (0, 59, HOUR, 9 * HOUR, 41 * HOUR + 17):
        due = add_business_time(start, seconds, OFFICE)
        assert business_seconds_between(start, due, OFFICE) == pytest.approx(seconds)


def test_backwards_is_zero():
    later, earlier = berlin(2026, 11, 26, 12), berlin(2026, 11, 25, 12)
    assert business_seconds_between(later, earlier, OFFICE) == 0


def test_no_working_day_at_all_says_so():
    nothing = Schedule(tz=BERLIN, days=frozenset())
    with pytest.raises(NoWorkingTime):
        add_business_time(berlin(2026, 11, 25, 10), HOUR, nothing)
