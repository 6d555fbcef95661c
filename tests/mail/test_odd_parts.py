"""Parts that are neither the text nor an ordinary file: a calendar invitation."""

from tests.mail.conftest import corpus
from tickets.mail.inbound import ingest
from tickets.models import Message


def test_an_outlook_invitation_keeps_its_event_as_an_ics_file(support):
    message = Message.objects.get(
        pk=ingest(corpus("outlook-invitation.eml"), source="t").message_id
    )

    assert message.body_text == "Can we talk about the failures on Thursday?"
    [invite] = message.attachments.all()
    assert (invite.name, invite.content_type) == ("invite.ics", "text/calendar")
    with invite.file.open("rb") as handle:
        data = handle.read()
    assert (
        data.startswith(b"BEGIN:VCALENDAR") and b"SUMMARY:Call about the render failures" in data
    )


def test_a_forwarded_mail_is_shown_as_a_quoted_part_with_its_own_files(support):
    message = Message.objects.get(pk=ingest(corpus("forwarded.eml"), source="t").message_id)

    assert message.body_text == "Our accountant sent me this, can you check?"
    quoted = message.quoted_text
    assert "From: Bo Accountant <bo@accounting.example>" in quoted
    assert "Subject: Invoice 2026-11 is wrong – VAT" in quoted
    assert "The VAT line on the invoice uses 19% instead of 20%." in quoted
    pdf, eml = message.attachments.order_by("id")
    assert (pdf.name, pdf.content_type) == ("invoice-2026-11.pdf", "application/pdf")
    # The forwarded mail itself stays downloadable whole.
    assert (eml.name, eml.content_type) == ("Invoice 2026-11 is wrong.eml", "message/rfc822")
    with pdf.file.open("rb") as handle:
        assert handle.read().startswith(b"%PDF-1.4")


def test_a_bare_forward_shows_the_forwarded_mail_whole(support):
    raw = corpus("forwarded.eml").replace(b"Our accountant sent me this, can you check?\n", b"")

    message = Message.objects.get(pk=ingest(raw, source="t").message_id)

    assert "The VAT line on the invoice uses 19% instead of 20%." in message.body_text
    assert message.quoted_text == ""


def test_an_html_only_forward_keeps_the_senders_own_words(support):
    raw = corpus("forwarded.eml").replace(
        b"Content-Type: text/plain; charset=utf-8\n\nOur accountant",
        b"Content-Type: text/html; charset=utf-8\n\n<p>Our accountant",
    )

    message = Message.objects.get(pk=ingest(raw, source="t").message_id)

    assert message.body_text == "Our accountant sent me this, can you check?"
    assert "The VAT line on the invoice uses 19% instead of 20%." in message.quoted_text
