import pytest
from django.urls import reverse

from supportdesk.roles import AGENT
from tests.factories import TicketFactory, UserFactory
from tickets.models import Ticket, TicketEvent

BULK = reverse("tickets:bulk")


@pytest.fixture
def open_tickets(general_inbox):
    return [TicketFactory(inbox=general_inbox, status="open") for _ in range(3)]


def test_assign_to_me_changes_and_audits(client, general_agent, open_tickets):
    client.force_login(general_agent)
    ids = [t.pk for t in open_tickets[:2]]

    response = client.post(
        BULK, {"tickets": ids, "action": "assign", "assignee": "me", "next": "/tickets/?view=mine"}
    )

    assert response.status_code == 302
    assert response["Location"] == "/tickets/?view=mine"
    assert set(Ticket.objects.filter(assignee=general_agent).values_list("pk", flat=True)) == set(
        ids
    )
    events = TicketEvent.objects.filter(kind="assignee", ticket_id__in=ids)
    assert events.count() == 2
    assert all(e.actor == general_agent for e in events)


def test_assign_to_a_colleague_in_the_inbox(client, general_agent, general_inbox, open_tickets):
    colleague = UserFactory(role=AGENT, first_name="Cole")
    general_inbox.members.add(colleague)
    client.force_login(general_agent)

    client.post(
        BULK, {"tickets": [open_tickets[0].pk], "action": "assign", "assignee": colleague.pk}
    )

    open_tickets[0].refresh_from_db()
    assert open_tickets[0].assignee == colleague


def test_assignee_outside_my_inboxes_is_refused(
    client, general_agent, billing_agent, open_tickets
):
    client.force_login(general_agent)

    response = client.post(
        BULK,
        {"tickets": [open_tickets[0].pk], "action": "assign", "assignee": billing_agent.pk},
        follow=True,
    )

    assert "not a member of your inboxes" in response.text
    open_tickets[0].refresh_from_db()
    assert open_tickets[0].assignee is None


def test_set_status_skips_solved_and_says_so(client, general_agent, general_inbox, open_tickets):
    solved = TicketFactory(inbox=general_inbox, status="solved")
    client.force_login(general_agent)

    response = client.post(
        BULK,
        {"tickets": [open_tickets[0].pk, solved.pk], "action": "status", "status": "pending"},
        follow=True,
    )

    open_tickets[0].refresh_from_db()
    solved.refresh_from_db()
    assert open_tickets[0].status == "pending" and solved.status == "solved"
    assert "Updated 1 ticket." in response.text and "Skipped 1" in response.text
    event = TicketEvent.objects.get(ticket=open_tickets[0], kind="status")
    assert (event.old_value, event.new_value) == ("open", "pending")


def test_other_inbox_tickets_are_untouched(client, general_agent, billing_inbox):
    billing = TicketFactory(inbox=billing_inbox, status="open")
    client.force_login(general_agent)

    client.post(BULK, {"tickets": [billing.pk], "action": "status", "status": "pending"})

    billing.refresh_from_db()
    assert billing.status == "open"
    assert not TicketEvent.objects.filter(ticket=billing).exists()


def test_nothing_ticked_is_explained(client, general_agent):
    client.force_login(general_agent)

    response = client.post(BULK, {"action": "status", "status": "open"}, follow=True)

    assert "Tick at least one ticket first." in response.text


def test_htmx_gets_a_client_redirect(client, general_agent, open_tickets):
    client.force_login(general_agent)

    response = client.post(
        BULK,
        {"tickets": [open_tickets[0].pk], "action": "status", "status": "pending"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response["HX-Redirect"] == "/tickets/"
    assert "tickets-changed" in response["HX-Trigger"]


def test_offsite_next_is_ignored(client, general_agent, open_tickets):
    client.force_login(general_agent)

    response = client.post(
        BULK,
        {"tickets": [open_tickets[0].pk], "action": "status", "status": "open",
         "next": "https://evil.example/"},
    )  # fmt: skip

    assert response["Location"] == "/tickets/"


def test_get_is_not_allowed(client, general_agent):
    client.force_login(general_agent)

    assert client.get(BULK).status_code == 405


def test_managers_read_but_do_not_bulk_edit(client, manager, open_tickets):
    client.force_login(manager)

    response = client.post(BULK, {"tickets": [open_tickets[0].pk], "action": "status",
                                  "status": "pending"})  # fmt: skip

    assert response.status_code == 403
