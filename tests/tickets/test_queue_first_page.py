"""A queue's first page with no filter but its view and sort, read by a kept
query (tickets.queues.filters.first_page): the same rows and next-page link as
the ORM's keyset page, for every view, sort, role and inbox, and each user's own."""

import random
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from supportdesk.db import kept
from supportdesk.roles import AGENT, MANAGER
from tests.factories import TicketFactory, UserFactory
from tickets.queues.filters import (
    SORTS,
    VIEWS,
    Filters,
    QueueRow,
    first_page,
    keyset_page,
    queue_rows,
    queue_tickets,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(general_inbox, billing_inbox, general_agent, billing_agent):
    rng, now = random.Random(7), timezone.now()
    for _ in range(70):
        TicketFactory(
            inbox=rng.choice([general_inbox, billing_inbox]),
            status=rng.choice(["new", "open", "pending", "solved"]),
            priority=rng.choice([1, 2, 3]),
            assignee=rng.choice([None, general_agent, billing_agent]),
            updated_at=now - timedelta(minutes=rng.randrange(0, 30)),
            sla_due_at=rng.choice([None, now + timedelta(minutes=rng.randrange(-90, 90))]),
        )
    return general_inbox, billing_inbox


def orm_page(user, inbox, filters, size):
    rows = queue_rows(queue_tickets(user=user, inbox=inbox, filters=filters))
    page = keyset_page(rows, SORTS[filters.sort], size=size)
    return [QueueRow(row) for row in page.rows], page.older


@pytest.mark.parametrize("sort", list(SORTS))
def test_every_view_and_sort_is_the_orm_s_page(world, general_agent, billing_agent, sort):
    general, billing = world
    boss = UserFactory(role=MANAGER)
    kept._kept.clear()
    for user in (general_agent, billing_agent, boss, general_agent):
        for inbox in (None, general, billing):
            for view in VIEWS:
                filters = Filters(view=view, sort=sort)
                page = first_page(user=user, inbox=inbox, filters=filters, size=7)
                rows, older = orm_page(user, inbox, filters, size=7)
                assert [r.id for r in page.rows] == [r.id for r in rows], (user, inbox, view)
                assert page.older == older and page.is_first and page.newer is None
                assert [r.tag_list for r in page.rows] == [r.tag_list for r in rows]


def test_each_agent_reads_only_their_inboxes_through_the_kept_sql(world, general_agent,
                                                                   billing_agent):  # fmt: skip
    filters = Filters(view="all")
    kept._kept.clear()
    mine = first_page(user=general_agent, inbox=None, filters=filters)
    theirs = first_page(user=billing_agent, inbox=None, filters=filters)

    assert {row.inbox_id for row in mine.rows} == {world[0].pk}
    assert {row.inbox_id for row in theirs.rows} == {world[1].pk}
    assert sum(value is not None for value in kept._kept.values()) == 1  # one SQL, two agents


def test_the_page_an_agent_opens_has_what_the_orm_shows(client, world, general_agent):
    client.force_login(general_agent)
    page = client.get(reverse("tickets:queue"), {"view": "all"}).context["page"]
    rows, older = orm_page(general_agent, None, Filters(view="all"), size=50)

    assert page.rows == rows and page.older == older
    assert all(isinstance(row.inbox.name, str) for row in page.rows)


def test_a_newcomer_with_no_inbox_sees_nothing(world):
    newcomer = UserFactory(role=AGENT)
    page = first_page(user=newcomer, inbox=None, filters=Filters(view="all"))
    assert page.rows == [] and page.older is None
