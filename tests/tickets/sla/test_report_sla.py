"""The SLA report: achievement and breaches by inbox, category, agent and
article, its CSV tables, and that nobody sees another inbox's SLA figures."""

import csv
import io
from datetime import time, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, CustomerFactory, IssueCategoryFactory
from tickets.models import BusinessHours, SlaPolicy, Ticket
from tickets.resolution import link_article, solve_ticket
from tickets.services import add_reply, create_ticket

pytestmark = pytest.mark.django_db
PAGE = reverse("tickets:reports_sla")


def always_open(inbox) -> None:
    """Round the clock, so targets are plain elapsed time; Normal: 1 h, 1 h, 24 h."""
    BusinessHours.objects.create(inbox=inbox, days="0123456", start=time(0), end=time(0))
    SlaPolicy.objects.create(
        inbox=inbox, priority=Ticket.Priority.NORMAL, first_response_minutes=60,
        next_response_minutes=60, resolution_minutes=24 * 60,
    )  # fmt: skip


def worked(inbox, *, by, reply_after, solve_after, priority=2, article=None, category=None):
    at = timezone.now() - timedelta(days=5)
    ticket = create_ticket(
        inbox=inbox, customer=CustomerFactory(), subject="Help", body_text="Hi", at=at
    )
    if priority != 2:
        Ticket.objects.filter(pk=ticket.pk).update(priority=priority)
    add_reply(ticket, body_text="Answer", by=by, at=at + reply_after)
    if article:
        link = link_article(ticket, article=article, by=by)
        solve_ticket(ticket, kind="article", links=[link], by=by, at=at + solve_after)
    else:
        solve_ticket(ticket, kind="no_article", note="by hand", by=by, at=at + solve_after,
                     category=category)  # fmt: skip
    return ticket


@pytest.fixture
def world(general_inbox, billing_inbox, general_agent, billing_agent):
    always_open(general_inbox)
    always_open(billing_inbox)
    login = IssueCategoryFactory(name="Login", slug="login")
    article = ArticleFactory(title="Reset your password", category=login)
    h = timedelta(hours=1)
    worked(general_inbox, by=general_agent, reply_after=h / 2, solve_after=2 * h, article=article)
    worked(general_inbox, by=general_agent, reply_after=3 * h, solve_after=48 * h, category=login)
    worked(billing_inbox, by=billing_agent, reply_after=2 * h, solve_after=3 * h)
    # No policy for Low: not counted at all.
    worked(general_inbox, by=general_agent, reply_after=9 * h, solve_after=99 * h, priority=1)
    return article


def sla_of(response):
    return response.context["sla"]


def test_manager_sees_achievement_and_breaches_of_every_inbox(client, manager, world):
    client.force_login(manager)

    response = client.get(PAGE, {"period": "30"})

    report = sla_of(response)
    assert (report.total.tickets, report.total.met) == (3, 1)
    assert (report.total.first_response, report.total.resolution) == (2, 1)
    assert report.total.achievement == pytest.approx(1 / 3)
    inboxes = {row.name: (row.tickets, row.met, row.breaches) for row in report.groups["inboxes"]}
    assert inboxes == {"General support": (2, 1, 2), "Billing": (1, 0, 1)}
    assert [(r.name, r.tickets, r.met) for r in report.groups["articles"]] == [
        ("Reset your password", 1, 1)
    ]
    categories = {row.name: row.tickets for row in report.groups["categories"]}
    assert categories["Login"] == 2
    agents = {row.name.split()[0]: row.tickets for row in report.groups["agents"]}
    assert agents == {"Gina": 2, "Bill": 1}
    assert "33.3%" in response.text and "Billing" in response.text


def test_a_general_agent_never_sees_billing_sla_figures(client, general_agent, world):
    client.force_login(general_agent)

    response = client.get(PAGE, {"period": "30", "inbox": "billing"})
    plain = client.get(PAGE, {"period": "30"})

    assert "Billing" not in plain.text.split('id="report-body"')[1]
    assert sla_of(plain).total.tickets == 2
    assert {row.name for row in sla_of(plain).groups["inboxes"]} == {"General support"}
    assert "sla" not in response.context  # billing is not a choice for them
    csv_text = b"".join(
        client.get(
            reverse("tickets:reports_sla_csv", args=["inboxes"]), {"period": "30"}
        ).streaming_content
    ).decode()
    assert "Billing" not in csv_text


def test_csv_tables_say_what_the_page_says(client, manager, world):
    client.force_login(manager)

    response = client.get(reverse("tickets:reports_sla_csv", args=["inboxes"]), {"period": "30"})

    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith('attachment; filename="sla-inboxes-')
    table = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert table[0] == [
        "inbox", "tickets with an SLA", "met", "achievement", "first response breaches",
        "next response breaches", "resolution breaches", "breaches",
    ]  # fmt: skip
    assert table[1:] == [
        ["General support", "2", "1", "0.5000", "1", "0", "1", "2"],
        ["Billing", "1", "0", "0.0000", "1", "0", "0", "1"],
    ]


@pytest.mark.parametrize("table", ["inboxes", "categories", "agents", "articles"])
def test_every_csv_table_downloads(client, manager, world, table):
    client.force_login(manager)

    response = client.get(reverse("tickets:reports_sla_csv", args=[table]), {"period": "30"})

    assert response.status_code == 200
    assert len(b"".join(response.streaming_content).decode().splitlines()) >= 2


def test_bad_filters_and_unknown_tables(client, manager, world):
    client.force_login(manager)

    bad = client.get(reverse("tickets:reports_sla_csv", args=["inboxes"]), {"period": "custom"})
    unknown = client.get(reverse("tickets:reports_sla_csv", args=["weather"]))
    page = client.get(PAGE, {"period": "custom", "start": "2026-13-01"})

    assert bad.status_code == 400 and "Fix the filters" in bad.text
    assert unknown.status_code == 404
    assert page.status_code == 200 and "These filters don" in page.text


def test_overdue_now_counts_open_tickets_past_due(client, manager, general_inbox, world):
    at = timezone.now() - timedelta(hours=3)
    create_ticket(
        inbox=general_inbox, customer=CustomerFactory(), subject="Late", body_text="?", at=at
    )
    client.force_login(manager)

    assert sla_of(client.get(PAGE, {"period": "30"})).overdue_now == 1


def test_htmx_swaps_only_the_body_with_few_queries(
    client, manager, world, django_assert_max_num_queries
):
    client.force_login(manager)

    with django_assert_max_num_queries(20):
        response = client.get(
            PAGE, {"period": "30"}, headers={"HX-Request": "true", "HX-Target": "report-body"}
        )

    assert response.text.lstrip().startswith('<div id="report-body"')


def test_agents_of_no_role_get_403(client, editor):
    client.force_login(editor)

    assert client.get(PAGE).status_code == 403


def test_the_resolution_report_links_to_the_sla_report(client, manager, world):
    client.force_login(manager)

    assert "SLA achievement and breaches" in client.get(reverse("tickets:reports")).text
