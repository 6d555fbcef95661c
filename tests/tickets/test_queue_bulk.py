import pytest
from django.urls import reverse

from supportdesk.roles import AGENT
from tests.factories import ArticleFactory, TicketFactory, UserFactory
from tickets.models import Resolution, Ticket, TicketEvent
from tickets.resolution import link_article

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


# == solve, move, priority (issue 15) ==


def test_bulk_priority_changes_and_audits(client, general_agent, open_tickets):
    client.force_login(general_agent)
    ids = [t.pk for t in open_tickets[:2]]

    client.post(BULK, {"tickets": ids, "action": "priority", "priority": "4"})

    assert set(Ticket.objects.filter(priority=4).values_list("pk", flat=True)) == set(ids)
    assert TicketEvent.objects.filter(kind="priority", new_value="Urgent").count() == 2


def test_bulk_solve_records_the_resolution_kind(client, general_agent, open_tickets):
    client.force_login(general_agent)
    ids = [t.pk for t in open_tickets]

    response = client.post(
        BULK,
        {"tickets": ids, "action": "solve", "resolution": "not_applicable", "note": "Spam wave"},
        follow=True,
    )

    assert "Updated 3 tickets." in response.text
    assert set(Ticket.objects.values_list("status", flat=True)) == {"solved"}
    kinds = set(Resolution.objects.values_list("kind", "note"))
    assert kinds == {("not_applicable", "Spam wave")}


def test_bulk_solve_by_article_uses_each_tickets_sent_article(client, general_agent, open_tickets):
    article = ArticleFactory()
    link = link_article(open_tickets[0], article=article, by=general_agent)
    client.force_login(general_agent)

    response = client.post(
        BULK,
        {"tickets": [t.pk for t in open_tickets[:2]], "action": "solve", "resolution": "article"},
        follow=True,
    )

    resolution = Resolution.objects.get()
    assert resolution.ticket == open_tickets[0] and list(resolution.links.all()) == [link]
    assert "Skipped 1" in response.text  # the other ticket has no article to name


def test_bulk_content_gap_needs_a_note(client, general_agent, open_tickets):
    client.force_login(general_agent)

    response = client.post(
        BULK,
        {"tickets": [open_tickets[0].pk], "action": "solve", "resolution": "no_article"},
        follow=True,
    )

    assert "a content gap" in response.text and not Resolution.objects.exists()


def test_bulk_move_to_one_of_my_inboxes(
    client, general_agent, billing_inbox, open_tickets, billing_agent
):
    billing_inbox.members.add(general_agent)
    client.force_login(general_agent)

    client.post(BULK, {"tickets": [open_tickets[0].pk], "action": "move", "inbox": "billing"})

    open_tickets[0].refresh_from_db()
    assert open_tickets[0].inbox == billing_inbox
    assert TicketEvent.objects.get(kind="inbox").new_value == "Billing"


def test_bulk_move_to_an_inbox_not_mine_is_refused(
    client, general_agent, billing_inbox, open_tickets
):
    client.force_login(general_agent)

    response = client.post(
        BULK,
        {"tickets": [open_tickets[0].pk], "action": "move", "inbox": "billing"},
        follow=True,
    )

    assert "one of your inboxes" in response.text
    open_tickets[0].refresh_from_db()
    assert open_tickets[0].inbox.slug == "general"


def test_bulk_solve_skips_tickets_of_other_inboxes(
    client, general_agent, billing_inbox, open_tickets
):
    hidden = TicketFactory(inbox=billing_inbox, status="open")
    client.force_login(general_agent)

    client.post(BULK, {"tickets": [hidden.pk], "action": "solve", "resolution": "not_applicable"})

    hidden.refresh_from_db()
    assert hidden.status == "open"
