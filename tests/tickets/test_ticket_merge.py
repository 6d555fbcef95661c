"""Merging two tickets of the same inbox: the service, the page, the mail rule."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from supportdesk.models import AuditEvent
from tests.factories import ArticleFactory, CustomerFactory, MessageFactory, TicketFactory
from tickets.merge.services import OtherCustomer, merge_tickets
from tickets.models import Message, Ticket, TicketMerge
from tickets.resolution import link_article, reopen_ticket, solve_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def customer(db):
    return CustomerFactory(email="ana@customer.example")


@pytest.fixture
def pair(general_inbox, customer):
    older = TicketFactory(inbox=general_inbox, customer=customer, subject="Export fails")
    MessageFactory(ticket=older, body_text="Export fails with a 500.")
    newer = TicketFactory(inbox=general_inbox, customer=customer, subject="Still failing")
    MessageFactory(ticket=newer, body_text="Any news on the export?")
    return older, newer


def test_the_survivor_keeps_thread_links_and_resolution_history(pair, general_agent):
    merged, into = pair
    article = ArticleFactory()
    link = link_article(merged, article=article, by=general_agent)
    solve_ticket(merged, kind="article", by=general_agent, links=[link])
    reopen_ticket(merged, by=None)

    merge_tickets(merged, into=into, by=general_agent)

    assert into.messages.count() == 2 and not merged.messages.exists()
    assert list(into.article_links.all()) == [link]
    assert into.resolutions.count() == 1 and not merged.resolutions.exists()
    merged.refresh_from_db()
    into.refresh_from_db()
    assert merged.status == Ticket.Status.CLOSED
    assert TicketMerge.objects.get(merged=merged).into == into
    assert into.preview == "Any news on the export?"
    texts = [e.new_value for e in into.events.filter(kind="merged")]
    assert texts == [into.number]
    audit = AuditEvent.objects.get(action="ticket_merged")
    assert audit.actor == general_agent and audit.target == f"{merged.number} into {into.number}"


def test_no_merge_across_inboxes(general_inbox, billing_inbox, customer, general_agent):
    one = TicketFactory(inbox=general_inbox, customer=customer)
    other = TicketFactory(inbox=billing_inbox, customer=customer)

    with pytest.raises(ValidationError, match="another inbox"):
        merge_tickets(one, into=other, by=general_agent)

    assert not TicketMerge.objects.exists()


def test_another_customer_needs_confirming(general_inbox, customer, general_agent):
    one = TicketFactory(inbox=general_inbox, customer=customer)
    other = TicketFactory(inbox=general_inbox)

    with pytest.raises(OtherCustomer):
        merge_tickets(one, into=other, by=general_agent)
    merge_tickets(one, into=other, by=general_agent, other_customer=True)

    assert TicketMerge.objects.get().into == other


def test_page_confirms_then_merges_and_the_merged_one_redirects(client, pair, general_agent):
    merged, into = pair
    client.force_login(general_agent)
    url = reverse("tickets:merge", args=[merged.pk])

    asked = client.post(url, {"into": f"#{into.pk}"})
    assert asked.status_code == 200 and f"Merge into {into.number}" in asked.content.decode()
    assert not TicketMerge.objects.exists()  # nothing yet: the agent confirms

    done = client.post(url, {"into": into.pk, "confirm": "1"})
    assert done["Location"] == reverse("tickets:detail", args=[into.pk])
    again = client.get(reverse("tickets:detail", args=[merged.pk]))
    assert again.status_code == 302 and again["Location"] == done["Location"]


def test_cannot_merge_into_a_ticket_one_cannot_see(
    client, general_inbox, billing_inbox, customer, general_agent
):
    mine = TicketFactory(inbox=general_inbox, customer=customer)
    hidden = TicketFactory(inbox=billing_inbox, customer=customer)
    client.force_login(general_agent)

    response = client.post(
        reverse("tickets:merge", args=[mine.pk]), {"into": hidden.pk, "confirm": "1"}
    )

    assert response.status_code == 400
    assert f"No ticket #{hidden.pk} in your inboxes" in response.content.decode()
    assert not TicketMerge.objects.exists()


def test_another_inboxs_ticket_cannot_be_merged_from(client, billing_inbox, general_agent):
    hidden = TicketFactory(inbox=billing_inbox)

    client.force_login(general_agent)

    assert client.get(reverse("tickets:merge", args=[hidden.pk])).status_code == 404


def test_mail_to_the_merged_ticket_lands_on_the_survivor(pair, general_agent):
    from tickets.mail.inbound import ingest

    merged, into = pair
    general = merged.inbox
    general.address = general.reply_from = "support@example.com"
    general.position = 0
    general.save()
    first = merged.messages.get()
    first.message_id = "<first@customer.example>"
    first.save()
    merge_tickets(merged, into=into, by=general_agent)

    by_header = ingest(
        b"From: ana@customer.example\r\nTo: support@example.com\r\nSubject: Re: Export\r\n"
        b"Message-ID: <r1@c>\r\nIn-Reply-To: <first@customer.example>\r\n\r\nStill.\r\n",
        source="t",
    )
    by_token = ingest(
        b"From: ana@customer.example\r\nTo: support@example.com\r\n"
        + f"Subject: Re: Export [#{merged.pk}]\r\nMessage-ID: <r2@c>\r\n\r\nHello?\r\n".encode(),
        source="t",
    )

    assert by_header.ticket_id == into.pk and by_token.ticket_id == into.pk
    assert into.messages.filter(kind=Message.Kind.CUSTOMER).count() == 4
