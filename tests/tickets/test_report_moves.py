"""The report's moved tickets: each move event carries its ticket's current inbox
(``tickets.reports.moves``), kept right by triggers whatever moves the ticket,
so the counts per inbox equal those counted through the tickets (the join)."""

import io
from dataclasses import replace
from datetime import datetime, time, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.db.models import Count, F, Sum
from django.utils import timezone

from tests.factories import InboxFactory, TicketFactory, UserFactory
from tests.tickets.reports_world import today
from tickets.models import ReportMove, Ticket, TicketEvent
from tickets.reports import measures as reports
from tickets.reports import moves
from tickets.reports.measures import Scope
from tickets.services import transfer_ticket


def at(days_ago: int, hour: int = 10) -> datetime:
    day = today() - timedelta(days=days_ago)
    return datetime.combine(day, time(hour), tzinfo=timezone.get_current_timezone())


def whole_days(*inboxes, **extra) -> Scope:
    tz = timezone.get_current_timezone()
    since = datetime.combine(today() - timedelta(days=27), time.min, tzinfo=tz)
    until = datetime.combine(today() + timedelta(days=1), time.min, tzinfo=tz)
    return Scope(inbox_ids=tuple(i.pk for i in inboxes), since=since, until=until, **extra)


def joined(scope: Scope) -> dict:
    """{inbox id: distinct tickets moved in the period}, by each ticket's current
    inbox read through the join (the count as it was before the copy)."""
    rows = (
        TicketEvent.objects.filter(
            kind=TicketEvent.Kind.INBOX,
            created_at__gte=scope.since,
            created_at__lt=scope.until,
            ticket__inbox_id__in=scope.inbox_ids,
        )
        .values("ticket__inbox_id")
        .annotate(n=Count("ticket_id", distinct=True))
    )
    return {row["ticket__inbox_id"]: row["n"] for row in rows}


def copies() -> dict:
    """{move event id: (its copy of the inbox, its ticket's inbox)}."""
    return {
        e.pk: (e.ticket_inbox_id, e.ticket.inbox_id)
        for e in TicketEvent.objects.filter(kind=TicketEvent.Kind.INBOX).select_related("ticket")
    }


@pytest.fixture
def inboxes(general_inbox, billing_inbox):
    return general_inbox, billing_inbox, InboxFactory(slug="sales", name="Sales")


@pytest.fixture
def agent(inboxes):
    user = UserFactory(role="Agent")
    for inbox in inboxes:
        inbox.members.add(user)
    return user


@pytest.fixture
def moved_twice(inboxes, agent):
    """Three tickets created in A: one moved A → B → C by the service, one A → B
    by the service then to C by a bulk update, one A → B only; one never moved."""
    a, b, c = inboxes
    by_service, by_update, once, _ = (
        TicketFactory(inbox=a, created_at=at(days), assignee=agent) for days in (9, 8, 7, 6)
    )
    transfer_ticket(by_service, inbox=b, by=agent, at=at(5))
    transfer_ticket(by_service, inbox=c, by=agent, at=at(4))
    transfer_ticket(by_update, inbox=b, by=agent, at=at(5))
    Ticket.objects.filter(pk=by_update.pk).update(inbox=c)  # no event: the old one follows
    transfer_ticket(once, inbox=b, by=agent, at=at(3))
    return by_service, by_update, once


def test_move_events_follow_their_ticket_to_its_current_inbox(inboxes, moved_twice):
    a, b, c = inboxes
    by_service, by_update, once = moved_twice

    assert sorted(copies().values()) == sorted(
        [(c.pk, c.pk), (c.pk, c.pk), (c.pk, c.pk), (b.pk, b.pk)]
    )
    # An event written straight (as the demo or an import would) takes the inbox too.
    TicketEvent.objects.create(ticket=once, kind=TicketEvent.Kind.INBOX, created_at=at(2))
    # A full save of an event loaded before its ticket moved writes back no stale inbox.
    stale = TicketEvent.objects.get(ticket=once, kind=TicketEvent.Kind.INBOX, created_at=at(3))
    Ticket.objects.filter(pk=once.pk).update(inbox=a)
    stale.old_value = "Billing"
    stale.save()
    assert all(copied == current == a.pk for copied, current in [
        copies()[e.pk] for e in once.events.filter(kind=TicketEvent.Kind.INBOX)
    ])  # fmt: skip
    assert moves.drift() == []


