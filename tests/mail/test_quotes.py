"""Quotes collapsed, not lost: a reply from Gmail, Outlook or Apple Mail shows only
what the customer just wrote; the quoted history and signature sit behind a
toggle; the queue preview and search read the new text only."""

import pytest
from django.urls import reverse

from tests.mail.conftest import corpus
from tests.mail.test_threading import ticket_for
from tickets.mail.html import html_to_text
from tickets.mail.inbound import ingest
from tickets.mail.quotes import split_reply
from tickets.models import Message, Ticket
from tickets.search.query import search_tickets

CLIENTS = {
    "reply-gmail.eml": (
        "Retrying worked, the render finished. Zebrafish-gmail.",
        "Support <support@example.com> wrote:",
    ),
    "reply-outlook.eml": (
        "Still broken after the retry, same error at 90%. Zebrafish-outlook.",
        "Kind regards\nAna Lopez\nACME Ltd | +44 20 7946 0000\n\n"
        "From: Support <support@example.com>\nSent: Tuesday, November 3, 2026 10:02 AM",
    ),
    "reply-apple.eml": (
        "Yes it works now, thank you! Zebrafish-apple.",
        "Sent from my iPhone\n\n> On 3 Nov 2026, at 10:02, Support <support@example.com> wrote:",
    ),
    "reply-html-only.eml": (
        "Here is my plan, see the invoice <https://billing.example.com/invoice/42>. "
        "Zebrafish-html.\n\nPlan | Pro\nSeats | 5",
        "Support <support@example.com> wrote:\n\n> Please retry the render",
    ),
}


def ingest_reply(name: str, ticket: Ticket) -> Message:
    raw = corpus(name).replace(b"[#TICKET]", f"[#{ticket.pk}]".encode())
    result = ingest(raw, source="t")
    assert result.ticket_id == ticket.pk
    return Message.objects.get(pk=result.message_id)


@pytest.mark.parametrize("name", CLIENTS)
def test_a_reply_keeps_the_new_text_and_the_history_apart(name, support, client, general_agent):
    ticket = ticket_for(support)
    new, quoted_start = CLIENTS[name]

    message = ingest_reply(name, ticket)

    assert message.body_text == new
    assert quoted_start in message.quoted_text
    assert "Please retry the render with the Pro plan quotawords." in message.quoted_text
    assert "quotawords" not in message.body_text
    ticket.refresh_from_db()
    assert ticket.preview.startswith(new.split("\n")[0][:40])
    assert "quotawords" not in ticket.preview
    # The thread: the new text, the rest behind a toggle.
    client.force_login(general_agent)
    html = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()
    body, _, toggle = html.partition('<details class="msg-quoted">')
    assert new.split("\n")[0].replace("<", "&lt;").replace(">", "&gt;") in body
    assert "quotawords" not in body
    assert "<summary>Quoted text and signature</summary>" in toggle
    assert "quotawords" in toggle.split("</details>")[0]


def test_search_finds_the_new_text_not_the_quoted_history(support, general_agent):
    ticket = ticket_for(support)
    ingest_reply("reply-gmail.eml", ticket)

    assert [
        t.pk for t in search_tickets(Ticket.objects.visible_to(general_agent), "Zebrafish-gmail")
    ] == [ticket.pk]
    assert list(search_tickets(Ticket.objects.visible_to(general_agent), "quotawords")) == []


def test_a_mail_without_quotes_is_all_new_text(support):
    message = Message.objects.get(pk=ingest(corpus("plain.eml"), source="t").message_id)

    assert message.body_text.startswith("Hello, my video stops at 90%")
    assert message.quoted_text == ""


def test_old_messages_without_a_split_still_show(support, client, general_agent):
    ticket = ticket_for(support)

    client.force_login(general_agent)
    html = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

    assert "It fails." in html and "msg-quoted" not in html


@pytest.mark.parametrize(
    ("text", "new", "quoted"),
    [
        ("Hi, the export fails.\n\n-- \nAna Lopez\nACME\n", "Hi, the export fails.",
         "-- \nAna Lopez\nACME"),
        # A pasted log keeps its indentation (the parser strips lines; we cut the original).
        ("Trace:\n    at render (app.js:1)\n\n"
         "On Mon, 2 Nov 2026 at 09:00, Sam <s@x.example> wrote:\n> a",
         "Trace:\n    at render (app.js:1)",
         "On Mon, 2 Nov 2026 at 09:00, Sam <s@x.example> wrote:\n> a"),
        # Quoted only (a bare forward): shown in full rather than hidden.
        ("> only quoted\n> lines\n", "> only quoted\n> lines", ""),
        ("", "", ""),
        ("Am 3. Nov. 2026 um 10:02 schrieb Support <support@example.com>:\n> x", None, None),
    ],
)  # fmt: skip
def test_split_reply(text, new, quoted):
    got_new, got_quoted = split_reply(text)
    if new is None:  # whatever the split, nothing is lost
        assert "schrieb" in got_new + got_quoted and "> x" in got_new + got_quoted
    else:
        assert (got_new, got_quoted) == (new, quoted)


def test_html_keeps_links_table_cells_and_quote_marks():
    text = html_to_text(
        '<p>See <a href="https://x.example/a">the page</a> or '
        '<a href="mailto:a@b.example">a@b.example</a> or <a href="javascript:x()">this</a></p>'
        "<table><tr><th>Plan</th><th>Price</th></tr><tr><td>Pro</td><td>10</td></tr></table>"
        "<blockquote>older<blockquote>oldest</blockquote></blockquote>"
    )

    assert text == (
        "See the page <https://x.example/a> or a@b.example or this\n\n"
        "Plan | Price\nPro | 10\n\n> older\n> > oldest"
    )
