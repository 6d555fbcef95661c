"""Only agents of the ticket's inbox can hold it: services, form, API, bulk,
transfer and claim refuse others; managers see existing bad assignments."""

import json

import pytest
from django.core.exceptions import ValidationError

from supportdesk.roles import AGENT, EDITOR, MANAGER
from tests.factories import TicketFactory, UserFactory
from tickets.models import Ticket
from tickets.services import assign_ticket, claim_ticket, transfer_ticket


@pytest.fixture
def editor_member(general_inbox):
    user = UserFactory(role=EDITOR, username="eddie", first_name="Eddie", last_name="")
    general_inbox.members.add(user)
    return user


@pytest.fixture
def ticket(general_inbox):
    return TicketFactory(inbox=general_inbox)


def test_the_service_refuses_an_editor_member(ticket, editor_member, general_agent):
    with pytest.raises(ValidationError, match="only active agents of General support"):
        assign_ticket(ticket, assignee=editor_member, by=general_agent)

    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_the_service_refuses_an_agent_of_another_inbox(ticket, billing_agent, general_agent):
    with pytest.raises(ValidationError, match="cannot be given tickets of General support"):
        assign_ticket(ticket, assignee=billing_agent, by=general_agent)


def test_an_agent_of_another_inbox_cannot_claim(ticket, billing_agent):
    with pytest.raises(ValidationError):
        claim_ticket(ticket, by=billing_agent)

    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_the_details_form_offers_and_accepts_agents_only(
    client, ticket, general_agent, editor_member
):
    client.force_login(general_agent)

    page = client.get(f"/tickets/{ticket.pk}/").content.decode()
    options = page[page.index('name="assignee"') :].split("</select>")[0]
    assert f'<option value="{general_agent.pk}"' in options
    assert f'<option value="{editor_member.pk}"' not in options

    response = client.post(
        f"/tickets/{ticket.pk}/details/",
        {"status": "new", "priority": 2, "assignee": editor_member.pk},
        follow=True,
    )
    assert "That change could not be saved" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_the_api_refuses_with_a_clear_error(client, ticket, general_agent, editor_member):
    client.force_login(general_agent)

    response = client.post(
        f"/api/v1/tickets/{ticket.pk}/assign/",
        json.dumps({"assignee": editor_member.pk}),
        content_type="application/json",
    )

    assert response.status_code == 400
    assert "No active agent of General support has that id." in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_bulk_assign_refuses_a_non_agent(client, ticket, general_agent, editor_member):
    client.force_login(general_agent)

    response = client.post(
        "/tickets/bulk/",
        {"tickets": [ticket.pk], "action": "assign", "assignee": editor_member.pk},
        follow=True,
    )

    assert "Tickets go only to agents of their inbox" in response.content.decode()
    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_the_bulk_bar_offers_agents_only(client, ticket, general_agent, editor_member):
    client.force_login(general_agent)

    page = client.get("/tickets/").content.decode()
    bulk_select = page[page.index('id="bulk-assignee"') :].split("</select>")[0]

    assert f'value="{general_agent.pk}"' in bulk_select
    assert f'value="{editor_member.pk}"' not in bulk_select


def test_transfer_drops_a_holder_who_is_not_an_agent_there(
    general_inbox, billing_inbox, general_agent, manager
):
    billing_inbox.members.add(UserFactory(role=AGENT))
    editor = UserFactory(role=EDITOR)
    billing_inbox.members.add(editor, general_agent)
    general_agent.groups.clear()  # a member of billing, but no longer an agent
    ticket = TicketFactory(inbox=general_inbox, assignee=general_agent)

    transfer_ticket(ticket, inbox=billing_inbox, by=manager)

    assert Ticket.objects.get(pk=ticket.pk).assignee is None


def test_managers_see_existing_bad_assignments(
    client, general_inbox, editor_member, general_agent
):
    bad = TicketFactory(inbox=general_inbox, assignee=editor_member, subject="Held by an editor")
    TicketFactory(inbox=general_inbox, assignee=general_agent, subject="Held fine")
    TicketFactory(
        inbox=general_inbox, assignee=editor_member, subject="Solved long ago", status="solved"
    )
    manager = UserFactory(role=MANAGER)
    client.force_login(manager)

    html = client.get("/assignment/").content.decode()

    assert "1 open ticket is assigned to someone who is not an agent" in html
    assert f"{bad.number} Held by an editor" in html
    assert "Held fine" not in html and "Solved long ago" not in html


def test_the_assignment_page_is_for_managers(client, general_agent):
    client.force_login(general_agent)

    assert client.get("/assignment/").status_code == 403


def test_moving_a_ticket_says_its_holder_was_dropped(
    client, general_inbox, billing_inbox, general_agent
):
    general_agent.inboxes.add(billing_inbox)
    holder = UserFactory(role=AGENT, first_name="Hal", last_name="Holder")
    general_inbox.members.add(holder)
    ticket = TicketFactory(inbox=general_inbox, assignee=holder)
    client.force_login(general_agent)

    response = client.post(f"/tickets/{ticket.pk}/transfer/", {"to_inbox": "billing"}, follow=True)

    assert f"Hal Holder no longer holds {ticket.number}: only agents of Billing can." in (
        response.content.decode()
    )
    assert Ticket.objects.get(pk=ticket.pk).assignee is None
