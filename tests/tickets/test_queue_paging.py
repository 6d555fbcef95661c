from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import TicketFactory
from tickets.models import Ticket
from tickets.queues.filters import SORTS, decode_cursor, encode_cursor, keyset_page

QUEUE = reverse("tickets:queue")


@pytest.fixture
def many(general_inbox):
    now = timezone.now()
    # Pairs share an updated_at, so the id must break ties.
    return [
        TicketFactory(
            inbox=general_inbox, status="open", updated_at=now - timedelta(minutes=i // 2)
        )
        for i in range(120)
    ]


def walk(client, params, key="after"):
    seen, pages, cursor = [], 0, None
    while True:
        response = client.get(QUEUE, {**params, **({key: cursor} if cursor else {})})
        page = response.context["page"]
        seen += [t.pk for t in page.rows]
        pages += 1
        cursor = page.older if key == "after" else page.newer
        if not cursor:
            return seen, pages


@pytest.mark.parametrize("sort", list(SORTS))
def test_older_links_walk_every_ticket_once_in_order(client, general_agent, many, sort):
    client.force_login(general_agent)
    expected = list(
        Ticket.objects.filter(pk__in=[t.pk for t in many])
        .annotate(**_waiting())
        .order_by(*SORTS[sort].order_by())
        .values_list("pk", flat=True)
    )

    seen, pages = walk(client, {"sort": sort})

    assert seen == expected
    assert pages == 3


def _waiting():
    from django.db.models import Value
    from django.db.models.functions import Coalesce

    from tickets.sla import NOTHING_DUE

    return {
        "waiting_since": Coalesce("last_customer_message_at", "created_at"),
        "due_at": Coalesce("sla_due_at", Value(NOTHING_DUE)),
    }


def test_newer_link_goes_back_to_the_previous_page(client, general_agent, many):
    client.force_login(general_agent)
    first = client.get(QUEUE).context["page"]
    second = client.get(QUEUE, {"after": first.older}).context["page"]

    back = client.get(QUEUE, {"before": second.newer}).context["page"]

    assert [t.pk for t in back.rows] == [t.pk for t in first.rows]
    assert back.newer is None and back.is_first


def test_pager_links_keep_the_filters(client, general_agent, many):
    client.force_login(general_agent)

    response = client.get(QUEUE, {"view": "open", "priority": "2"})

    older = response.context["page"].older
    assert (
        f"view=open&amp;priority=2&amp;after={older}".replace(":", "%3A").replace("+", "%2B")
        in response.text
    )


def test_a_bad_cursor_shows_the_first_page(client, general_agent, many):
    client.force_login(general_agent)

    response = client.get(QUEUE, {"after": "yesterday_12"})

    assert response.status_code == 200
    assert len(response.context["page"].rows) == 50
    assert response.context["page"].is_first


def test_cursor_round_trip(general_inbox):
    ticket = TicketFactory(inbox=general_inbox, priority=3)
    sort = SORTS["priority"]

    assert decode_cursor(encode_cursor(ticket, sort), sort) == [3, ticket.updated_at, ticket.pk]
    assert decode_cursor("3_2026-01-01T00:00:00_7", sort) is None  # naive time refused


def test_keyset_page_size(general_inbox, many):
    page = keyset_page(Ticket.objects.all(), SORTS["-updated"], size=7)

    assert len(page.rows) == 7 and page.older and page.newer is None