def test_the_report_counts_moved_tickets_as_the_join_does(inboxes, agent, moved_twice):
    a, b, c = inboxes
    scope = whole_days(a, b, c)
    assert reports.roll_up(scope) is not None  # the roll-up path, reading the copies
    assert joined(scope) == {b.pk: 1, c.pk: 2}

    figures = {inbox.pk: f.moved for inbox, f in reports.inbox_figures(scope)}
    assert figures == {a.pk: 0, b.pk: 1, c.pk: 2}
    for every_inbox in (False, True):
        current, _ = reports.headline_figures(replace(scope, every_inbox=every_inbox))
        assert current.moved == 3
    only_c = whole_days(c)
    assert reports.headline_figures(only_c)[0].moved == joined(only_c)[c.pk] == 2

    # An agent's report is counted from the rows (no roll-up): the same figures.
    mine = replace(scope, agent_id=agent.pk)
    assert reports.roll_up(mine) is None
    figures = {inbox.pk: f.moved for inbox, f in reports.inbox_figures(mine)}
    assert figures == {a.pk: 0, b.pk: 1, c.pk: 2}
    assert reports.headline_figures(mine)[0].moved == 3

    # The count per inbox reads the move events alone, no ticket.
    per_inbox = reports.inbox_moves(scope).annotate(key=F("moved_inbox")).values("key")
    sql = str(per_inbox.annotate(n=Count("ticket_id", distinct=True)).query)
    assert "tickets_ticket" not in sql.replace("tickets_ticketevent", "")


def test_the_check_finds_a_copy_that_drifted_and_counts_afresh(inboxes, moved_twice):
    a, b, c = inboxes
    once = moved_twice[2]
    call_command("report_days", "--check", stdout=io.StringIO())
    # As if the ticket had moved with the triggers off (a bulk load that forgot them).
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")  # no triggers fire
        Ticket.objects.filter(pk=once.pk).update(inbox=a)
        cursor.execute("SET session_replication_role = origin")
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"1 move event\(s\)' inbox"):
        call_command("report_days", "--check", stdout=out)
    assert f"the ticket is in inbox {a.pk}" in out.getvalue()

    call_command("report_days", stdout=io.StringIO())

    assert moves.drift() == []
    assert {inbox.pk: f.moved for inbox, f in reports.inbox_figures(whole_days(a, b, c))} == {
        a.pk: 1, b.pk: 0, c.pk: 2,
    }  # fmt: skip


# The moves' roll-up (``ReportMove``): each move event carries the day of its
# ticket's move before, so a period's moved tickets are the period's roll-up rows
# whose move before falls before it; whatever writes the events, in any order.


def periods(*inboxes) -> list[Scope]:
    """Every period of whole days from 10 days ago to 2 days ago, to tomorrow."""
    tz = timezone.get_current_timezone()
    scopes = []
    for first in range(10, -1, -1):
        for last in (2, 0):
            if last <= first:
                since = datetime.combine(today() - timedelta(days=first), time.min, tzinfo=tz)
                until = datetime.combine(today() - timedelta(days=last - 1), time.min, tzinfo=tz)
                scopes.append(Scope(inbox_ids=tuple(i.pk for i in inboxes), since=since,
                                    until=until))  # fmt: skip
    return scopes


def rolled_moves(scope: Scope) -> dict:
    """{inbox id: moved} as the report shows it, read from ``ReportMove`` alone
    (asserted: no move event is read)."""
    from django.db import connection as default
    from django.test.utils import CaptureQueriesContext

    assert reports.roll_up(scope) is not None
    with CaptureQueriesContext(default) as queries:
        figures = {inbox.pk: f.moved for inbox, f in reports.inbox_figures(scope)}
        headline = reports.period_figures(scope).moved
    sql = " ".join(q["sql"] for q in queries.captured_queries)
    assert "tickets_reportmove" in sql and "tickets_ticketevent" not in sql
    assert headline == sum(figures.values())
    return {pk: n for pk, n in figures.items() if n}


def assert_rolled_as_joined(inboxes) -> None:
    for scope in periods(*inboxes):
        assert rolled_moves(scope) == joined(scope), (scope.since, scope.until)
    assert moves.roll_up_drift() == [] and moves.chain_drift() == []


@pytest.fixture
def fresh(inboxes):
    """A ticket created each day: every period's day roll-up holds rows, so the
    report reads the roll-ups (it counts an empty period's rows)."""
    return [TicketFactory(inbox=inboxes[0], created_at=at(days, hour=0)) for days in range(11)]


