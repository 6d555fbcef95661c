"""Every message of the corpus (tests/mail/corpus): none crashes the pipeline, each
ends as a message or in quarantine, and its raw bytes are kept exactly."""

import pytest

from tests.mail.conftest import CORPUS, corpus
from tickets.mail.inbound import ingest
from tickets.models import Attachment, InboundEmail, Message, Ticket

QUARANTINED = {"garbage.eml", "unroutable.eml", "no-from.eml", "long-sender.eml"}
# Delivery reports about none of our mails: read, and set aside without a ticket.
NOT_FILED = {"bounce.eml", "plain-bounce.eml", "postmaster-undeliverable.eml"}


@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.eml")))
def test_each_message_ends_filed_or_quarantined_with_its_raw_bytes(name, support, billing):
    raw = corpus(name)

    result = ingest(raw, source="test")

    stored = InboundEmail.objects.get(pk=result.inbound_id)
    assert bytes(stored.raw) == raw
    if name in QUARANTINED:
        assert stored.status == InboundEmail.Status.QUARANTINED
        assert stored.reason
        assert not Message.objects.exists()
    elif name in NOT_FILED:
        assert stored.status == InboundEmail.Status.DISCARDED
        assert "delivery report" in stored.reason
        assert not Message.objects.exists()
    else:
        assert stored.status == InboundEmail.Status.PROCESSED
        assert stored.message.kind == Message.Kind.CUSTOMER
        assert stored.ticket == stored.message.ticket


def test_the_same_message_twice_is_one_message(support):
    first = ingest(corpus("duplicate-a.eml"), source="test")
    second = ingest(corpus("duplicate-b.eml"), source="test")

    assert first.status == InboundEmail.Status.PROCESSED
    assert second.status == InboundEmail.Status.DUPLICATE
    assert second.ticket_id == first.ticket_id
    assert Message.objects.count() == 1
    assert InboundEmail.objects.count() == 2  # both raw copies kept


def test_a_mail_without_message_id_redelivered_is_recognised(support):
    raw = corpus("no-message-id.eml")
    other_hop = raw.replace(b"from mx.example.com", b"from mx2.example.com")

    ingest(raw, source="test")
    again = ingest(other_hop, source="test")

    assert again.status == InboundEmail.Status.DUPLICATE
    message = Message.objects.get()
    assert message.message_id.endswith("@synthetic.supportdesk>")


def test_html_only_mail_is_sanitised_and_shown_as_text(support):
    result = ingest(corpus("html-only-script.eml"), source="test")

    message = Message.objects.get(pk=result.message_id)
    assert message.body_text.startswith("The upscaler crashes.")
    assert "<b>upscaler</b>" in message.body_html
    for bad in ("<script", "onclick", "onerror", "javascript:", "document.cookie"):
        assert bad not in message.body_html
        assert bad not in message.body_text


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("wrong-charset.eml", "Grüße aus Köln"),
        ("unknown-charset.eml", "Café au lait"),
        ("missing-charset.eml", "Señor, the piñata"),
        ("latin1.eml", "J'ai été débité deux fois"),
        ("encoded-headers.eml", "支払いの問題です"),
        ("broken-boundary.eml", "boundary that was never declared"),
        ("no-boundary.eml", "Just text under a multipart header."),
    ],
)
def test_text_in_any_charset_reads_right(name, expected, support):
    result = ingest(corpus(name), source="test")

    assert expected in Message.objects.get(pk=result.message_id).body_text


def test_encoded_headers_are_decoded(support):
    result = ingest(corpus("encoded-headers.eml"), source="test")

    ticket = Ticket.objects.get(pk=result.ticket_id)
    assert ticket.subject == "支払いの問題 — refund"
    assert ticket.customer.name == "Léa Müller"
    assert Attachment.objects.get().name == "résumé.txt"


def test_attachments_and_inline_images_are_kept(support, media):
    result = ingest(corpus("nested-multipart.eml"), source="test")

    attachments = {a.name: a for a in Attachment.objects.filter(message_id=result.message_id)}
    assert set(attachments) == {"inline-shot.png", "invoice.pdf"}
    assert attachments["inline-shot.png"].is_image
    with attachments["invoice.pdf"].file.open("rb") as pdf:
        assert pdf.read() == b"%PDF-1.4 fake invoice"
    assert Message.objects.get(pk=result.message_id).body_text == (
        "See the screenshot: the queue is stuck."
    )


def test_an_oversize_attachment_is_left_out_with_a_note(support, settings):
    settings.MAIL_ATTACHMENT_MAX_BYTES = 32 * 1024

    result = ingest(corpus("huge-attachment.eml"), source="test")

    assert result.status == InboundEmail.Status.PROCESSED
    assert not Attachment.objects.exists()
    note = Message.objects.get(kind=Message.Kind.NOTE)
    assert note.ticket_id == result.ticket_id
    assert "clip.mp4" in note.body_text
    assert "larger than 32 kB" in note.body_text
    assert len(bytes(InboundEmail.objects.get().raw)) > 64 * 1024  # the raw mail keeps it


def test_a_really_huge_attachment_does_not_break_anything(support):
    video = b"\x00\x01" * (10 * 1024 * 1024)  # 20 MB, over the default 15 MB
    raw = corpus("huge-attachment.eml").split(b"--b1\r\nContent-Type: video/mp4")[0]
    import base64

    raw += (
        b"--b1\r\nContent-Type: video/mp4\r\nContent-Disposition: attachment; "
        b"filename=big.mp4\r\nContent-Transfer-Encoding: base64\r\n\r\n"
        + base64.encodebytes(video)
        + b"--b1--\r\n"
    )

    result = ingest(raw, source="test")

    assert result.status == InboundEmail.Status.PROCESSED
    assert not Attachment.objects.exists()
    assert "big.mp4" in Message.objects.get(kind=Message.Kind.NOTE).body_text


def test_a_blocked_file_type_is_left_out_and_its_name_made_safe(support):
    ingest(corpus("executable.eml"), source="test")

    assert not Attachment.objects.exists()
    note = Message.objects.get(kind=Message.Kind.NOTE).body_text
    assert "tool.exe" in note
    assert "../" not in note


@pytest.mark.parametrize(
    ("name", "reason"),
    [
        ("garbage.eml", "unreadable"),
        ("unroutable.eml", "no recipient is an inbox address"),
        ("no-from.eml", "no sender"),
        ("plain.eml", "sent from our own address"),
    ],
)
def test_quarantine_says_why(name, reason, support):
    raw = corpus(name).replace(b"ana@customer.example>", b"support@example.com>")

    result = ingest(raw, source="test")

    assert result.status == InboundEmail.Status.QUARANTINED
    assert reason in InboundEmail.objects.get().reason


def test_an_error_while_filing_quarantines_and_keeps_the_mail(support, monkeypatch):
    from tickets.mail import inbound

    def broken(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(inbound, "store_attachments", broken)

    result = ingest(corpus("plain.eml"), source="test")

    assert result.status == InboundEmail.Status.QUARANTINED
    assert "disk full" in result.reason
    assert not Ticket.objects.exists()  # nothing half-filed
    assert bytes(InboundEmail.objects.get().raw) == corpus("plain.eml")
