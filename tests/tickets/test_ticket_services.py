"""The services behind the ticket page's controls (claim races: test_ticket_claim.py)."""

import pytest
from django.core.exceptions import ValidationError

from supportdesk.roles import AGENT
from tests.factories import ArticleFactory, TicketFactory, UserFactory
from tickets.models import Message, Ticket, TicketEvent
from tickets.services import (
    TicketLocked,
    assign_ticket,
    send_reply,
    set_priority,
    set_status,
    transfer_ticket,
    write_note,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(general_inbox):
    return TicketFactory(inbox=general_inbox, status=Ticket.Status.OPEN)


def test_every_change_bumps_updated_at_and_is_audited(ticket, general_agent):
    before = ticket.updated_at

    set_status(ticket, status="pending", by=general_agent)
    set_priority(ticket, priority=Ticket.Priority.LOW, by=general_agent)
    assign_ticket(ticket, assignee=general_agent, by=general_agent)

    ticket.refresh_from_db()
    assert ticket.updated_at > before
    assert list(ticket.events.values_list("kind", flat=True)) == ["status", "priority", "assignee"]


def test_solved_and_closed_are_not_statuses_set_by_hand(ticket, general_agent):
    for status in ("solved", "closed"):
        with pytest.raises(ValidationError):
            set_status(ticket, status=status, by=general_agent)


@pytest.mark.parametrize("status", ["solved", "closed"])
def test_a_finished_ticket_refuses_changes(general_inbox, general_agent, billing_inbox, status):
    ticket = TicketFactory(inbox=general_inbox, status=status)

    for change in (
        lambda: set_status(ticket, status="open", by=general_agent),
        lambda: set_priority(ticket, priority=Ticket.Priority.HIGH, by=general_agent),
        lambda: transfer_ticket(ticket, inbox=billing_inbox, by=general_agent),
        lambda: send_reply(ticket, body_text="late", by=general_agent),
    ):
        with pytest.raises(TicketLocked):
            change()
    assert not ticket.events.exists() and not ticket.messages.exists()


def test_notes_are_fine_on_solved_but_not_on_closed(general_inbox, general_agent):
    solved = TicketFactory(inbox=general_inbox, status="solved")
    closed = TicketFactory(inbox=general_inbox, status="closed")

    write_note(solved, body_text="for the record", by=general_agent)
    with pytest.raises(TicketLocked):
        write_note(closed, body_text="too late", by=general_agent)

    assert solved.messages.get().kind == Message.Kind.NOTE and not closed.messages.exists()


def test_transfer_drops_an_assignee_who_is_not_a_member_there(
    ticket, general_agent, billing_inbox
):
    assign_ticket(ticket, assignee=general_agent, by=general_agent)

    transfer_ticket(ticket, inbox=billing_inbox, by=general_agent)

    ticket.refresh_from_db()
    assert ticket.inbox == billing_inbox and ticket.assignee is None
    assert ticket.events.filter(kind=TicketEvent.Kind.INBOX, new_value="Billing").exists()


def test_send_reply_links_each_article_and_sets_the_status(ticket, general_agent):
    first, second = ArticleFactory(), ArticleFactory()

    reply = send_reply(
        ticket, body_text="Two fixes", by=general_agent, articles=[first, second], status="pending"
    )

    assert sorted(link.article_id for link in reply.article_links.all()) == sorted(
        [first.pk, second.pk]
    )
    assert all(link.sent_at == reply.created_at for link in reply.article_links.all())
    ticket.refresh_from_db()
    assert ticket.status == "pending"


def test_send_reply_is_one_transaction(ticket, general_agent):
    draft = ArticleFactory(status="draft")

    with pytest.raises(ValidationError):
        send_reply(ticket, body_text="with a draft", by=general_agent, articles=[draft])

    assert not ticket.messages.exists()


def test_assigning_someone_else_names_both(ticket, general_agent, general_inbox):
    # Only agents of the ticket's inbox can hold it (issue 15).
    other = UserFactory(first_name="Olga", last_name="Other", role=AGENT)
    general_inbox.members.add(other)

    assign_ticket(ticket, assignee=other, by=general_agent)
    assign_ticket(ticket, assignee=None, by=general_agent)

    values = list(ticket.events.values_list("old_value", "new_value"))
    assert values == [("", "Olga Other"), ("Olga Other", "")]
