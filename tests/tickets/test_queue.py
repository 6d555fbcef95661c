from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import CustomerFactory, IssueCategoryFactory, TicketFactory, UserFactory
from tickets.models import Ticket

QUEUE = reverse("tickets:queue")


def ticket_in(inbox, **kwargs):
    return TicketFactory(inbox=inbox, **kwargs)


@pytest.fixture
def both(general_inbox, billing_inbox):
    general = ticket_in(general_inbox, subject="Video stuck at 90 percent", preview="It stops")
    billing = ticket_in(billing_inbox, subject="Charged twice for Pro")
    return general, billing


def test_agent_sees_rows_of_their_inboxes_only(client, general_agent, both):
    general, billing = both
    client.force_login(general_agent)

    response = client.get(QUEUE)

    assert response.status_code == 200
    assert general.subject in response.text
    assert "It stops" in response.text
    assert billing.subject not in response.text
    assert f'data-row-link="/tickets/{general.pk}/"' in response.text


def test_manager_sees_both_inboxes_and_billing_is_tagged(client, manager, both):
    general, billing = both
    client.force_login(manager)

    response = client.get(QUEUE)

    assert general.subject in response.text and billing.subject in response.text
    assert 'class="tag tag-billing billing">Billing<' in response.text


def test_htmx_table_request_gets_only_the_table(client, general_agent, both):
    client.force_login(general_agent)

    response = client.get(QUEUE, headers={"HX-Request": "true", "HX-Target": "ticket-table"})

    assert response.text.lstrip().startswith('<div id="ticket-table"')
    assert "<html" not in response.text
    assert both[0].subject in response.text


def test_plain_request_gets_the_whole_page(client, general_agent, both):
    client.force_login(general_agent)

    response = client.get(QUEUE)

    assert "<html" in response.text
    assert 'id="ticket-table"' in response.text
    assert 'hx-push-url="true"' in response.text


def test_post_is_not_allowed(client, general_agent):
    client.force_login(general_agent)

    assert client.post(QUEUE).status_code == 405


@pytest.mark.parametrize("role_fixture", ["editor"])
def test_editors_are_refused(client, request, role_fixture):
    client.force_login(request.getfixturevalue(role_fixture))

    assert client.get(QUEUE).status_code == 403


@pytest.mark.django_db
def test_user_without_role_is_refused(client):
    client.force_login(UserFactory())

    assert client.get(QUEUE).status_code == 403


def test_views(client, general_agent, general_inbox):
    mine = ticket_in(general_inbox, subject="Mine one", status="open", assignee=general_agent)
    unassigned = ticket_in(general_inbox, subject="Nobody's", status="new")
    pending = ticket_in(general_inbox, subject="Waiting on them", status="pending")
    solved = ticket_in(general_inbox, subject="Done and dusted", status="solved")
    client.force_login(general_agent)

    def subjects(view):
        return {t.subject for t in client.get(QUEUE, {"view": view}).context["page"].rows}

    assert subjects("mine") == {mine.subject}
    assert subjects("unassigned") == {unassigned.subject, pending.subject}
    assert subjects("open") == {mine.subject, unassigned.subject}
    assert subjects("pending") == {pending.subject}
    assert subjects("solved") == {solved.subject}
    assert len(subjects("all")) == 4


def test_filters(client, general_agent, general_inbox):
    category = IssueCategoryFactory(slug="billing-questions")
    customer = CustomerFactory(email="Pat@Example.com")
    wanted = ticket_in(
        general_inbox, status="open", priority=4, category=category, customer=customer,
        assignee=general_agent,
    )  # fmt: skip
    ticket_in(general_inbox, status="open")
    client.force_login(general_agent)

    for params in (
        {"priority": 4},
        {"category": "billing-questions"},
        {"customer": "pat@example.com"},
        {"assignee": general_agent.pk},
        {"status": "open", "assignee": general_agent.pk},
    ):
        rows = client.get(QUEUE, {"view": "all", **params}).context["page"].rows
        assert rows == [wanted], params
    rows = client.get(QUEUE, {"view": "all", "assignee": "none"}).context["page"].rows
    assert wanted not in rows and len(rows) == 1


def test_date_filters_include_both_days(client, general_agent, general_inbox):
    now = timezone.now()
    old = ticket_in(general_inbox, created_at=now - timedelta(days=10))
    new = ticket_in(general_inbox, created_at=now)
    client.force_login(general_agent)
    today = timezone.localdate().isoformat()

    rows = client.get(QUEUE, {"view": "all", "created_after": today}).context["page"].rows
    assert rows == [new]
    rows = client.get(QUEUE, {"view": "all", "created_before": today}).context["page"].rows
    assert set(rows) == {old, new}


