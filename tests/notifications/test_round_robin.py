"""Round-robin per inbox: in turn, skipping agents who are away or at their cap."""

from collections import Counter

import pytest

from supportdesk.roles import AGENT, EDITOR
from tests.factories import CustomerFactory, TicketFactory, UserFactory
from tickets.models import AgentSettings
from tickets.services import create_ticket


@pytest.fixture
def inbox(general_inbox):
    general_inbox.round_robin = True
    general_inbox.save()
    return general_inbox


def agents(inbox, n: int) -> list:
    made = [UserFactory(role=AGENT) for _ in range(n)]
    inbox.members.add(*made)
    return made


def new_tickets(inbox, n: int) -> list:
    return [
        create_ticket(inbox=inbox, customer=CustomerFactory(), subject=f"T{i}", body_text="Hi")
        for i in range(n)
    ]


def holders(tickets) -> list:
    return [type(t).objects.get(pk=t.pk).assignee for t in tickets]


def test_each_agent_in_turn(inbox):
    team = agents(inbox, 3)

    held = holders(new_tickets(inbox, 6))

    assert held == team + team


def test_away_agents_are_skipped(inbox):
    ana, bo, cy = agents(inbox, 3)
    AgentSettings.objects.create(user=bo, away=True)

    assert Counter(holders(new_tickets(inbox, 4))) == {ana: 2, cy: 2}


def test_a_capped_agent_gets_no_more_than_the_cap(inbox):
    ana, bo = agents(inbox, 2)
    AgentSettings.objects.create(user=ana, max_open_tickets=2)
    TicketFactory(inbox=inbox, assignee=ana)  # already holds one open ticket
    TicketFactory(inbox=inbox, assignee=ana, status="solved")  # solved ones do not count

    held = Counter(holders(new_tickets(inbox, 5)))

    assert held == {ana: 1, bo: 4}


def test_everyone_away_or_full_leaves_it_unassigned(inbox):
    ana, bo = agents(inbox, 2)
    AgentSettings.objects.create(user=ana, away=True)
    AgentSettings.objects.create(user=bo, max_open_tickets=0)

    assert holders(new_tickets(inbox, 1)) == [None]


def test_only_agents_of_the_inbox_take_turns(inbox, billing_agent):
    editor = UserFactory(role=EDITOR)
    inbox.members.add(editor)
    (ana,) = agents(inbox, 1)

    assert holders(new_tickets(inbox, 2)) == [ana, ana]


def test_off_by_default(general_inbox):
    agents(general_inbox, 2)

    assert holders(new_tickets(general_inbox, 2)) == [None, None]


def test_a_ticket_typed_in_by_an_agent_stays_theirs(inbox):
    ana, bo = agents(inbox, 2)

    ticket = create_ticket(
        inbox=inbox, customer=CustomerFactory(), subject="Phone", body_text="Hi", by=bo
    )

    assert holders([ticket]) == [bo]


def test_managers_switch_it_on_and_set_away_and_cap(client, general_inbox, manager):
    (ana,) = agents(general_inbox, 1)
    client.force_login(manager)

    client.post(f"/assignment/inbox/{general_inbox.slug}/", {"round_robin": "on"})
    client.post(f"/assignment/agents/{ana.pk}/", {"away": "on", "max_open_tickets": "5"})

    general_inbox.refresh_from_db()
    prefs = AgentSettings.objects.get(user=ana)
    assert general_inbox.round_robin and prefs.away and prefs.max_open_tickets == 5
    html = client.get("/assignment/").content.decode()
    assert 'name="round_robin" checked' in html


def test_agents_cannot_switch_it(client, general_inbox, general_agent):
    client.force_login(general_agent)

    response = client.post(f"/assignment/inbox/{general_inbox.slug}/", {"round_robin": "on"})

    assert response.status_code == 403
    general_inbox.refresh_from_db()
    assert not general_inbox.round_robin


def test_an_agent_marks_themselves_away(client, inbox):
    ana, bo = agents(inbox, 2)
    client.force_login(ana)

    client.post("/settings/", {"shortcuts_enabled": "on", "away": "on"})

    assert holders(new_tickets(inbox, 2)) == [bo, bo]
