"""CSV export of every report table: streamed, same filters, same visibility."""

import csv
import io

import pytest
from django.test import Client

from supportdesk.roles import EDITOR
from tests.factories import UserFactory
from tests.tickets.reports_world import build_world, period_query

TABLES = ["headline", "weekly", "matrix", "articles", "gaps", "agents", "inboxes"]


@pytest.fixture
def world(general_inbox, billing_inbox):
    return build_world(general_inbox, billing_inbox)


def rows(client: Client, table: str, query: str = "") -> list[list[str]]:
    response = client.get(f"/tickets/reports/{table}.csv?{period_query()}{query}")
    assert response.status_code == 200, response
    assert response.streaming
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="report-{table}-')
    text = b"".join(response.streaming_content).decode()
    return list(csv.reader(io.StringIO(text)))


@pytest.fixture
def manager_client(manager) -> Client:
    client = Client()
    client.force_login(manager)
    return client


def test_headline_csv(world, manager_client):
    table = {row[0]: row[1:] for row in rows(manager_client, "headline")}

    assert table["Tickets created"] == ["11", "2", "tickets"]
    assert table["Solved"] == ["8", "2", "tickets"]
    assert table["Hold rate"] == ["0.8000", "1.0000", "share (0-1)"]
    assert table["Resolution time, median"] == ["16200", "10800", "seconds"]  # 4.5 h, 3 h
    assert table["Moved between inboxes"] == ["2", "0", "tickets"]


def test_matrix_csv(world, manager_client):
    table = rows(manager_client, "matrix")

    assert table == [
        ["category", "article id", "article", "resolved", "category solved", "rate"],
        ["Login", str(world.a1.pk), "Reset your password", "2", "3", "0.6667"],
        ["Video", str(world.a2.pk), "Video stuck at 90%", "2", "3", "0.6667"],
        ["Charges", str(world.a3.pk), "Refunds", "1", "2", "0.5000"],
    ]


def test_articles_csv_has_revision_rows(world, manager_client):
    table = rows(manager_client, "articles")

    a1 = [row for row in table if row[1] == "Reset your password"]
    assert [row[2:9] for row in a1] == [
        ["all", "3", "2", "2", "1", "1", "0.6667"],
        ["1", "2", "2", "2", "1", "1", "1.0000"],
        ["2", "1", "0", "0", "0", "0", "0.0000"],
    ]


def test_gaps_agents_weekly_inboxes(world, manager_client):
    gaps = rows(manager_client, "gaps")
    agents = rows(manager_client, "agents")
    weekly = rows(manager_client, "weekly")
    inboxes = {row[0]: row[1:] for row in rows(manager_client, "inboxes")}

    assert gaps[1:] == [
        ["Login", "1", "T2: help with login"],
        ["Video", "1", "T5: help with video"],
        ["Charges", "1", "Charged twice ZQX-2"],
    ]
    assert [row[:3] for row in agents[1:]] == [
        ["Gina General", "6", "4"],
        ["Bill Billing", "2", "1"],
    ]
    assert sum(int(row[1]) for row in weekly[1:]) == 11
    assert sum(int(row[2]) for row in weekly[1:]) == 8
    assert inboxes["measure"] == ["General support", "Billing"]
    assert inboxes["Tickets created"] == ["8", "3"]


def test_filters_apply_to_csv(world, manager_client):
    table = {row[0]: row[1] for row in rows(manager_client, "headline", "&category=video")}

    assert table["Tickets created"] == "4"


@pytest.mark.parametrize("table", TABLES)
def test_general_agent_csv_has_no_billing(world, table):
    client = Client()
    client.force_login(world.gina)

    text = "\n".join(",".join(row) for row in rows(client, table))

    assert "ZQX" not in text and "Refunds" not in text and "Bill Billing" not in text


def test_unknown_table_is_404(manager_client):
    assert manager_client.get("/tickets/reports/secrets.csv").status_code == 404


def test_bad_filters_are_400_with_the_reason(manager_client):
    response = manager_client.get("/tickets/reports/headline.csv?period=custom&start=nope")

    assert response.status_code == 400
    assert "Enter a valid date" in response.content.decode()


def test_editor_is_refused(db):
    client = Client()
    client.force_login(UserFactory(role=EDITOR))

    assert client.get("/tickets/reports/headline.csv").status_code == 403


def test_post_is_not_allowed(manager_client):
    assert manager_client.post("/tickets/reports/headline.csv").status_code == 405


def test_a_formula_in_a_subject_is_text_in_the_export(world, manager_client):
    from tickets.models import Ticket

    Ticket.objects.filter(subject="T2: help with login").update(
        subject='=HYPERLINK("http://evil.example","click")'
    )
    Ticket.objects.filter(subject="T5: help with video").update(subject="@SUM(1+1)")

    gaps = {row[0]: row[2] for row in rows(manager_client, "gaps")[1:]}

    assert gaps["Login"] == '\'=HYPERLINK("http://evil.example","click")'
    assert gaps["Video"] == "'@SUM(1+1)"
