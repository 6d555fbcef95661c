"""The composer previews what the customer will receive: both parts of the reply,
signature included, from the same functions the outbound mail is built with."""

import html as htmllib
import re

import pytest
from django.urls import reverse

from supportdesk.roles import AGENT
from tests.factories import UserFactory
from tests.mail.test_outbound_parts import ARTICLE
from tests.mail.test_threading import ticket_for
from tickets.mail import outbound
from tickets.mail.participants import add_participant
from tickets.services import add_reply
from tickets.views.participants import PREVIEW_LINK


@pytest.fixture
def ticket(support, agent):
    support.signature = "The Support Team · [status page](https://status.example.com)"
    support.save(update_fields=["signature"])
    ticket = ticket_for(support)
    add_participant(ticket, email="bob@customer.example", name="Bob", by=agent)
    return ticket


def frame_url(page: str) -> str:
    """The address of the preview's frame (the HTML part)."""
    return htmllib.unescape(page.split("<iframe", 1)[1].split('src="', 1)[1].split('"', 1)[0])


def preview(client, ticket, body, *, htmx=True):
    headers = {"HX-Request": "true", "HX-Target": "reply-preview"} if htmx else {}
    url = reverse("tickets:reply_preview", args=[ticket.pk])
    return client.post(url, {"body": body, "kind": "reply"}, headers=headers)


def test_the_preview_is_the_mail_the_customer_receives(ticket, client, general_agent, smtp_server):
    body = f"Hi Ana,\n\nthis article explains it:\n\n{ARTICLE}\nBest,\nSam"
    client.force_login(general_agent)

    response = preview(client, ticket, body)

    assert response.status_code == 200
    shown = response.content.decode()
    assert shown.lstrip().startswith('<section id="reply-preview"')
    assert "<html" not in shown  # a fragment, not a page
    message = add_reply(ticket, body_text=body, by=general_agent)
    outbound.deliver_message(message.pk)
    [mail] = smtp_server.messages
    # The same mail, but for the customer's link: each mail makes its own.
    text, html = (
        re.sub(r"/help/tickets/[\w-]+/", f"/help/tickets/{PREVIEW_LINK}/", part)
        for part in (
            mail.get_body((kind,)).get_content().replace("\r\n", "\n")
            for kind in ("plain", "html")
        )
    )
    assert f"/help/tickets/{PREVIEW_LINK}/" in text
    assert htmllib.escape(text.rstrip("\n")) in shown
    frame = client.get(frame_url(shown))
    assert frame.status_code == 200 and frame["Content-Type"].startswith("text/html")
    assert frame.content.decode().strip() == html.strip()
    policy = frame["Content-Security-Policy"]
    assert "sandbox" in policy and "script" not in policy and "default-src 'none'" in policy
    assert frame["X-Frame-Options"] == "SAMEORIGIN"
    assert "-- \nThe Support Team" in text and "The Support Team" in frame.content.decode()
    assert "To: ana@customer.example" in shown and "Cc: Bob &lt;bob@customer.example&gt;" in shown


def test_an_empty_composer_previews_nothing(ticket, client, general_agent):
    client.force_login(general_agent)

    response = preview(client, ticket, "   ")

    assert "Type a reply to preview" in response.content.decode()


def test_without_htmx_the_preview_is_a_page_with_a_way_back(ticket, client, general_agent):
    client.force_login(general_agent)

    response = preview(client, ticket, "**Done**", htmx=False)

    page = response.content.decode()
    assert response.status_code == 200 and "<h1>What the customer will receive</h1>" in page
    assert "<strong>Done</strong>" in client.get(frame_url(page)).content.decode()
    assert reverse("tickets:detail", args=[ticket.pk]) in page


def test_the_composer_wires_the_preview(ticket, client, general_agent):
    client.force_login(general_agent)

    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

    url = reverse("tickets:reply_preview", args=[ticket.pk])
    assert f'hx-post="{url}"' in page and "delay:500ms" in page
    assert f'formaction="{url}"' in page  # the Preview button, for pages without htmx


def test_the_preview_needs_post_and_an_agent(ticket, client, general_agent, editor):
    client.force_login(general_agent)
    assert client.get(reverse("tickets:reply_preview", args=[ticket.pk])).status_code == 405
    ticket.inbox.members.add(editor)
    client.force_login(editor)
    assert preview(client, ticket, "hi").status_code == 403


def test_only_the_agent_who_previewed_gets_the_html_part(
    ticket, client, general_agent, billing_agent
):
    client.force_login(general_agent)
    src = frame_url(preview(client, ticket, "**Done**").content.decode())
    colleague = UserFactory(role=AGENT)
    ticket.inbox.members.add(colleague)

    client.force_login(colleague)
    assert client.get(src).status_code == 404  # not theirs
    client.force_login(billing_agent)
    assert client.get(src).status_code == 404  # not a ticket they may see
    client.force_login(general_agent)
    assert client.get(src).status_code == 200
    token = src.rstrip("/").rsplit("/", 1)[1]
    assert client.get(src.replace(token, "0" * 32)).status_code == 404
