"""Routing: which inbox a mail lands in (rule in tickets/mail/routing.py)."""

from tests.mail.conftest import corpus
from tickets.mail.inbound import ingest, retry
from tickets.models import InboundEmail, Ticket


def mail(*, to: str = "", cc: str = "", extra: str = "", mid: str = "<r1@customer.example>"):
    head = f"From: ana@customer.example\r\nMessage-ID: {mid}\r\nSubject: Help\r\n"
    head += f"To: {to}\r\n" if to else ""
    head += f"Cc: {cc}\r\n" if cc else ""
    return (head + extra + "\r\nPlease help.\r\n").encode()


def inbox_of(result) -> str:
    return Ticket.objects.get(pk=result.ticket_id).inbox.slug


def test_to_decides(support, billing):
    assert inbox_of(ingest(mail(to="billing@example.com"), source="t")) == "billing"


def test_plus_addressing_and_case_are_ignored(support, billing):
    result = ingest(corpus("plus-address.eml"), source="t")

    assert inbox_of(result) == "billing"


def test_cc_when_to_names_no_inbox(support, billing):
    result = ingest(mail(to="friend@else.example", cc="Billing@Example.com"), source="t")

    assert inbox_of(result) == "billing"


def test_to_wins_over_cc(support, billing):
    result = ingest(mail(to="billing@example.com", cc="support@example.com"), source="t")

    assert inbox_of(result) == "billing"


def test_envelope_when_headers_name_no_inbox(support, billing):
    raw = mail(to="undisclosed-recipients:;", extra="Delivered-To: billing@example.com\r\n")

    assert inbox_of(ingest(raw, source="t")) == "billing"


def test_reply_all_to_both_lands_in_one_inbox_by_position(support, billing):
    """Both in To, in either order: the first inbox by position (general) takes it,
    and the copy delivered to the other address is the same mail, so a duplicate."""
    copy_for_billing = mail(
        to="billing@example.com, support@example.com",
        extra="Delivered-To: billing@example.com\r\n",
    )
    copy_for_support = mail(
        to="billing@example.com, support@example.com",
        extra="Delivered-To: support@example.com\r\n",
    )

    first = ingest(copy_for_billing, source="t")
    second = ingest(copy_for_support, source="t")

    assert inbox_of(first) == "general"
    assert second.status == InboundEmail.Status.DUPLICATE
    assert Ticket.objects.count() == 1


def test_position_order_not_typing_order(support, billing):
    billing.position, support.position = 0, 1
    billing.save()
    support.save()

    result = ingest(mail(to="support@example.com, billing@example.com"), source="t")

    assert inbox_of(result) == "billing"


def test_provider_envelope_recipient_routes(support, billing):
    result = ingest(mail(to="list@else.example"), source="t", envelope=["billing@example.com"])

    assert inbox_of(result) == "billing"


def test_a_retry_routes_by_the_envelope_given_at_ingest(support, billing):
    """A provider's envelope is stored with the mail: quarantined for another cause
    (sent from our own address), it still routes by the envelope once that is fixed."""
    support.reply_from = "help@example.com"
    support.save()
    raw = mail(to="list@else.example").replace(b"ana@customer.example", b"help@example.com")
    first = ingest(raw, source="t", envelope=["billing@example.com"])
    assert "own address" in first.reason
    support.reply_from = "support@example.com"
    support.save()

    result = retry(InboundEmail.objects.get(pk=first.inbound_id))

    assert result.status == InboundEmail.Status.PROCESSED
    assert inbox_of(result) == "billing"
    assert InboundEmail.objects.get().envelope == ["billing@example.com"]
