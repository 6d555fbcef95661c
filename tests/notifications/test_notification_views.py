"""The bell (polled by htmx), the notifications page, marking read."""

import pytest
from django.urls import reverse

from tests.factories import TicketFactory
from tickets.models import Notification
from tickets.services import assign_ticket, transfer_ticket, write_note

BELL = "/notifications/bell/"
LIST = "/notifications/"


@pytest.fixture
def colleague(general_inbox):
    from supportdesk.roles import AGENT
    from tests.factories import UserFactory

    user = UserFactory(role=AGENT, username="carla")
    general_inbox.members.add(user)
    return user


@pytest.fixture
def three_unread(general_agent, colleague, general_inbox):
    tickets = TicketFactory.create_batch(3, inbox=general_inbox)
    for ticket in tickets:
        assign_ticket(ticket, assignee=general_agent, by=colleague)
    return tickets


def test_every_page_has_the_bell_without_counting(client, general_agent, three_unread):
    client.force_login(general_agent)

    html = client.get("/").content.decode()

    assert 'id="bell"' in html and 'hx-get="/notifications/bell/"' in html
    assert 'hx-trigger="load, every 30s' in html
    assert 'class="badge"' not in html  # the count comes from the poll


def test_the_bell_counts_unread(
    client, general_agent, three_unread, django_assert_max_num_queries
):
    client.force_login(general_agent)

    with django_assert_max_num_queries(4):
        response = client.get(BELL, headers={"HX-Request": "true"})

    html = response.content.decode()
    assert '<span class="badge">3<span class="visually-hidden"> unread</span>' in html
    assert 'hx-trigger="every 30s' in html  # keeps polling, no load loop


def test_the_bell_without_unread_shows_no_badge(client, general_agent):
    client.force_login(general_agent)

    assert 'class="badge"' not in client.get(BELL).content.decode()


def test_the_list_shows_mine_newest_first(client, general_agent, three_unread):
    client.force_login(general_agent)

    html = client.get(LIST).content.decode()

    positions = [html.index(t.subject) for t in reversed(three_unread)]
    assert positions == sorted(positions)
    assert "3 unread." in html


def test_open_marks_read_and_goes_to_the_ticket(client, general_agent, three_unread):
    client.force_login(general_agent)
    notification = Notification.objects.filter(recipient=general_agent).first()

    response = client.post(reverse("notifications:open", args=[notification.pk]))

    assert response.url == f"/tickets/{notification.ticket_id}/"
    notification.refresh_from_db()
    assert notification.is_read
    assert '<span class="badge">2<' in client.get(BELL).content.decode()


def test_mark_read_and_mark_all_read(client, general_agent, three_unread):
    client.force_login(general_agent)
    first = Notification.objects.filter(recipient=general_agent).first()

    response = client.post(reverse("notifications:read", args=[first.pk]))
    assert response.url == LIST
    assert Notification.objects.filter(recipient=general_agent, read_at__isnull=True).count() == 2

    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=general_agent, read_at__isnull=True).exists()
    assert "All read." in client.get(LIST).content.decode()


def test_marking_read_needs_post(client, general_agent, three_unread):
    client.force_login(general_agent)
    first = Notification.objects.filter(recipient=general_agent).first()

    assert client.get(reverse("notifications:read", args=[first.pk])).status_code == 405
    assert client.get(reverse("notifications:read_all")).status_code == 405


def test_someone_elses_notification_is_404(client, colleague, general_agent, three_unread):
    client.force_login(colleague)
    theirs = Notification.objects.filter(recipient=general_agent).first()

    assert client.post(reverse("notifications:open", args=[theirs.pk])).status_code == 404
    assert client.post(reverse("notifications:read", args=[theirs.pk])).status_code == 404
    client.post(reverse("notifications:read_all"))
    theirs.refresh_from_db()
    assert not theirs.is_read


def test_a_ticket_moved_to_billing_disappears_from_my_notifications(
    client, general_agent, colleague, general_inbox, billing_inbox, manager
):
    ticket = TicketFactory(inbox=general_inbox, subject="Refund ZQX please")
    write_note(ticket, body_text=f"@{general_agent.username} look", by=colleague)
    transfer_ticket(ticket, inbox=billing_inbox, by=manager)
    client.force_login(general_agent)

    assert "Refund ZQX" not in client.get(LIST).content.decode()
    assert 'class="badge"' not in client.get(BELL).content.decode()
    notification = Notification.objects.get(recipient=general_agent)
    assert client.post(reverse("notifications:open", args=[notification.pk])).status_code == 404


def test_editors_have_no_bell(client, editor):
    client.force_login(editor)

    assert 'id="bell"' not in client.get("/").content.decode()
    assert client.get(BELL).status_code == 403
    assert client.get(LIST).status_code == 403


def test_list_query_count_is_constant(
    client, general_agent, colleague, general_inbox, django_assert_max_num_queries
):
    for ticket in TicketFactory.create_batch(10, inbox=general_inbox):
        assign_ticket(ticket, assignee=general_agent, by=colleague)
    client.force_login(general_agent)

    with django_assert_max_num_queries(8):
        client.get(LIST)
