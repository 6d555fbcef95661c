from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, TicketFactory
from tickets.models import Message, Resolution, Ticket
from tickets.resolution import link_article, solve_ticket
from tickets.services import (
    add_customer_message,
    add_note,
    add_reply,
    create_ticket,
    get_or_create_customer,
    preview_of,
)

pytestmark = pytest.mark.django_db


def test_customers_are_one_per_address_whatever_the_case():
    first = get_or_create_customer("Pat@Mail.example", "Pat")
    again = get_or_create_customer("pat@mail.example")

    assert first == again and again.name == "Pat"


def test_create_ticket_opens_a_thread_and_fills_the_queue_columns(general_inbox):
    customer = get_or_create_customer("pat@mail.example")

    ticket = create_ticket(
        inbox=general_inbox, customer=customer, subject=" Stuck ", body_text="My video\nis stuck."
    )

    assert ticket.status == Ticket.Status.NEW and ticket.subject == "Stuck"
    assert ticket.preview == "My video is stuck."
    assert list(ticket.messages.values_list("kind", flat=True)) == ["customer"]
    assert ticket.events.get().kind == "created"


def test_first_reply_sets_first_response_and_opens(general_inbox, general_agent):
    ticket = TicketFactory(inbox=general_inbox)

    add_reply(ticket, body_text="Try again", by=general_agent)
    add_reply(ticket, body_text="Any luck?", by=general_agent)

    ticket.refresh_from_db()
    first = ticket.messages.filter(kind="reply").first()
    assert ticket.status == "open" and ticket.first_response_at == first.created_at


def test_customer_reply_to_pending_ticket_opens_it(general_inbox):
    ticket = TicketFactory(inbox=general_inbox, status="pending")

    add_customer_message(ticket, body_text="Still broken")

    ticket.refresh_from_db()
    assert ticket.status == "open" and ticket.preview == "Still broken"


def test_customer_reply_inside_the_window_reopens_and_breaks_the_hold(general_inbox, agent):
    ticket = TicketFactory(inbox=general_inbox, status="open")
    link = link_article(ticket, article=ArticleFactory(), by=agent)
    resolution = solve_ticket(ticket, kind=Resolution.Kind.ARTICLE, links=[link], by=agent)

    add_customer_message(ticket, body_text="It happened again")

    ticket.refresh_from_db()
    resolution.refresh_from_db()
    assert ticket.status == "open" and resolution.reopened_at is not None


def test_auto_reply_does_not_reopen(general_inbox, agent):
    ticket = TicketFactory(inbox=general_inbox, status="open")
    solve_ticket(ticket, kind=Resolution.Kind.NOT_APPLICABLE, by=agent)

    add_customer_message(ticket, body_text="I am out of office", may_reopen=False)

    ticket.refresh_from_db()
    assert ticket.status == "solved" and ticket.messages.count() == 1


def test_reply_to_closed_ticket_starts_a_follow_up(general_inbox):
    old = TicketFactory(
        inbox=general_inbox, status="closed", closed_at=timezone.now() - timedelta(days=30)
    )

    message = add_customer_message(old, body_text="New problem")

    assert message.ticket != old and message.ticket.follow_up_of == old
    assert not old.messages.exists()


def test_notes_are_internal(general_inbox, general_agent):
    ticket = TicketFactory(inbox=general_inbox)

    note = add_note(ticket, body_text="Checked the logs", by=general_agent)

    assert note.kind == Message.Kind.NOTE and note.is_note


def test_preview_cuts_on_a_word():
    assert preview_of("word " * 100).endswith("word…")
    assert len(preview_of("word " * 100)) <= 160
