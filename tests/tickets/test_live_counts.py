"""The sidebar's counts come from a roll-up the database keeps (``LiveCount``):
whatever writes the tickets, the counts stay those of the tickets themselves."""

from collections import Counter

import pytest
from django.db.models.functions import Coalesce

from tests.factories import TicketFactory, UserFactory
from tickets.models import LiveCount, Ticket
from tickets.nav import inbox_counts, visible_inboxes
from tickets.queues.live_counts import COUNTED
from tickets.services import assign_ticket, set_status, transfer_ticket

pytestmark = pytest.mark.django_db


def rolled_up() -> Counter:
    counts = Counter()
    for row in LiveCount.objects.all():
        counts[(row.inbox_id, row.status, row.assignee_id)] += row.n
    return +counts  # rows that went back to zero are kept: drop them here


def counted() -> Counter:
    rows = (
        Ticket.objects.filter(status__in=COUNTED)
        .annotate(who=Coalesce("assignee_id", 0))
        .values_list("inbox_id", "status", "who")
    )
    return Counter(rows)


def test_every_kind_of_write_keeps_the_roll_up_equal_to_the_tickets(
    general_inbox, billing_inbox, general_agent, manager
):
    tickets = [TicketFactory(inbox=general_inbox) for _ in range(5)]
    TicketFactory(inbox=billing_inbox, status="pending")
    assert rolled_up() == counted() != Counter()

    assign_ticket(tickets[0], assignee=general_agent, by=general_agent)
    set_status(tickets[1], status="pending", by=general_agent)
    transfer_ticket(tickets[2], inbox=billing_inbox, by=manager)
    Ticket.objects.filter(pk=tickets[3].pk).update(status="closed")  # the auto-close's way
    tickets[4].delete()
    assert rolled_up() == counted()

    Ticket.objects.filter(inbox=billing_inbox).update(assignee=general_agent, status="solved")
    assert rolled_up() == counted()


def test_an_agent_counts_only_their_inboxes(general_inbox, billing_inbox, general_agent):
    TicketFactory(inbox=general_inbox, status="open", assignee=general_agent)
    TicketFactory(inbox=general_inbox, status="new")
    for _ in range(3):
        TicketFactory(inbox=billing_inbox, status="new")

    counts = inbox_counts(general_agent, visible_inboxes(general_agent))

    assert counts == {
        general_inbox.pk: {"mine": 1, "unassigned": 1, "open": 2, "pending": 0, "solved": 0}
    }


def test_another_agents_tickets_are_not_mine(general_inbox, general_agent):
    colleague = UserFactory()
    general_inbox.members.add(colleague)
    TicketFactory(inbox=general_inbox, status="open", assignee=colleague)

    counts = inbox_counts(general_agent, visible_inboxes(general_agent))[general_inbox.pk]

    assert (counts["mine"], counts["unassigned"], counts["open"]) == (0, 0, 1)


def test_the_command_finds_drift_and_counts_afresh(general_inbox):
    from django.core.management import CommandError, call_command

    TicketFactory(inbox=general_inbox, status="open")
    call_command("live_counts", "--check")  # in step: no error
    LiveCount.objects.update(n=5)

    with pytest.raises(CommandError, match="1 count"):
        call_command("live_counts", "--check")
    call_command("live_counts")

    assert rolled_up() == counted()
    call_command("live_counts", "--check")
