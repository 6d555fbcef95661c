"""ReportSliceBlock: the slices summed per block of 8 and 64 days, kept by the
same trigger function, read with the edge days' slices (``reads.Slices``)."""

import io
from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db.models import F
from django.utils import timezone

from tests.factories import TicketFactory, UserFactory
from tests.tickets.reports_world import build_world, today
from tickets.models import ReportSliceBlock, Resolution, Ticket
from tickets.reports import days as report_days
from tickets.reports import measures as reports
from tickets.reports import shared
from tickets.reports.measures import Scope
from tickets.resolution import reopen_ticket, solve_ticket
from tickets.services import set_category, transfer_ticket


def at(days_ago: int, hour: int = 10) -> datetime:
    day = today() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def days_back(n: int, *inboxes, **extra) -> Scope:
    """The ``n`` whole days up to today: past a 64-day block for n > 127."""
    tz = timezone.get_current_timezone()
    since = datetime.combine(today() - timedelta(days=n - 1), time.min, tzinfo=tz)
    until = datetime.combine(today() + timedelta(days=1), time.min, tzinfo=tz)
    return Scope(inbox_ids=tuple(i.pk for i in inboxes), since=since, until=until, **extra)


@pytest.fixture
def world(general_inbox, billing_inbox):
    world = build_world(general_inbox, billing_inbox)
    agent = UserFactory(role="Agent")
    general_inbox.members.add(agent)
    # Older tickets and solves, spread over months: whole blocks of 8 and 64 days.
    for days_ago in (150, 120, 97, 70, 66, 64, 40, 33):
        ticket = TicketFactory(
            inbox=general_inbox, assignee=agent, created_at=at(days_ago + 2),
            first_response_at=at(days_ago + 2, hour=12),
        )  # fmt: skip
        solve_ticket(ticket, kind="no_article", note="old", by=agent, at=at(days_ago))
    world.old_agent = agent
    return world


def test_blocks_follow_every_change_and_match_their_days(world, general_inbox, billing_inbox):
    assert ReportSliceBlock.objects.filter(span=64).exists()
    assert report_days.block_drift() == []
    t1 = world.tickets["T1"]
    Ticket.objects.filter(pk=t1.pk).update(assignee=UserFactory(role="Agent"))
    set_category(world.tickets["T6"], category=world.video, by=world.old_agent)
    transfer_ticket(world.tickets["T8"], inbox=billing_inbox, by=world.old_agent)
    Ticket.objects.filter(pk=world.tickets["T6"].pk).update(
        first_response_at=F("created_at") + timedelta(hours=3)
    )
    Resolution.objects.filter(ticket=world.tickets["B1"]).delete()
    old = Ticket.objects.filter(assignee=world.old_agent).order_by("created_at").first()
    reopen_ticket(old, by=world.old_agent, at=at(30))
    Ticket.objects.filter(assignee=world.old_agent).order_by("-created_at").first().delete()

    assert report_days.block_drift() == []
    assert report_days.slice_drift() == []


def test_the_command_finds_a_block_that_drifted_and_counts_afresh(world):
    ReportSliceBlock.objects.filter(span=64).update(n=F("n") + 1)
    with pytest.raises(CommandError, match="slice block"):
        call_command("report_days", "--check", stdout=io.StringIO())
    call_command("report_days", stdout=io.StringIO())
    out = io.StringIO()
    call_command("report_days", "--check", stdout=out)
    assert "matches" in out.getvalue()


ROLLED_PARTS = (
    reports.headline_figures,
    reports.inbox_figures,
    reports.agent_table,
    reports.category_matrix,
)


@pytest.mark.parametrize("part", ROLLED_PARTS, ids=lambda p: p.__name__)
@pytest.mark.parametrize("length", [3, 9, 28, 90, 200])
@pytest.mark.parametrize("together", [True, False], ids=["with-others", "alone"])
def test_long_periods_read_through_the_blocks_are_the_rows(
    part, length, together, world, general_inbox, billing_inbox, monkeypatch
):
    """Durations are whole hours and half hours, each alone in its bucket: even
    the percentiles come out exactly as counted; computed with the other parts
    (the day rows read once for them all, ``shared``) or alone."""
    scopes = [
        days_back(length, general_inbox, billing_inbox),
        replace(days_back(length, general_inbox, billing_inbox), every_inbox=True),
        days_back(length, general_inbox),
    ]
    assert all(reports.roll_up(scope) is not None for scope in scopes)
    with shared.sharing(together=together):
        through_roll_up = [part(scope) for scope in scopes]

    monkeypatch.setattr(report_days, "whole_days", lambda *args, **kwargs: None)

    assert through_roll_up == [part(scope) for scope in scopes]


def test_a_period_of_whole_blocks_reads_no_single_day(world, general_inbox, monkeypatch):
    """A period that is exactly one aligned 64-day block reads only that block."""
    first = today() - timedelta(days=200)
    first += timedelta(days=(-(first - report_days.article_days.EPOCH).days) % 64)
    tz = timezone.get_current_timezone()
    scope = Scope(
        inbox_ids=(general_inbox.pk,),
        since=datetime.combine(first, time.min, tzinfo=tz),
        until=datetime.combine(first + timedelta(days=64), time.min, tzinfo=tz),
    )
    rolled = reports.roll_up(scope)
    assert [table for table, _ in rolled.slices.parts] == [ReportSliceBlock._meta.db_table]
    through_blocks = reports.agent_table(scope), reports.headline_figures(scope)
    assert through_blocks[0]  # the old tickets' agent solved some in that block

    monkeypatch.setattr(report_days, "whole_days", lambda *args, **kwargs: None)

    assert through_blocks == (reports.agent_table(scope), reports.headline_figures(scope))
