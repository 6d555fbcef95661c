from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import TicketFactory
from tickets.models import Resolution, Ticket
from tickets.resolution import solve_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(general_inbox):
    return TicketFactory(inbox=general_inbox, status=Ticket.Status.OPEN)


def url(ticket) -> str:
    return reverse("tickets:reopen", args=[ticket.pk])


def test_reopen_inside_the_window_breaks_the_resolution(client, general_agent, ticket):
    solve_ticket(ticket, kind="not_applicable", by=general_agent)
    client.force_login(general_agent)

    response = client.post(url(ticket), follow=True)

    ticket.refresh_from_db()
    assert ticket.status == "open"
    assert Resolution.objects.get(ticket=ticket).reopened_at is not None
    page = response.content.decode()
    assert "Its resolution did not hold." in page and "reopened after" in page


def test_reopen_after_the_window_keeps_it_held(client, general_agent, ticket):
    solve_ticket(
        ticket, kind="not_applicable", by=general_agent, at=timezone.now() - timedelta(days=9)
    )
    client.force_login(general_agent)

    response = client.post(url(ticket), follow=True)

    assert Resolution.objects.get(ticket=ticket).reopened_at is None
    assert 'class="tag ok">held' in response.content.decode()


def test_htmx_reopen_reloads_the_page(client, general_agent, ticket):
    solve_ticket(ticket, kind="not_applicable", by=general_agent)
    client.force_login(general_agent)

    response = client.post(url(ticket), headers={"HX-Request": "true"})

    assert response["HX-Redirect"] == reverse("tickets:detail", args=[ticket.pk])


def test_only_a_solved_ticket_reopens(client, general_agent, ticket):
    client.force_login(general_agent)

    response = client.post(url(ticket), follow=True)

    assert "Only a solved ticket can be reopened" in response.content.decode()


def test_closed_is_final(client, general_agent, ticket):
    Ticket.objects.filter(pk=ticket.pk).update(status="closed")
    client.force_login(general_agent)

    client.post(url(ticket))

    ticket.refresh_from_db()
    assert ticket.status == "closed"


def test_other_inbox_404_manager_403_get_405(
    client, billing_agent, manager, general_agent, ticket
):
    solve_ticket(ticket, kind="not_applicable", by=general_agent)
    client.force_login(billing_agent)
    assert client.post(url(ticket)).status_code == 404
    client.force_login(manager)
    assert client.post(url(ticket)).status_code == 403
    client.force_login(general_agent)
    assert client.get(url(ticket)).status_code == 405
    ticket.refresh_from_db()
    assert ticket.status == "solved"
