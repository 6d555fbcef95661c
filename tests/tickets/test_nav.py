from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse
from django_htmx.middleware import HtmxDetails

from tests.factories import InboxFactory, TicketFactory
from tickets.nav import sidebar
from tickets.templatetags.nav_tags import tickets_nav


@pytest.fixture
def tickets(general_inbox, billing_inbox, general_agent):
    TicketFactory(inbox=general_inbox, status="open", assignee=general_agent)
    TicketFactory(inbox=general_inbox, status="new")
    TicketFactory(inbox=general_inbox, status="pending")
    TicketFactory(inbox=general_inbox, status="solved")
    TicketFactory(inbox=general_inbox, status="closed")
    for _ in range(7):
        TicketFactory(inbox=billing_inbox, status="new")


def counts(response, slug):
    nav = response.context["nav"]
    section = next(s for s in nav["sections"] if s["inbox"].slug == slug)
    return {link.label: link.count for link in section["links"]}


def test_agent_sees_counts_of_their_inbox_only(client, general_agent, tickets):
    client.force_login(general_agent)

    response = client.get(reverse("tickets:nav"))

    assert counts(response, "general") == {
        "Mine": 1, "Unassigned": 2, "Open": 2, "Pending": 1, "Solved": 1,
    }  # fmt: skip
    assert [s["inbox"].slug for s in response.context["nav"]["sections"]] == ["general"]
    assert "Billing" not in response.text


def test_manager_sees_every_inbox_without_mine(client, manager, tickets):
    client.force_login(manager)

    response = client.get(reverse("tickets:nav"))

    assert counts(response, "billing") == {"Unassigned": 7, "Open": 7, "Pending": 0, "Solved": 0}


def test_counts_are_one_query(general_agent, tickets, rf, django_assert_num_queries):
    from tickets.nav import sidebar

    request = rf.get("/")
    request.user = general_agent
    request.htmx = False
    general_agent._role_names = frozenset({"Agent"})

    with django_assert_num_queries(2):  # the visible inboxes, then every count
        sidebar(request)


def test_sidebar_is_in_the_frame_and_refreshes_itself(client, general_agent, tickets):
    client.force_login(general_agent)

    response = client.get(reverse("home"))

    assert 'id="tickets-nav"' in response.text
    assert (
        'hx-trigger="every 60s, tickets-changed from:body, ticketChanged from:body"'
        in response.text
    )
    assert "/tickets/inbox/general/?view=unassigned" in response.text
    assert 'href="/tickets/new/"' in response.text


def test_current_view_is_marked(client, general_agent, tickets):
    client.force_login(general_agent)

    response = client.get("/tickets/inbox/general/?view=pending")

    assert 'href="/tickets/inbox/general/?view=pending" aria-current="page"' in response.text


def test_htmx_refresh_keeps_the_current_view(client, general_agent, tickets):
    client.force_login(general_agent)

    response = client.get(
        reverse("tickets:nav"),
        headers={
            "HX-Request": "true",
            "HX-Current-URL": "http://testserver/tickets/inbox/general/?view=mine",
        },
    )

    assert 'href="/tickets/inbox/general/?view=mine" aria-current="page"' in response.text


def test_editor_has_no_ticket_sidebar(client, editor):
    client.force_login(editor)

    assert 'id="tickets-nav"' not in client.get(reverse("home")).text
    assert client.get(reverse("tickets:nav")).status_code == 403


def test_nav_is_get_only(client, general_agent):
    client.force_login(general_agent)

    assert client.post(reverse("tickets:nav")).status_code == 405


def test_all_tickets_opens_every_status_and_is_marked_there_only(client, general_agent, tickets):
    client.force_login(general_agent)

    home = client.get(reverse("home"))
    all_url = home.context["nav"]["all_url"]
    listed = client.get(all_url)

    assert listed.context["view_label"] == "All"
    assert len(listed.context["page"].rows) == 5  # new, open, pending, solved, closed
    assert listed.context["nav"]["all_current"] is True
    assert client.get(reverse("tickets:queue")).context["nav"]["all_current"] is False


# == The sidebar printed in Python (tickets/templatetags/nav_tags.py) ==

# What tickets/_nav.html was as a template loop, kept to hold the printer to it.
TEMPLATE_LOOP = (Path(__file__).parent / "nav_template_loop.html").read_text()

HOSTILE = "<script>alert('x')</script> & \"co\""


@pytest.mark.parametrize("who", ["general_agent", "manager"])
def test_the_printed_sidebar_is_the_template_loop_s_html(client, request, who, tickets):
    InboxFactory(slug="hostile", name=HOSTILE)
    user = request.getfixturevalue(who)
    client.force_login(user)
    client.get(reverse("tickets:inbox_queue", args=["general"]) + "?view=open")
    req = RequestFactory().get(reverse("tickets:inbox_queue", args=["general"]) + "?view=open")
    req.user, req.htmx = user, HtmxDetails(req)
    nav = sidebar(req)

    printed = str(tickets_nav(nav))

    assert printed == Template(TEMPLATE_LOOP).render(Context({"nav": nav}))
    assert 'aria-current="page">Open' in printed
    if who == "manager":
        assert "&lt;script&gt;" in printed and "<script>" not in printed
    assert str(tickets_nav({})) == Template(TEMPLATE_LOOP).render(Context({"nav": {}}))
