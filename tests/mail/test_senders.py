"""Who said it: each inbound message records its real sender and whether it was
automatic; the thread shows them; automatic mail leaves a solved or closed
ticket exactly as it was (state, preview, clocks)."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.mail.conftest import corpus
from tests.mail.test_threading import reply, solve, ticket_for
from tickets.mail.inbound import ingest
from tickets.models import Message, Ticket


def page(client, agent, ticket) -> str:
    client.force_login(agent)
    return client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()


def test_a_colleague_on_cc_replying_shows_as_the_colleague(support, client, general_agent):
    ticket = ticket_for(support)
    raw = reply(
        mid="<bob-1@customer.example>",
        irt="<first@customer.example>",
        sender="Bob Colleague <bob@customer.example>",
        extra="Cc: ana@customer.example\r\n",
    )

    result = ingest(raw, source="t")

    message = Message.objects.get(pk=result.message_id)
    assert (message.sender_email, message.sender_name) == ("bob@customer.example", "Bob Colleague")
    assert message.automatic == ""
    ticket.refresh_from_db()
    assert ticket.customer.email == "ana@customer.example"
    html = page(client, general_agent, ticket)
    assert "Bob Colleague" in html and "&lt;bob@customer.example&gt;" in html


def test_the_customers_own_mail_shows_their_name_once(support, client, general_agent):
    result = ingest(corpus("plain.eml"), source="t")

    message = Message.objects.get(pk=result.message_id)
    assert (message.sender_email, message.sender_name) == ("ana@customer.example", "Ana Customer")
    html = page(client, general_agent, message.ticket)
    assert "Ana Customer" in html
    assert "&lt;ana@customer.example&gt;" not in html
    assert 'class="tag automatic"' not in html


def test_an_auto_reply_on_a_solved_ticket_changes_nothing_and_is_marked(
    support, agent, client, general_agent
):
    ticket = ticket_for(support, email="nora@customer.example")
    solve(ticket, agent)
    long_ago = timezone.now() - timedelta(days=3)
    Ticket.objects.filter(pk=ticket.pk).update(updated_at=long_ago)
    before = Ticket.objects.get(pk=ticket.pk)
    raw = corpus("auto-reply.eml").replace(
        b"Auto-Submitted", b"In-Reply-To: <first@customer.example>\r\nAuto-Submitted"
    )

    result = ingest(raw, source="t")

    after = Ticket.objects.get(pk=ticket.pk)
    assert result.ticket_id == ticket.pk
    fields = ("status", "preview", "updated_at", "last_customer_message_at", "solved_at")
    assert [getattr(after, f) for f in fields] == [getattr(before, f) for f in fields]
    message = Message.objects.get(pk=result.message_id)
    assert message.automatic == "Auto-Submitted: auto-replied"
    html = page(client, general_agent, ticket)
    assert 'class="tag automatic" title="Auto-Submitted: auto-replied"' in html


def test_an_auto_reply_to_a_closed_ticket_starts_no_follow_up(support, agent):
    ticket = ticket_for(support, email="olaf@contoso.example")
    solve(ticket, agent)
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CLOSED)
    before = Ticket.objects.get(pk=ticket.pk)

    result = ingest(corpus("exchange-oof.eml"), source="t")

    after = Ticket.objects.get(pk=ticket.pk)
    assert result.ticket_id == ticket.pk
    assert Ticket.objects.count() == 1
    assert (after.status, after.preview, after.updated_at) == (
        before.status, before.preview, before.updated_at,
    )  # fmt: skip
    assert Message.objects.get(pk=result.message_id).automatic.startswith("X-Auto-Response")


def test_a_bounce_shows_the_mail_server_as_sender(support, agent, client, general_agent):
    from tickets.services import add_reply

    ticket = ticket_for(support)
    ours = add_reply(ticket, body_text="Try again", by=agent)
    raw = corpus("bounce.eml").replace(b"<BOUNCED-ID@example.com>", ours.message_id.encode())

    result = ingest(raw, source="t")

    message = Message.objects.get(pk=result.message_id)
    assert message.sender_email == "MAILER-DAEMON@mx.customer.example"
    assert message.automatic
    html = page(client, general_agent, ticket)
    assert "Mail Delivery System" in html and "&lt;MAILER-DAEMON@mx.customer.example&gt;" in html


def test_a_person_on_an_open_ticket_still_moves_it(support):
    ticket = ticket_for(support)

    ingest(reply(mid="<r@c>", irt="<first@customer.example>"), source="t")

    ticket.refresh_from_db()
    assert ticket.preview == "Still broken."
