import pytest
from django.urls import NoReverseMatch, reverse

from tests.factories import TicketFactory
from tickets.models import TicketEvent
from tickets.resolution import solve_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(general_inbox, general_agent):
    return TicketFactory(inbox=general_inbox, assignee=general_agent)


def queue_url() -> str:
    try:
        return reverse("tickets:queue")
    except NoReverseMatch:  # before the queue branch is merged
        return reverse("home")


def url(ticket) -> str:
    return reverse("tickets:transfer", args=[ticket.pk])


def test_moving_out_of_my_inboxes_asks_first(client, general_agent, billing_inbox, ticket):
    client.force_login(general_agent)

    response = client.post(url(ticket), {"to_inbox": "billing"})

    page = response.content.decode()
    assert response.status_code == 409
    assert "you will lose access" in page and "Move to Billing anyway" in page
    ticket.refresh_from_db()
    assert ticket.inbox.slug == "general"


def test_confirmed_move_loses_access_and_goes_to_the_queues(
    client, general_agent, billing_inbox, ticket
):
    client.force_login(general_agent)

    response = client.post(url(ticket), {"to_inbox": "billing", "confirm": "1"})

    assert response.status_code == 302 and response["Location"] == queue_url()
    ticket.refresh_from_db()
    assert ticket.inbox == billing_inbox and ticket.assignee is None
    event = ticket.events.get(kind=TicketEvent.Kind.INBOX)
    assert (event.old_value, event.new_value, event.actor) == (
        "General support",
        "Billing",
        general_agent,
    )
    assert "You no longer have access" in client.get(queue_url()).content.decode()
    assert client.get(reverse("tickets:detail", args=[ticket.pk])).status_code == 404


def test_htmx_confirmed_move_redirects_the_browser(client, general_agent, billing_inbox, ticket):
    client.force_login(general_agent)

    response = client.post(
        url(ticket), {"to_inbox": "billing", "confirm": "1"}, headers={"HX-Request": "true"}
    )

    assert response["HX-Redirect"] == queue_url()


def test_htmx_warning_swaps_into_the_details(client, general_agent, billing_inbox, ticket):
    client.force_login(general_agent)

    response = client.post(url(ticket), {"to_inbox": "billing"}, headers={"HX-Request": "true"})

    page = response.content.decode()
    assert page.lstrip().startswith('<div id="details">') and "you will lose access" in page


def test_member_of_both_moves_without_a_warning(client, general_agent, billing_inbox, ticket):
    billing_inbox.members.add(general_agent)
    client.force_login(general_agent)

    response = client.post(url(ticket), {"to_inbox": "billing"})

    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    ticket.refresh_from_db()
    assert ticket.inbox == billing_inbox and ticket.assignee == general_agent


def test_solved_ticket_stays_put(client, general_agent, billing_inbox, ticket):
    solve_ticket(ticket, kind="not_applicable", by=general_agent)
    client.force_login(general_agent)

    client.post(url(ticket), {"to_inbox": "billing", "confirm": "1"})

    ticket.refresh_from_db()
    assert ticket.inbox.slug == "general"


def test_unknown_inbox_is_an_error(client, general_agent, ticket):
    client.force_login(general_agent)

    response = client.post(url(ticket), {"to_inbox": "nowhere"}, follow=True)

    assert "Pick the inbox" in response.content.decode()


def test_outsider_cannot_move_a_billing_ticket(
    client, general_agent, general_inbox, billing_inbox
):
    secret = TicketFactory(inbox=billing_inbox)
    client.force_login(general_agent)

    assert client.post(url(secret), {"to_inbox": "general"}).status_code == 404
    secret.refresh_from_db()
    assert secret.inbox == billing_inbox


def test_get_is_not_allowed(client, general_agent, ticket):
    client.force_login(general_agent)

    assert client.get(url(ticket)).status_code == 405
