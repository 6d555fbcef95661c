"""The parser's small rules, without the database."""

import pytest

from tests.mail.conftest import corpus
from tickets.mail.parse import ParseError, decode_bytes, parse, synthetic_message_id
from tickets.mail.routing import normalise


@pytest.mark.parametrize(
    ("data", "charset", "expected"),
    [
        ("Grüße".encode(), "us-ascii", "Grüße"),  # wrong: it is UTF-8
        ("Café".encode("latin-1"), "no-such-charset", "Café"),  # unknown: cp1252 guess
        ("Señor".encode("latin-1"), None, "Señor"),  # missing
        (b"\xff\xfe broken", "utf-8", "\ufffd\ufffd broken"),  # wrong bytes: replaced
    ],
)
def test_bodies_decode_whatever_the_charset_claims(data, charset, expected):
    assert decode_bytes(data, charset) == expected


def test_the_synthetic_id_ignores_trace_headers_only():
    raw = corpus("no-message-id.eml")
    relayed = b"Received: from relay.example\r\nDelivered-To: x@example.com\r\n" + raw
    edited = raw.replace(b"This mail", b"That mail")

    assert synthetic_message_id(raw) == synthetic_message_id(relayed)
    assert synthetic_message_id(raw) != synthetic_message_id(edited)


def test_references_are_read_nearest_first():
    raw = (
        b"From: a@b.example\r\nTo: support@example.com\r\nMessage-ID: <m@x>\r\n"
        b"In-Reply-To: <c@x>\r\nReferences: <a@x> <b@x>\r\n\t<c@x>\r\n\r\nhi\r\n"
    )

    assert parse(raw).thread_ids == ["<c@x>", "<b@x>", "<a@x>"]


def test_a_message_id_without_brackets_is_accepted():
    raw = b"From: a@b.example\r\nMessage-ID: bare@x.example\r\n\r\nhi\r\n"

    assert parse(raw).message_id == "<bare@x.example>"


def test_a_forwarded_mail_is_an_attachment_not_a_thread():
    raw = (
        b"From: a@b.example\r\nMessage-ID: <fw@x>\r\nContent-Type: multipart/mixed; "
        b"boundary=z\r\n\r\n--z\r\nContent-Type: text/plain\r\n\r\nsee below\r\n--z\r\n"
        b"Content-Type: message/rfc822\r\n\r\nFrom: x@y.example\r\nMessage-ID: <inner@x>\r\n"
        b"\r\ninner\r\n--z--\r\n"
    )

    parsed = parse(raw)

    assert parsed.thread_ids == []
    assert [(a.name, a.content_type) for a in parsed.attachments] == [
        ("attachment.eml", "message/rfc822")
    ]


def test_no_headers_at_all_is_a_parse_error():
    with pytest.raises(ParseError):
        parse(b"\x00\x01\x02 just bytes")


@pytest.mark.parametrize(
    ("address", "expected"),
    [
        ("Support@Example.COM", "support@example.com"),
        ("support+refunds@example.com", "support@example.com"),
        (" billing@example.com ", "billing@example.com"),
    ],
)
def test_addresses_compare_without_case_or_plus_tag(address, expected):
    assert normalise(address) == expected


def test_mail_html_loses_scripts_handlers_and_remote_images():
    from tickets.mail.html import sanitise_html

    clean = sanitise_html(
        '<p onclick="x()">Hi <a href="https://ex.example/a">link</a></p>'
        '<img src="https://tracker.example/pixel.gif"><script>alert(1)</script>'
    )

    assert "Hi" in clean and 'href="https://ex.example/a"' in clean
    assert "onclick" not in clean and "<script" not in clean
    assert "tracker.example" not in clean and "<img" not in clean


def test_html_list_items_keep_their_markers():
    from tickets.mail.html import html_to_text

    assert html_to_text("<ul><li>one</li><li>two</li></ul>") == "- one\n- two"
    assert html_to_text("<p>Steps:</p><ol><li>Log in</li><li>Retry</li></ol><p>Thanks</p>") == (
        "Steps:\n\n- Log in\n- Retry\n\nThanks"
    )
