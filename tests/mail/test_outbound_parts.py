"""What the customer receives: a reply's plain-text and HTML parts, read from the
mail bytes the SMTP server got."""

import pytest

from tickets.mail import outbound
from tickets.mail.markdown_text import markdown_to_text
from tickets.services import add_reply, create_ticket, get_or_create_customer

# An article as agents insert it into a reply (the composer pastes its Markdown).
ARTICLE = """\
## Reset your password

If the login page keeps **rejecting your email**, do this:

* Open the [reset page](https://app.example.com/account/reset-password?source=mail&campaign=support) and enter your address.
* Follow the link we send you within *one hour*.
* Still stuck? Write to [help@example.com](mailto:help@example.com) or [our billing team](mailto:billing@example.com).

1. First step
2. Second step

> Tip: check your spam folder, the mail sometimes lands there when your provider is strict about new senders.

    curl https://app.example.com/health
"""  # noqa: E501 - the long lines are what an article holds


@pytest.fixture
def ticket(support):
    support.signature = "The Support Team · [status page](https://status.example.com)"
    support.save(update_fields=["signature"])
    return create_ticket(
        inbox=support,
        customer=get_or_create_customer("ana@customer.example", "Ana"),
        subject="Cannot log in",
        body_text="It fails.",
        message_id="<first@customer.example>",
    )


def test_a_reply_with_an_article_reads_cleanly_in_both_parts(ticket, agent, smtp_server):
    body = f"Hi Ana,\n\nthis article explains it:\n\n{ARTICLE}\nBest,\nSam"
    message = add_reply(ticket, body_text=body, by=agent)

    assert outbound.deliver_message(message.pk) == "sent"

    [mail] = smtp_server.messages
    assert mail.get_content_type() == "multipart/alternative"
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = mail.get_body(("html",)).get_content()

    # Plain text: no Markdown marks, links as "text <url>", wrapped at 72.
    for mark in ("**", "](", "## ", "* Open"):
        assert mark not in text
    assert "rejecting your email" in text
    assert "- Open the reset page\n" in text
    assert "<https://app.example.com/account/reset-password?source=mail&campaign=support>" in text
    flat = " ".join(text.split())
    assert "help@example.com or our billing team <billing@example.com>" in flat
    assert "mailto:" not in text
    assert "1. First step\n2. Second step" in text
    assert "> Tip: check your spam folder" in text
    assert "    curl https://app.example.com/health" in text
    assert "Reset your password\n===" in text
    for line in text.splitlines():
        # Only an unbreakable word (the long URL) may pass 72 columns.
        assert len(line) <= 72 or " " not in line.strip().removeprefix("- ").strip(), line
    words = " ".join(ARTICLE.split())
    assert "within one hour." in words.replace("*", "") and "within one hour." in text
    # The signature under the standard delimiter.
    assert "\n-- \nThe Support Team · status page <https://status.example.com>" in text

    # HTML: the same Markdown rendered and sanitised.
    assert "<strong>rejecting your email</strong>" in html
    reset = "https://app.example.com/account/reset-password?source=mail&amp;campaign=support"
    assert f'<a href="{reset}"' in html
    assert '<a href="mailto:billing@example.com"' in html
    assert "<li>" in html and "<blockquote>" in html and "<h2>Reset your password</h2>" in html
    assert "**" not in html and "<script" not in html
    assert "The Support Team" in html and 'href="https://status.example.com"' in html


def test_markup_an_agent_types_is_not_sent_as_html(ticket, agent, smtp_server):
    message = add_reply(
        ticket,
        body_text="<script>alert(1)</script> [click](javascript:alert(1)) <b>bold</b>",
        by=agent,
    )

    outbound.deliver_message(message.pk)

    [mail] = smtp_server.messages
    html = mail.get_body(("html",)).get_content()
    assert "<script" not in html and 'href="javascript:' not in html and "<b>" not in html
    assert "&lt;script&gt;" in html


def test_no_signature_means_no_delimiter(support, agent, smtp_server):
    ticket = create_ticket(
        inbox=support,
        customer=get_or_create_customer("bo@customer.example"),
        subject="Hi",
        body_text="Hello",
    )
    message = add_reply(ticket, body_text="Done.", by=agent)

    outbound.deliver_message(message.pk)

    [mail] = smtp_server.messages
    # The reply, then only the customer's link (issue 14): no signature delimiter.
    reply, link = mail.get_body(("plain",)).get_content().split("\r\n\r\n", 1)
    assert reply == "Done."
    assert "-- \r\n" not in link and link.lstrip("-\r\n").startswith("See the whole conversation")


def test_the_acknowledgement_has_both_parts(ticket, smtp_server):
    message = ticket.messages.get()

    outbound.acknowledgement(message).send()

    [mail] = smtp_server.messages
    text = mail.get_body(("plain",)).get_content().replace("\r\n", "\n")
    html = mail.get_body(("html",)).get_content()
    assert f"opened ticket #{ticket.pk}." in text and "**" not in text
    assert f"keep [#{ticket.pk}] in the subject" in " ".join(text.split())
    assert f"<strong>#{ticket.pk}</strong>" in html
    assert "The Support Team" in text and "The Support Team" in html


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("a ~~b~~ `c`", "a b c\n"),
        ("[https://x.example](https://x.example)", "https://x.example\n"),
        ("line one  \nline two", "line one\nline two\n"),
        ("| Plan | Price |\n| --- | --- |\n| Pro | 10 |", "Plan | Price\nPro | 10\n"),
        ("- a\n\n  more\n- b", "- a\n\n  more\n- b\n"),
        ("- outer\n  - inner", "- outer\n  - inner\n"),
        ("", "\n"),
    ],
)
def test_markdown_to_text(source, expected):
    assert markdown_to_text(source) == expected


def test_wrapping_never_breaks_words():
    text = markdown_to_text("word " * 40 + "https://example.com/" + "x" * 100)
    lines = text.splitlines()
    assert all(len(line) <= 72 for line in lines[:-1])
    assert lines[-1] == "https://example.com/" + "x" * 100
