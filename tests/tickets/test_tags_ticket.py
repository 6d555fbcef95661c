"""Tags on the ticket page, and the tag autocomplete (visibility rule)."""

import pytest
from django.urls import reverse

from tests.factories import TicketFactory
from tickets.models import TicketEvent
from tickets.tags.services import add_tags

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def ticket(general_inbox):
    return TicketFactory(inbox=general_inbox, status="open")


def test_add_tags_plain_post(client, general_agent, ticket):
    client.force_login(general_agent)

    response = client.post(
        reverse("tickets:tags", args=[ticket.pk]), {"tags": "VIP customer, refund"}
    )

    assert response.status_code == 302
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["refund", "vip-customer"]
    event = TicketEvent.objects.get(ticket=ticket, kind="tags")
    assert event.actor == general_agent and event.new_value == "vip-customer, refund"
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).text
    assert "Tagged" in page and "?tag=vip-customer&amp;view=all" in page
    assert "tagged vip-customer, refund by" in page  # the thread's event


def test_htmx_add_returns_the_tags_part_and_tells_the_page(client, general_agent, ticket):
    client.force_login(general_agent)

    response = client.post(reverse("tickets:tags", args=[ticket.pk]), {"tags": "urgent"},
                           headers=HTMX)  # fmt: skip

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<section id="ticket-tags"')
    assert "urgent" in response.text
    assert "ticketChanged" in response["HX-Trigger"]


def test_a_bad_tag_is_explained_and_the_text_kept(client, general_agent, ticket):
    client.force_login(general_agent)

    response = client.post(reverse("tickets:tags", args=[ticket.pk]), {"tags": "ok, <b>no</b>"},
                           headers=HTMX)  # fmt: skip

    assert response.status_code == 200
    assert "is not a tag" in response.text and 'value="ok, &lt;b&gt;no&lt;/b&gt;"' in response.text
    assert "<b>no</b>" not in response.text
    assert not ticket.tags.exists()


def test_remove_a_tag(client, general_agent, ticket):
    add_tags(ticket, names=["vip", "refund"], by=general_agent)
    client.force_login(general_agent)

    client.post(reverse("tickets:tags", args=[ticket.pk]), {"remove": "vip"})

    assert list(ticket.tags.values_list("name", flat=True)) == ["refund"]


def test_a_solved_ticket_keeps_its_tags(client, general_agent, ticket):
    add_tags(ticket, names=["vip"], by=general_agent)
    type(ticket).objects.filter(pk=ticket.pk).update(status="solved")
    client.force_login(general_agent)

    response = client.post(
        reverse("tickets:tags", args=[ticket.pk]), {"remove": "vip"}, follow=True
    )

    assert "reopen it first" in response.text
    assert ticket.tags.filter(name="vip").exists()


def test_another_inbox_ticket_is_404(client, general_agent, billing_inbox):
    billing = TicketFactory(inbox=billing_inbox, status="open")
    client.force_login(general_agent)

    response = client.post(reverse("tickets:tags", args=[billing.pk]), {"tags": "mine"})

    assert response.status_code == 404 and not billing.tags.exists()


def test_tags_post_only(client, general_agent, ticket):
    client.force_login(general_agent)

    assert client.get(reverse("tickets:tags", args=[ticket.pk])).status_code == 405


def test_autocomplete_offers_only_tags_on_visible_tickets(
    client, general_agent, billing_agent, ticket, billing_inbox
):
    add_tags(ticket, names=["refund-general"], by=general_agent)
    billing = TicketFactory(inbox=billing_inbox, status="open")
    add_tags(billing, names=["refund-secret"], by=billing_agent)
    client.force_login(general_agent)

    response = client.get(reverse("tickets:tag_suggest"), {"tags": "vip, ref"}, headers=HTMX)

    assert response.status_code == 200
    assert '<option value="vip, refund-general">refund-general</option>' in response.text
    assert "secret" not in response.text
    client.force_login(billing_agent)
    assert "refund-secret" in client.get(reverse("tickets:tag_suggest"), {"tag": "Ref"}).text
