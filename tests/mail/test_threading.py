"""Threading: replies join their ticket, only ever in the same inbox."""

from tests.mail.conftest import corpus
from tickets.mail.inbound import ingest
from tickets.models import InboundEmail, Message, Ticket
from tickets.resolution import solve_ticket
from tickets.services import add_reply, create_ticket, get_or_create_customer


def reply(*, to="support@example.com", subject="Re: Help", mid, refs="", irt="", sender=None,
          extra=""):  # fmt: skip
    head = f"From: {sender or 'ana@customer.example'}\r\nTo: {to}\r\nSubject: {subject}\r\n"
    head += f"Message-ID: {mid}\r\n"
    head += f"In-Reply-To: {irt}\r\n" if irt else ""
    head += f"References: {refs}\r\n" if refs else ""
    return (head + extra + "\r\nStill broken.\r\n").encode()


def ticket_for(inbox, *, email="ana@customer.example", mid="<first@customer.example>"):
    return create_ticket(
        inbox=inbox,
        customer=get_or_create_customer(email),
        subject="Help",
        body_text="It fails.",
        message_id=mid,
    )


def test_in_reply_to_joins_the_ticket(support):
    ticket = ticket_for(support)

    result = ingest(reply(mid="<r@c>", irt="<first@customer.example>"), source="t")

    assert result.ticket_id == ticket.pk
    assert not result.new_ticket
    assert ticket.messages.count() == 2


def test_references_join_when_in_reply_to_is_unknown(support):
    ticket = ticket_for(support)

    raw = reply(mid="<r@c>", irt="<unknown@c>", refs="<first@customer.example> <unknown@c>")

    assert ingest(raw, source="t").ticket_id == ticket.pk


def test_a_reply_to_our_reply_joins_by_our_message_id(support, agent):
    ticket = ticket_for(support)
    ours = add_reply(ticket, body_text="Try again", by=agent)

    result = ingest(reply(mid="<r@c>", irt=ours.message_id), source="t")

    assert ours.message_id.startswith("<") and result.ticket_id == ticket.pk


def test_subject_token_joins_when_the_sender_is_the_customer(support):
    ticket = ticket_for(support)

    result = ingest(reply(mid="<r@c>", subject=f"Re: Help [#{ticket.pk}]"), source="t")

    assert result.ticket_id == ticket.pk


def test_subject_token_from_a_stranger_starts_a_new_ticket(support):
    ticket = ticket_for(support)

    raw = reply(mid="<r@c>", subject=f"Re: Help [#{ticket.pk}]", sender="mallory@evil.example")
    result = ingest(raw, source="t")

    assert result.new_ticket and result.ticket_id != ticket.pk
    assert ticket.messages.count() == 1


def test_billing_mail_quoting_a_general_ticket_starts_a_billing_ticket(support, billing):
    general = ticket_for(support)

    raw = reply(
        to="billing@example.com",
        subject=f"Refund for [#{general.pk}]",
        mid="<b@c>",
        irt="<first@customer.example>",
    )
    result = ingest(raw, source="t")

    created = Ticket.objects.get(pk=result.ticket_id)
    assert created.inbox == billing
    assert created.pk != general.pk
    assert created.subject == "Refund for"
    assert general.messages.count() == 1


def test_a_reply_to_a_solved_ticket_reopens_it(support, agent):
    ticket = ticket_for(support)
    solve(ticket, agent)

    ingest(reply(mid="<r@c>", irt="<first@customer.example>"), source="t")

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN


def test_a_reply_to_a_closed_ticket_starts_a_follow_up(support, agent):
    ticket = ticket_for(support)
    solve(ticket, agent)
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CLOSED)

    result = ingest(reply(mid="<r@c>", irt="<first@customer.example>"), source="t")

    follow_up = Ticket.objects.get(pk=result.ticket_id)
    assert follow_up.follow_up_of == ticket
    assert result.new_ticket


def test_an_auto_reply_is_filed_without_reopening(support, agent):
    ticket = ticket_for(support)
    solve(ticket, agent)
    raw = (
        corpus("auto-reply.eml")
        .replace(b"Auto-Submitted", b"In-Reply-To: <first@customer.example>\r\nAuto-Submitted")
        .replace(b"nora@", b"ana@")
    )

    result = ingest(raw, source="t")

    ticket.refresh_from_db()
    assert result.ticket_id == ticket.pk
    assert ticket.status == Ticket.Status.SOLVED
    assert InboundEmail.objects.get().reason == "Auto-Submitted: auto-replied"


def test_a_bounce_of_our_reply_joins_the_ticket_without_reopening(support, agent):
    ticket = ticket_for(support)
    ours = add_reply(ticket, body_text="Try again", by=agent)
    solve(ticket, agent)

    bounce = corpus("bounce.eml").replace(b"<BOUNCED-ID@example.com>", ours.message_id.encode())

    result = ingest(bounce, source="t")

    ticket.refresh_from_db()
    assert result.ticket_id == ticket.pk
    assert ticket.status == Ticket.Status.SOLVED
    assert "Status: 5.1.1" in Message.objects.get(pk=result.message_id).body_text
    ours.refresh_from_db()
    assert ours.delivery == Message.Delivery.FAILED
    assert ours.delivery_error.startswith("Bounced")


def test_mailing_list_and_precedence_bulk_never_reopen(support, agent):
    ticket = ticket_for(support, email="news@service.example")
    solve(ticket, agent)
    raw = corpus("mailing-list.eml").replace(
        b"List-Id", b"In-Reply-To: <first@customer.example>\r\nList-Id"
    )

    ingest(raw, source="t")

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED
    assert ticket.messages.count() == 2


def solve(ticket, agent):
    solve_ticket(ticket, kind="not_applicable", by=agent)
