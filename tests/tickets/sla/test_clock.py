"""The ticket services keep each ticket's SLA clock and ``sla_due_at`` current."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from tests.factories import CustomerFactory, TicketFactory
from tickets.models import BusinessHours, Holiday, SlaPolicy, Ticket, TicketSla
from tickets.queues.bulk import set_tickets_status
from tickets.resolution import reopen_ticket, solve_ticket
from tickets.services import (
    add_customer_message,
    add_reply,
    create_ticket,
    set_priority,
    set_status,
    transfer_ticket,
)
from tickets.sla import breaching_soon, clock
from tickets.sla.clock import refresh_inbox

pytestmark = pytest.mark.django_db
BERLIN = ZoneInfo("Europe/Berlin")


def berlin(*args) -> datetime:
    return datetime(*args, tzinfo=BERLIN)


WEDNESDAY_10 = berlin(2026, 11, 25, 10)


@pytest.fixture
def office(general_inbox):
    """General works Monday to Friday 09:00-17:00 Berlin; Normal: first response
    1 h, next response 2 h, resolution 5 business days (40 h)."""
    BusinessHours.objects.create(inbox=general_inbox, time_zone="Europe/Berlin")
    SlaPolicy.objects.create(
        inbox=general_inbox, priority=Ticket.Priority.NORMAL,
        first_response_minutes=60, next_response_minutes=120, resolution_minutes=40 * 60,
    )  # fmt: skip
    SlaPolicy.objects.create(
        inbox=general_inbox, priority=Ticket.Priority.URGENT,
        first_response_minutes=15, next_response_minutes=30, resolution_minutes=4 * 60,
    )  # fmt: skip
    return general_inbox


def new_ticket(inbox, at=WEDNESDAY_10) -> Ticket:
    ticket = create_ticket(
        inbox=inbox, customer=CustomerFactory(), subject="Stuck", body_text="Help", at=at
    )
    ticket.refresh_from_db()
    return ticket


def due(ticket: Ticket) -> datetime | None:
    ticket.refresh_from_db()
    return ticket.sla_due_at


def test_a_new_ticket_is_due_its_first_response(office):
    ticket = new_ticket(office)

    assert due(ticket) == berlin(2026, 11, 25, 11)
    assert ticket.sla.first_response_due_at == berlin(2026, 11, 25, 11)
    assert ticket.sla.resolution_due_at == berlin(2026, 12, 2, 10)


def test_a_ticket_created_at_night_is_due_an_hour_after_opening(office):
    ticket = new_ticket(office, at=berlin(2026, 11, 27, 20))  # Friday evening

    assert due(ticket) == berlin(2026, 11, 30, 10)  # Monday


def test_the_first_reply_meets_the_first_response_then_resolution_is_due(office, general_agent):
    ticket = new_ticket(office)

    add_reply(ticket, body_text="On it", by=general_agent, at=berlin(2026, 11, 25, 10, 30))

    assert due(ticket) == berlin(2026, 12, 2, 10)
    sla = TicketSla.objects.get(ticket=ticket)
    assert sla.first_response_breached is False and sla.breaches == 0


def test_a_late_first_reply_is_a_breach(office, general_agent):
    ticket = new_ticket(office)

    add_reply(ticket, body_text="Sorry", by=general_agent, at=berlin(2026, 11, 25, 14))

    assert TicketSla.objects.get(ticket=ticket).first_response_breached is True


def test_a_customer_answer_starts_the_next_response_clock(office, general_agent):
    ticket = new_ticket(office)
    add_reply(ticket, body_text="Browser?", by=general_agent, at=berlin(2026, 11, 25, 10, 30))

    add_customer_message(ticket, body_text="Firefox", at=berlin(2026, 11, 26, 16, 30))

    assert due(ticket) == berlin(2026, 11, 27, 10, 30)  # 30 min Thursday, 90 min Friday
    add_reply(ticket, body_text="Thanks", by=general_agent, at=berlin(2026, 11, 27, 11))
    sla = TicketSla.objects.get(ticket=ticket)
    assert sla.next_response_breaches == 1
    assert due(ticket) == berlin(2026, 12, 2, 10)


def test_an_automatic_reply_does_not_start_the_next_response_clock(office, general_agent):
    ticket = new_ticket(office)
    add_reply(ticket, body_text="Hi", by=general_agent, at=berlin(2026, 11, 25, 10, 30))

    add_customer_message(
        ticket, body_text="Out of office", at=berlin(2026, 11, 25, 11), may_reopen=False
    )

    assert due(ticket) == berlin(2026, 12, 2, 10)


def test_pending_pauses_every_clock_and_pushes_resolution_back(office, general_agent):
    ticket = new_ticket(office)
    add_reply(ticket, body_text="Which plan?", by=general_agent, at=berlin(2026, 11, 25, 10, 30))
    set_status(ticket, status="pending", by=general_agent, at=berlin(2026, 11, 25, 11))

    assert due(ticket) is None

    # The customer answers on Friday 10:00: 15 business hours were paused
    # (Wed 11-17, Thu 9-17, Fri 9-10), so resolution moves from Wed 2 Dec 10:00
    # to Thu 3 Dec 17:00; the answer is due by Friday 12:00.
    add_customer_message(ticket, body_text="Pro", at=berlin(2026, 11, 27, 10))

    ticket.refresh_from_db()
    assert ticket.status == "open"
    assert due(ticket) == berlin(2026, 11, 27, 12)
    assert ticket.sla.resolution_due_at == berlin(2026, 12, 3, 17)
    assert ticket.sla.paused_seconds == 15 * 3600


def test_holidays_of_the_inbox_move_the_due_time(office):
    Holiday.objects.create(inbox=office, day=datetime(2026, 11, 26).date(), name="Staff day")

    ticket = new_ticket(office, at=berlin(2026, 11, 25, 16, 30))

    assert due(ticket) == berlin(2026, 11, 27, 9, 30)  # Thursday is off


def test_a_priority_change_applies_the_other_policy(office, general_agent):
    ticket = new_ticket(office)

    set_priority(ticket, priority=Ticket.Priority.URGENT, by=general_agent,
                 at=berlin(2026, 11, 25, 10, 5))  # fmt: skip

    assert due(ticket) == berlin(2026, 11, 25, 10, 15)


def test_a_priority_without_a_policy_has_nothing_due(office, general_agent):
    ticket = new_ticket(office)

    set_priority(ticket, priority=Ticket.Priority.LOW, by=general_agent, at=WEDNESDAY_10)

    assert due(ticket) is None


def test_a_transfer_takes_the_new_inboxs_policy_and_hours(office, billing_inbox, general_agent):
    ticket = new_ticket(office)
    BusinessHours.objects.create(
        inbox=billing_inbox, time_zone="America/New_York", start=time(8), end=time(12)
    )
    SlaPolicy.objects.create(inbox=billing_inbox, priority=2, first_response_minutes=120)

    transfer_ticket(ticket, inbox=billing_inbox, by=general_agent, at=berlin(2026, 11, 25, 10, 5))

    # Created 04:00 New York time: 08:00-10:00 there is 14:00-16:00 Berlin.
    assert due(ticket) == berlin(2026, 11, 25, 16)


def test_solving_late_is_a_resolution_breach_and_stops_the_clock(office, general_agent):
    ticket = new_ticket(office)
    add_reply(ticket, body_text="Done", by=general_agent, at=berlin(2026, 11, 25, 10, 30))

    solve_ticket(ticket, kind="not_applicable", by=general_agent, at=berlin(2026, 12, 3, 9))

    assert due(ticket) is None
    assert TicketSla.objects.get(ticket=ticket).resolution_breached is True


def test_solved_time_is_paused_until_a_reopen(office, general_agent):
    ticket = new_ticket(office)
    add_reply(ticket, body_text="Done", by=general_agent, at=berlin(2026, 11, 25, 10, 30))
    solve_ticket(ticket, kind="not_applicable", by=general_agent, at=berlin(2026, 11, 25, 11))

    reopen_ticket(ticket, by=general_agent, at=berlin(2026, 11, 26, 11))  # 8 business hours later

    ticket.refresh_from_db()
    assert ticket.sla.resolution_breached is False
    assert due(ticket) == berlin(2026, 12, 3, 10)


def test_bulk_pending_pauses_and_bulk_open_resumes(office, general_agent):
    ticket = new_ticket(office)

    set_tickets_status([ticket.pk], status="pending", by=general_agent)
    assert due(ticket) is None

    set_tickets_status([ticket.pk], status="open", by=general_agent)
    assert due(ticket) is not None


def test_tickets_from_before_slas_are_backfilled_by_the_inbox_refresh(office):
    old = TicketFactory(inbox=office, status="open", created_at=WEDNESDAY_10)
    pending = TicketFactory(inbox=office, status="pending", created_at=WEDNESDAY_10)
    solved = TicketFactory(inbox=office, status="solved", created_at=WEDNESDAY_10)

    assert refresh_inbox(office.pk) == 2

    assert due(old) == berlin(2026, 11, 25, 11)
    assert due(pending) is None and due(solved) is None
    assert not TicketSla.objects.filter(ticket=solved).exists()


def test_an_inbox_refresh_goes_through_every_batch(office, monkeypatch):
    # PostgreSQL takes at most 65,535 parameters a query: refreshes go in batches
    # (a 10M-ticket inbox has more open tickets than that).
    monkeypatch.setattr(clock, "REFRESH_BATCH", 2)
    tickets = TicketFactory.create_batch(5, inbox=office, status="open", created_at=WEDNESDAY_10)

    assert refresh_inbox(office.pk) == 5

    assert all(due(ticket) == berlin(2026, 11, 25, 11) for ticket in tickets)
    assert TicketSla.objects.filter(ticket__in=tickets).count() == 5


def test_breaching_soon_lists_overdue_and_due_within_the_hour(office):
    now = berlin(2026, 11, 25, 10, 30)
    overdue = new_ticket(office, at=berlin(2026, 11, 25, 9))  # due 10:00
    soon = new_ticket(office, at=berlin(2026, 11, 25, 10))  # due 11:00
    later = new_ticket(office, at=berlin(2026, 11, 25, 12))  # due 13:00
    set_status(later, status="open", by=None, at=now)

    found = list(breaching_soon(Ticket.objects.all(), timedelta(hours=1), now=now))

    assert found == [overdue, soon]


def test_rules_are_read_once_and_a_changed_target_applies_to_the_next_ticket(office):
    """Each process keeps an inbox's rules until they change: the second ticket
    reads no SLA table, and a target edited (as the admin saves it) applies at once."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    new_ticket(office)
    with CaptureQueriesContext(connection) as queries:
        second = new_ticket(office)
    assert not [q for q in queries if "tickets_slapolicy" in q["sql"]]
    assert due(second) == berlin(2026, 11, 25, 11)

    policy = SlaPolicy.objects.get(inbox=office, priority=Ticket.Priority.NORMAL)
    policy.first_response_minutes = 120
    policy.save()

    assert due(new_ticket(office)) == berlin(2026, 11, 25, 12)