def test_bad_filter_is_reported_and_the_rest_applies(client, general_agent, general_inbox):
    urgent = ticket_in(general_inbox, priority=4)
    ticket_in(general_inbox, priority=1)
    client.force_login(general_agent)

    response = client.get(QUEUE, {"priority": "4", "created_after": "not-a-date"})

    assert response.context["page"].rows == [urgent]
    assert "Some filters were not applied" in response.text
    assert 'value="not-a-date"' in response.text  # what was typed is kept


def test_active_filter_shows_as_removable_chip(client, general_agent, general_inbox):
    client.force_login(general_agent)

    response = client.get(QUEUE, {"view": "all", "priority": "4"})

    chips = response.context["chips"]
    assert [(name, shown) for name, _label, shown, _url in chips] == [("priority", "Urgent")]
    assert "priority=" not in chips[0][3]
    assert "view=all" in chips[0][3]


def test_empty_state_says_why(client, general_agent, general_inbox):
    client.force_login(general_agent)

    response = client.get(reverse("tickets:inbox_queue", args=["general"]), {"view": "unassigned"})

    assert "Nothing unassigned in General support." in response.text


def test_sort_by_priority(client, general_agent, general_inbox):
    low = ticket_in(general_inbox, priority=1, status="open")
    urgent = ticket_in(general_inbox, priority=4, status="open")
    client.force_login(general_agent)

    rows = client.get(QUEUE, {"sort": "priority"}).context["page"].rows

    assert rows == [urgent, low]


def test_sort_by_waiting_longest(client, general_agent, general_inbox):
    now = timezone.now()
    recent = ticket_in(general_inbox, last_customer_message_at=now - timedelta(hours=1))
    oldest = ticket_in(general_inbox, last_customer_message_at=now - timedelta(days=3))
    client.force_login(general_agent)

    response = client.get(QUEUE, {"sort": "-waiting"})

    assert response.context["page"].rows == [oldest, recent]
    assert "waiting 3 d" in response.text


@pytest.mark.parametrize("rows", [10, 50])
def test_query_count_does_not_grow_with_rows(
    client, general_agent, general_inbox, django_assert_max_num_queries, rows
):
    category = IssueCategoryFactory()
    for _ in range(rows):
        ticket_in(general_inbox, status="open", assignee=general_agent, category=category)
    client.force_login(general_agent)

    with django_assert_max_num_queries(12):
        response = client.get(QUEUE)

    assert len(response.context["page"].rows) == rows


def test_ticket_numbers_link_to_the_ticket_page(general_inbox):
    ticket = ticket_in(general_inbox)

    assert ticket.get_absolute_url() == f"/tickets/{ticket.pk}/"
    assert Ticket.objects.get(pk=ticket.pk).number == f"#{ticket.pk}"


def test_assignee_who_left_the_inbox_still_shows(client, general_agent, general_inbox):
    former = UserFactory(first_name="Formerly", last_name="Here")
    ticket_in(general_inbox, status="open", assignee=former)
    client.force_login(general_agent)

    response = client.get(QUEUE)

    assert "Formerly Here" in response.text
    assert response.context["page"].rows[0].assignee == former


def test_inbox_queue_of_another_inbox_is_404(client, general_agent, billing_inbox):
    client.force_login(general_agent)

    response = client.get(reverse("tickets:inbox_queue", args=["billing"]))

    assert response.status_code == 404


def test_inbox_queue_shows_only_that_inbox(client, manager, both):
    general, billing = both
    client.force_login(manager)

    response = client.get(reverse("tickets:inbox_queue", args=["billing"]))

    assert response.context["page"].rows == [billing]
    assert "inbox-title billing" in response.text


def test_article_and_resolved_by_filters(client, general_agent, general_inbox):
    from tests.factories import ArticleFactory
    from tickets.resolution import link_article, solve_ticket

    article = ArticleFactory()
    linked = ticket_in(general_inbox, status="open")
    resolved = ticket_in(general_inbox, status="open")
    ticket_in(general_inbox, status="open")
    link_article(linked, article=article, by=general_agent)
    link = link_article(resolved, article=article, by=general_agent)
    solve_ticket(resolved, kind="article", links=[link], by=general_agent)
    client.force_login(general_agent)

    by_link = client.get(QUEUE, {"view": "all", "article": article.pk}).context["page"].rows
    by_resolution = client.get(QUEUE, {"view": "all", "resolved_by": article.pk})

    assert set(by_link) == {linked, resolved}
    assert by_resolution.context["page"].rows == [resolved]
    assert "Resolved by" in by_resolution.text


def test_managers_read_the_queue_without_bulk_controls(client, manager, both):
    client.force_login(manager)

    response = client.get(QUEUE)

    assert both[0].subject in response.text
    assert 'id="bulk-form"' not in response.text
    assert 'name="tickets"' not in response.text
    assert 'href="/tickets/new/"' not in response.text


def test_agents_get_bulk_controls(client, general_agent, both):
    client.force_login(general_agent)

    response = client.get(QUEUE)

    assert 'id="bulk-form"' in response.text
    assert f'name="tickets" value="{both[0].pk}" form="bulk-form"' in response.text