def test_the_moves_roll_up_counts_as_the_join_after_moves_by_service_and_update(
    inboxes, moved_twice, fresh
):
    a, b, c = inboxes
    by_service, by_update, once = moved_twice
    assert_rolled_as_joined(inboxes)
    # by_service moved on days 5 and 4: a period from day 4 counts it once, on
    # its move of day 4 (its move before fell before the period).
    from_day_4 = [s for s in periods(a, b, c) if s.since.date() == today() - timedelta(days=4)]
    assert rolled_moves(from_day_4[-1]) == {b.pk: 1, c.pk: 1}

    # Moved on again, by the service and by a bulk update: the counts follow.
    transfer_ticket(once, inbox=c, by=None, at=at(1))
    Ticket.objects.filter(pk__in=[by_service.pk, by_update.pk]).update(inbox=a)
    assert rolled_moves(whole_days(a, b, c)) == {a.pk: 2, c.pk: 1}
    assert_rolled_as_joined(inboxes)


def test_the_moves_roll_up_takes_moves_written_out_of_order_and_deletes(
    inboxes, moved_twice, fresh
):
    a, b, c = inboxes
    by_service, by_update, once = moved_twice
    # An import writes a move before the ticket's others (its next move's day
    # before changes), then two in one statement, newest first.
    TicketEvent.objects.create(ticket=by_service, kind=TicketEvent.Kind.INBOX, created_at=at(8))
    TicketEvent.objects.bulk_create([
        TicketEvent(ticket=once, kind=TicketEvent.Kind.INBOX, created_at=at(days))
        for days in (2, 6, 10)
    ])  # fmt: skip
    days_before = sorted(
        once.events.filter(kind=TicketEvent.Kind.INBOX).values_list("previous_move_day", flat=True)
    )
    assert days_before == [
        ReportMove.NO_MOVE_BEFORE,
        *(today() - timedelta(days=d) for d in (10, 6, 3)),
    ]
    assert_rolled_as_joined(inboxes)

    # A move of the middle of a chain deleted, one moved in time, a ticket deleted.
    TicketEvent.objects.filter(ticket=once, created_at=at(6)).delete()
    TicketEvent.objects.filter(ticket=by_service, created_at=at(8)).update(created_at=at(1))
    assert_rolled_as_joined(inboxes)
    by_update.delete()
    assert_rolled_as_joined(inboxes)
    assert rolled_moves(whole_days(a, b, c)) == {b.pk: 1, c.pk: 1}
    assert not ReportMove.objects.exclude(moves=0).filter(inbox_id=a.pk).exists()


def test_the_check_finds_a_broken_moves_roll_up_and_counts_afresh(inboxes, moved_twice, fresh):
    call_command("report_days", "--check", stdout=io.StringIO())
    ReportMove.objects.filter(pk=ReportMove.objects.exclude(moves=0).first().pk).update(
        moves=F("moves") + 1
    )
    with pytest.raises(CommandError, match=r"1 moved-ticket count\(s\)"):
        call_command("report_days", "--check", stdout=io.StringIO())
    # A move written with the triggers off (a bulk load that forgot them).
    with connection.cursor() as cursor:
        cursor.execute("SET session_replication_role = replica")
        TicketEvent.objects.create(
            ticket=moved_twice[2], kind=TicketEvent.Kind.INBOX, created_at=at(2),
            ticket_inbox_id=inboxes[1].pk,
        )  # fmt: skip
        cursor.execute("SET session_replication_role = origin")
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"move event\(s\)' day of the move before"):
        call_command("report_days", "--check", stdout=out)
    assert "says the move before was on None" in out.getvalue()

    call_command("report_days", stdout=io.StringIO())

    call_command("report_days", "--check", stdout=io.StringIO())
    assert_rolled_as_joined(inboxes)


def test_the_bench_dataset_fills_the_moves_roll_up_and_turns_its_triggers_back_on(db):
    # The bench loads rows with the triggers paused, then counts the roll-ups.
    call_command("bench", tickets=300, repeat=1, stdout=io.StringIO())

    loaded = TicketEvent.objects.filter(kind=TicketEvent.Kind.INBOX).count()
    assert loaded and ReportMove.objects.aggregate(n=Sum("moves"))["n"] == loaded
    assert moves.roll_up_drift() == [] and moves.chain_drift() == []
    # The triggers the load paused are on again (the load's own transaction
    # writes as a replica, which the test's transaction stays in: checked as set).
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT tgname, tgenabled FROM pg_trigger WHERE tgname = ANY(%s)",
            [moves.CHAIN_TRIGGERS],
        )
        assert dict(cursor.fetchall()) == dict.fromkeys(moves.CHAIN_TRIGGERS, "O")
