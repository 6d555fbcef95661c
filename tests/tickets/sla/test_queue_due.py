"""The queue's SLA parts: due badges, ``?sort=due`` with keyset pages, and the
"Breaching soon" view."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import TicketFactory
from tickets.models import Ticket

QUEUE = reverse("tickets:queue")
pytestmark = pytest.mark.django_db


def in_minutes(minutes: int | None):
    return None if minutes is None else timezone.now() + timedelta(minutes=minutes)


@pytest.fixture
def dues(general_inbox, billing_inbox):
    """General tickets overdue, due soon, due later and with nothing due; one
    billing ticket overdue (a general agent must never see it)."""
    return {
        "overdue": TicketFactory(inbox=general_inbox, status="open", subject="Overdue one",
                                 sla_due_at=in_minutes(-130)),
        "soon": TicketFactory(inbox=general_inbox, status="new", subject="Soon one",
                              sla_due_at=in_minutes(35)),
        "later": TicketFactory(inbox=general_inbox, status="open", subject="Later one",
                               sla_due_at=in_minutes(5 * 60)),
        "none": TicketFactory(inbox=general_inbox, status="open", subject="Nothing due"),
        "billing": TicketFactory(inbox=billing_inbox, status="open", subject="Billing late",
                                 sla_due_at=in_minutes(-10)),
    }  # fmt: skip


def test_sort_by_due_puts_the_most_urgent_first_and_nothing_due_last(client, general_agent, dues):
    client.force_login(general_agent)

    response = client.get(QUEUE, {"sort": "due"})

    rows = [t.pk for t in response.context["page"].rows]
    assert rows == [dues[k].pk for k in ("overdue", "soon", "later", "none")]


def test_badges_say_overdue_and_due_in_words(client, general_agent, dues):
    client.force_login(general_agent)

    text = client.get(QUEUE, {"sort": "due"}).text

    assert '<th scope="col" class="due">Due</th>' in text
    assert 'class="tag sla-overdue"' in text and ">Overdue 2 h</span>" in text
    assert 'class="tag sla-soon"' in text and ">Due in 3" in text  # 34 or 35 min
    assert ">Due in 4 h</span>" in text or ">Due in 5 h</span>" in text


def test_breaching_view_lists_overdue_and_due_within_the_hour_of_my_inboxes(
    client, general_agent, dues
):
    client.force_login(general_agent)

    response = client.get(QUEUE, {"view": "breaching"})

    assert response.status_code == 200
    assert [t.pk for t in response.context["page"].rows] == [dues["overdue"].pk, dues["soon"].pk]
    assert "Billing late" not in response.text
    assert response.context["filters"].sort == "due"


def test_breaching_view_in_an_inbox_and_as_htmx(client, manager, dues):
    client.force_login(manager)

    response = client.get(
        reverse("tickets:inbox_queue", args=["billing"]),
        {"view": "breaching"},
        headers={"HX-Request": "true", "HX-Target": "ticket-table"},
    )

    assert response.text.lstrip().startswith('<div id="ticket-table"')
    assert [t.pk for t in response.context["page"].rows] == [dues["billing"].pk]


def test_breaching_view_says_when_nothing_is_due(client, general_agent, general_inbox):
    client.force_login(general_agent)

    response = client.get(QUEUE, {"view": "breaching"})

    assert "Nothing due within the hour in your inboxes." in response.text


def test_pending_tickets_are_never_breaching(client, general_agent, general_inbox):
    TicketFactory(inbox=general_inbox, status="pending", sla_due_at=in_minutes(-5))
    client.force_login(general_agent)

    response = client.get(QUEUE, {"view": "breaching"})

    assert response.context["page"].rows == []


def test_the_sidebar_links_to_the_breaching_view(client, general_agent, general_inbox):
    client.force_login(general_agent)

    text = client.get(QUEUE, {"view": "breaching"}).text

    assert '<a href="/tickets/?view=breaching" aria-current="page">Breaching soon</a>' in text


def test_due_sort_pages_walk_every_ticket_once_in_order(client, general_agent, general_inbox):
    now = timezone.now()
    for i in range(120):
        # Pairs share a due time and every fifth has nothing due: id breaks the ties.
        due = None if i % 5 == 0 else now + timedelta(minutes=(i // 2) - 30)
        TicketFactory(inbox=general_inbox, status="open", sla_due_at=due)
    expected = sorted(
        Ticket.objects.values_list("sla_due_at", "pk"),
        key=lambda row: (row[0] is None, row[0] or now, row[1]),
    )
    client.force_login(general_agent)

    seen, cursor = [], None
    while True:
        params = {"sort": "due", **({"after": cursor} if cursor else {})}
        page = client.get(QUEUE, params).context["page"]
        seen += [t.pk for t in page.rows]
        cursor = page.older
        if not cursor:
            break
    back = client.get(QUEUE, {"sort": "due", "before": page.newer}).context["page"]

    assert seen == [pk for _, pk in expected]
    assert [t.pk for t in back.rows] == seen[50:100]


def test_due_sorted_queue_query_count_is_constant(
    client, general_agent, general_inbox, django_assert_max_num_queries
):
    for i in range(60):
        TicketFactory(inbox=general_inbox, status="open", sla_due_at=in_minutes(i))
    client.force_login(general_agent)

    with django_assert_max_num_queries(12):
        response = client.get(QUEUE, {"sort": "due"})

    assert len(response.context["page"].rows) == 50


def test_the_ticket_page_shows_the_due_badge(client, general_agent, dues):
    client.force_login(general_agent)

    overdue = client.get(dues["overdue"].get_absolute_url()).text
    nothing = client.get(dues["none"].get_absolute_url()).text

    assert ">Overdue 2 h</span>" in overdue and 'title="SLA due ' in overdue
    assert "sla-overdue" not in nothing and "sla-due" not in nothing
