"""Issue 15's rough edges that a request shows (the browser's are in
tests/browser/test_rough_edges_browser.py): each failed before its fix."""

import csv
import io
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from supportdesk.roles import EDITOR, MANAGER
from tests.factories import IssueCategoryFactory, MessageFactory, TicketFactory, UserFactory
from tests.tickets.reports_world import period_query
from tickets.models import Message
from tickets.resolution import reopen_ticket, solve_ticket

pytestmark = pytest.mark.django_db


def test_a_filter_error_says_the_fields_label(client, general_agent):
    client.force_login(general_agent)

    response = client.get("/tickets/", {"created_after": "not-a-date"})

    assert "Created after: Enter a valid date." in response.text
    assert "Created_after" not in response.text


def test_searching_a_ticket_number_opens_the_ticket(client, general_agent, general_inbox):
    ticket = TicketFactory(inbox=general_inbox)
    client.force_login(general_agent)

    response = client.get("/search/", {"q": f"#{ticket.pk}"})

    assert response.status_code == 302 and response["Location"] == ticket.get_absolute_url()


def test_a_number_of_another_inbox_is_only_searched(client, general_agent, billing_inbox):
    hidden = TicketFactory(inbox=billing_inbox)
    client.force_login(general_agent)

    response = client.get("/search/", {"q": f"#{hidden.pk}"})

    assert response.status_code == 200 and hidden.subject not in response.text


def test_signing_out_says_so(client, general_agent):
    client.force_login(general_agent)

    response = client.post(reverse("logout"), follow=True)

    assert "You are signed out." in response.text


def test_a_favicon_is_linked_and_served(client, general_agent):
    client.force_login(general_agent)
    home = client.get("/").text
    client.logout()
    signed_out = client.get(reverse("login")).text

    icon = re.search(r'<link rel="icon" href="([^"]+)"', home).group(1)
    assert icon.startswith("/static/") and 'rel="icon"' in signed_out
    assert client.get("/favicon.ico")["Location"] == icon


@pytest.fixture
def gaps(general_inbox, general_agent):
    """#A solved as a content gap, reopened, solved as a gap again; #B a gap once."""
    category = IssueCategoryFactory(slug="exports", name="Exports")
    twice = TicketFactory(inbox=general_inbox, subject="Export fails", category=category)
    once = TicketFactory(inbox=general_inbox, subject="Export is empty", category=category)
    for ticket in (twice, once):
        MessageFactory(ticket=ticket)
    solve_ticket(twice, kind="no_article", note="Re-ran the export", by=general_agent)
    reopen_ticket(twice, by=None)
    solve_ticket(twice, kind="no_article", note="Re-ran the export", by=general_agent)
    solve_ticket(once, kind="no_article", note="Re-ran the export", by=general_agent)
    return twice, once


def staff(*role_names):
    user = UserFactory()
    user.groups.add(*(Group.objects.get_or_create(name=name)[0] for name in role_names))
    return user


def test_content_gap_examples_name_each_ticket_once(client, gaps):
    twice, once = gaps
    client.force_login(staff(MANAGER, EDITOR))

    html = unescape(client.get(f"/tickets/reports/?{period_query()}").text)
    export = client.get(f"/tickets/reports/gaps.csv?{period_query()}")
    table = list(csv.reader(io.StringIO(b"".join(export.streaming_content).decode())))

    assert html.count(f'href="/tickets/{twice.pk}/"') == 1
    assert sorted(table[1][2].split(" | ")) == ["Export fails", "Export is empty"]
    draft = re.search(r'href="(/articles/new/\?[^"]+)"', html).group(1)
    body = parse_qs(urlsplit(draft).query)["body"][0]
    assert body.count("- Export fails") == 1 and body.count("Re-ran the export") == 1


def test_managers_are_not_offered_a_draft_they_may_not_make(client, gaps):
    client.force_login(staff(MANAGER))

    html = client.get(f"/tickets/reports/?{period_query()}").text

    assert "Export fails" in html and "Draft an article" not in html


def test_managers_add_notes_but_do_not_reply(client, general_inbox, manager):
    ticket = TicketFactory(inbox=general_inbox)
    MessageFactory(ticket=ticket)
    client.force_login(manager)
    url = reverse("tickets:compose", args=[ticket.pk])
    seen = ticket.updated_at.isoformat()

    page = client.get(ticket.get_absolute_url()).text
    note = client.post(url, {"kind": "note", "body": "Call them back", "seen": seen})
    reply = client.post(url, {"kind": "reply", "body": "Hello", "seen": seen})

    assert 'name="kind" value="note"' in page and 'value="reply"' not in page
    assert note.status_code == 302
    assert ticket.messages.filter(kind=Message.Kind.NOTE, author=manager).exists()
    assert reply.status_code == 403 and not ticket.messages.filter(kind="reply").exists()


def test_managers_reassign(client, general_inbox, general_agent, manager):
    ticket = TicketFactory(inbox=general_inbox, status="open")
    client.force_login(manager)

    page = client.get(ticket.get_absolute_url()).text
    response = client.post(
        reverse("tickets:assign", args=[ticket.pk]), {"assignee": general_agent.pk}
    )

    assert f'action="/tickets/{ticket.pk}/assign/"' in page
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert ticket.assignee == general_agent
    assert ticket.events.get(kind="assignee").actor == manager


def test_reassigning_to_someone_outside_the_inbox_is_refused(
    client, general_inbox, billing_agent, manager
):
    ticket = TicketFactory(inbox=general_inbox, status="open")
    client.force_login(manager)

    client.post(reverse("tickets:assign", args=[ticket.pk]), {"assignee": billing_agent.pk})

    ticket.refresh_from_db()
    assert ticket.assignee is None
