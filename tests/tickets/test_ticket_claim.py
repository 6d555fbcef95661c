import threading

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from supportdesk.roles import AGENT
from tests.factories import TicketFactory, UserFactory
from tickets.models import Ticket, TicketEvent
from tickets.resolution import solve_ticket
from tickets.services import claim_ticket


def url(ticket) -> str:
    return reverse("tickets:claim", args=[ticket.pk])


@pytest.mark.django_db
def test_take_it_assigns_me_and_audits(client, general_agent, general_inbox):
    ticket = TicketFactory(inbox=general_inbox)
    client.force_login(general_agent)

    response = client.post(url(ticket))

    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.assignee == general_agent
    event = ticket.events.get(kind=TicketEvent.Kind.ASSIGNEE)
    assert event.actor == general_agent and event.new_value == general_agent.get_full_name()


@pytest.mark.django_db
def test_htmx_take_it_rerenders_the_details(client, general_agent, general_inbox):
    ticket = TicketFactory(inbox=general_inbox)
    client.force_login(general_agent)

    response = client.post(url(ticket), headers={"HX-Request": "true"})

    page = response.content.decode()
    assert response.status_code == 200 and page.lstrip().startswith('<div id="details">')
    assert f"You took {ticket.number}." in page
    assert response["HX-Trigger"].startswith('{"ticketChanged"')


@pytest.mark.django_db
def test_the_slower_agent_is_told_who_took_it(client, general_agent, general_inbox):
    faster = UserFactory(role=AGENT, first_name="Fay", last_name="Fast")
    general_inbox.members.add(faster)
    ticket = TicketFactory(inbox=general_inbox)
    claim_ticket(ticket, by=faster)
    client.force_login(general_agent)

    response = client.post(url(ticket), headers={"HX-Request": "true"})

    assert "Fay Fast already took" in response.content.decode()
    ticket.refresh_from_db()
    assert ticket.assignee == faster


@pytest.mark.django_db
def test_a_solved_ticket_cannot_be_taken(client, general_agent, general_inbox):
    ticket = TicketFactory(inbox=general_inbox)
    solve_ticket(ticket, kind="not_applicable", by=general_agent)
    client.force_login(general_agent)

    client.post(url(ticket))

    ticket.refresh_from_db()
    assert ticket.assignee is None


@pytest.mark.django_db
def test_other_inbox_is_404_and_get_is_405(client, billing_agent, general_agent, general_inbox):
    ticket = TicketFactory(inbox=general_inbox)
    client.force_login(billing_agent)
    assert client.post(url(ticket)).status_code == 404
    client.force_login(general_agent)
    assert client.get(url(ticket)).status_code == 405


@pytest.mark.django_db
def test_manager_is_refused(client, manager, general_inbox):
    ticket = TicketFactory(inbox=general_inbox)
    client.force_login(manager)

    assert client.post(url(ticket)).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_two_agents_at_once_exactly_one_wins(general_inbox):
    agents = [UserFactory(role=AGENT) for _ in range(2)]
    general_inbox.members.add(*agents)
    ticket = TicketFactory(inbox=general_inbox)
    clients = []
    for agent in agents:
        c = Client()
        c.force_login(agent)
        clients.append(c)
    start = threading.Barrier(2)
    answers: dict[int, str] = {}

    def click(i: int) -> None:
        try:
            start.wait()
            response = clients[i].post(url(ticket), headers={"HX-Request": "true"})
            answers[i] = response.content.decode()
        finally:
            connection.close()  # each thread has its own connection

    threads = [threading.Thread(target=click, args=(i,)) for i in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    ticket.refresh_from_db()
    winner = agents.index(ticket.assignee)
    loser = 1 - winner
    assert "You took" in answers[winner]
    assert f"{agents[winner].get_full_name()} already took" in answers[loser]
    assert Ticket.objects.get(pk=ticket.pk).events.filter(kind="assignee").count() == 1


@pytest.mark.django_db(transaction=True)
def test_claim_service_race_many_threads(general_inbox):
    agents = [UserFactory(role=AGENT) for _ in range(4)]
    general_inbox.members.add(*agents)  # only agents of the inbox may take it (issue 15)
    ticket = TicketFactory(inbox=general_inbox)
    start = threading.Barrier(len(agents))
    results = {}

    def claim(agent) -> None:
        try:
            start.wait()
            results[agent.pk] = claim_ticket(ticket, by=agent)
        finally:
            connection.close()

    threads = [threading.Thread(target=claim, args=(a,)) for a in agents]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    ticket.refresh_from_db()
    assert set(results.values()) == {ticket.assignee}
    assert ticket.events.filter(kind="assignee").count() == 1
