"""What real mail clients and servers send: windows-1252 labelled Latin-1, raw 8-bit
subjects, Apple's byte-order mark, Exchange's out-of-office, plain-text bounces,
replies to closed tickets, and robots that would collect an acknowledgement a mail."""

import pytest

from tests.mail.conftest import corpus
from tests.mail.test_outbound import tasks
from tests.mail.test_threading import reply, solve, ticket_for
from tickets.mail.inbound import ACKS_PER_HOUR, ingest
from tickets.models import InboundEmail, Message, Ticket
from tickets.services import add_reply


def body(result) -> str:
    return Message.objects.get(pk=result.message_id).body_text


def test_windows_1252_labelled_latin1_reads_as_quotes_and_euro(support):
    result = ingest(corpus("cp1252-as-latin1.eml"), source="t")

    assert body(result) == "J’ai payé 49 € – le “forfait Pro” n’apparaît pas."


def test_real_latin1_stays_latin1(support):
    assert "J'ai été débité deux fois" in body(ingest(corpus("latin1.eml"), source="t"))


@pytest.mark.parametrize(
    ("name", "subject", "customer"),
    [
        ("subject-8bit-utf8.eml", "Überweisung fehlgeschlagen – bitte prüfen", "Zoë Brünner"),
        ("subject-8bit-cp1252.eml", "Cotización “urgente” – 50 €", "Andrés"),
    ],
)
def test_raw_8bit_subjects_and_names_read_right(name, subject, customer, support):
    result = ingest(corpus(name), source="t")

    ticket = Ticket.objects.get(pk=result.ticket_id)
    assert ticket.subject == subject
    assert ticket.customer.name == customer
    assert InboundEmail.objects.get().subject == subject


def test_a_provider_rewritten_8bit_subject_reads_right(support):
    """anymail writes raw 8-bit headers back out as ``=?unknown-8bit?...?=`` words."""
    raw = corpus("plain.eml").replace(
        b"Subject: Video stops at 90%", b"Subject: =?unknown-8bit?b?ZMOpasOg?= vu"
    )

    result = ingest(raw, source="t")

    assert Ticket.objects.get(pk=result.ticket_id).subject == "déjà vu"


def test_apple_mails_byte_order_mark_is_dropped(support):
    result = ingest(corpus("apple-bom.eml"), source="t")

    message = Message.objects.get(pk=result.message_id)
    assert message.body_text == "The export crashes on macOS 15."
    assert "\ufeff" not in message.body_html
    assert Ticket.objects.get().preview == "The export crashes on macOS 15."


def test_exchange_out_of_office_with_only_its_own_headers_never_reopens(support, agent):
    ticket = ticket_for(support, email="olaf@contoso.example")
    solve(ticket, agent)

    result = ingest(corpus("exchange-oof.eml"), source="t")

    ticket.refresh_from_db()
    assert result.ticket_id == ticket.pk
    assert ticket.status == Ticket.Status.SOLVED
    assert InboundEmail.objects.get().reason == "X-Auto-Response-Suppress: All"


@pytest.mark.parametrize(
    ("header", "reason"),
    [
        ("X-Auto-Response-Suppress: DR, OOF, AutoReply", "X-Auto-Response-Suppress: DR, OOF"),
        ("X-MS-Exchange-Generated-Message-Source: Mailbox Rules Agent", "X-MS-Exchange-Gen"),
        ("X-MS-Exchange-Inbox-Rules-Loop: olaf@contoso.example", "X-MS-Exchange-Inbox-Rules"),
    ],
)
def test_exchange_markers_make_mail_automatic(header, reason, support, agent):
    raw = corpus("exchange-oof.eml").replace(b"X-Auto-Response-Suppress: All", header.encode())

    ingest(raw, source="t")

    assert InboundEmail.objects.get().reason.startswith(reason)


def test_a_person_from_outlook_is_not_automatic(support):
    """Outlook puts no X-Auto-Response-Suppress on a person's mail; a value that
    suppresses only read receipts does not make mail automatic."""
    raw = corpus("exchange-oof.eml").replace(
        b"X-Auto-Response-Suppress: All", b"X-Auto-Response-Suppress: RN, NRN"
    )

    ingest(raw, source="t")

    assert InboundEmail.objects.get().reason == ""


@pytest.mark.parametrize(
    "name", ["plain-bounce.eml", "postmaster-undeliverable.eml", "bounce.eml"]
)
def test_a_bounce_about_none_of_our_mails_opens_no_ticket(
    name, support, django_capture_on_commit_callbacks
):
    support.acknowledge_new_tickets = True
    support.save()

    with django_capture_on_commit_callbacks(execute=True):
        result = ingest(corpus(name), source="t")

    assert result.status == InboundEmail.Status.DISCARDED
    assert "delivery report" in result.reason
    assert not Ticket.objects.exists()
    assert tasks("send_acknowledgement") == []
    assert bytes(InboundEmail.objects.get().raw) == corpus(name)


def test_a_plain_text_bounce_of_our_reply_joins_the_ticket_and_fails_the_reply(support, agent):
    ticket = ticket_for(support)
    ours = add_reply(ticket, body_text="Try again", by=agent)
    solve(ticket, agent)
    raw = corpus("plain-bounce.eml").replace(b"<BOUNCED-ID@example.com>", ours.message_id.encode())

    result = ingest(raw, source="t")

    ticket.refresh_from_db()
    assert result.ticket_id == ticket.pk
    assert ticket.status == Ticket.Status.SOLVED
    ours.refresh_from_db()
    assert ours.delivery == Message.Delivery.FAILED


def test_later_replies_to_a_closed_ticket_join_its_one_follow_up(support, agent):
    ticket = ticket_for(support)
    solve(ticket, agent)
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CLOSED)

    first = ingest(reply(mid="<r1@c>", irt="<first@customer.example>"), source="t")
    second = ingest(reply(mid="<r2@c>", irt="<first@customer.example>"), source="t")
    third = ingest(reply(mid="<r3@c>", subject=f"Re: Help [#{ticket.pk}]"), source="t")

    follow_up = Ticket.objects.get(follow_up_of=ticket)
    assert first.ticket_id == second.ticket_id == third.ticket_id == follow_up.pk
    assert first.new_ticket and not second.new_ticket and not third.new_ticket
    assert follow_up.messages.count() == 3
    assert Ticket.objects.count() == 2


def test_a_robot_gets_a_few_acknowledgements_an_hour_not_one_a_mail(
    support, django_capture_on_commit_callbacks
):
    support.acknowledge_new_tickets = True
    support.save()

    with django_capture_on_commit_callbacks(execute=True):
        for n in range(ACKS_PER_HOUR + 3):
            robot = reply(mid=f"<robot-{n}@c>", subject=f"Alert {n}", sender="robot@c.example")
            ingest(robot, source="t")
        ingest(reply(mid="<person@c>", subject="Help"), source="t")

    assert Ticket.objects.count() == ACKS_PER_HOUR + 4
    assert len(tasks("send_acknowledgement")) == ACKS_PER_HOUR + 1
