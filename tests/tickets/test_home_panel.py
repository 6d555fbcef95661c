from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from tests.factories import TicketFactory


def test_agent_home_shows_their_work(client, general_agent, general_inbox, billing_inbox):
    now = timezone.now()
    TicketFactory(inbox=general_inbox, status="open", assignee=general_agent, subject="Mine")
    TicketFactory(
        inbox=general_inbox, subject="Oldest one", last_customer_message_at=now - timedelta(days=4)
    )
    TicketFactory(inbox=billing_inbox, subject="Billing secret")
    client.force_login(general_agent)

    response = client.get(reverse("home"))

    panel = response.context["tickets_panel"]
    assert [t.subject for t in panel["mine"]] == ["Mine"]
    assert panel["oldest"][0].subject == "Oldest one"
    assert [(inbox.slug, n) for inbox, n in panel["unassigned"]] == [("general", 1)]
    assert "waiting 4 d" in response.text
    assert "Billing secret" not in response.text


def test_agent_without_tickets_is_told_what_to_do(client, general_agent):
    client.force_login(general_agent)

    response = client.get(reverse("home"))

    assert "Nothing assigned to you." in response.text
    assert "Nobody is waiting for an answer." in response.text


def test_manager_home_gives_an_overview_per_inbox(client, manager, general_inbox, billing_inbox):
    TicketFactory(inbox=billing_inbox, status="new")
    TicketFactory(inbox=general_inbox, status="solved", solved_at=timezone.now())
    client.force_login(manager)

    response = client.get(reverse("home"))

    overview = dict(response.context["tickets_panel"]["overview"])
    assert overview[billing_inbox] == {"open": 1, "unassigned": 1, "created": 1, "solved": 0}
    assert overview[general_inbox]["solved"] == 1


def test_editor_home_has_no_ticket_panel(client, editor):
    client.force_login(editor)

    assert client.get(reverse("home")).context["tickets_panel"] is None


def test_home_query_count_is_bounded(
    client, general_agent, general_inbox, django_assert_max_num_queries
):
    for _ in range(20):
        TicketFactory(inbox=general_inbox, status="open", assignee=general_agent)
    client.force_login(general_agent)

    with django_assert_max_num_queries(12):
        client.get(reverse("home"))
