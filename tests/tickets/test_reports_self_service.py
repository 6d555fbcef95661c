"""The customers' side of the report (issue 14): deflections, the self-service
score, helpful votes and satisfaction per article revision, agent and inbox."""

import csv
import io

import pytest
from django.test import Client

from articles.models import ArticleFeedback
from tests.tickets.reports_world import D, build_world, period_query
from tickets.portal.services import rate_resolution


@pytest.fixture
def world(general_inbox, billing_inbox):
    world = build_world(general_inbox, billing_inbox)
    a2_r1 = world.a2.published_revision

    def feedback(article, revision, helpful, source="article", days_ago=1):
        row = ArticleFeedback.objects.create(
            article=article, revision=revision, helpful=helpful, source=source
        )
        ArticleFeedback.objects.filter(pk=row.pk).update(created_at=D(days_ago))

    for _ in range(3):
        feedback(world.a2, a2_r1, True, "contact")
    feedback(world.a2, a2_r1, True, "contact", days_ago=40)  # before the period
    feedback(world.a2, a2_r1, True)
    feedback(world.a2, a2_r1, True)
    feedback(world.a2, a2_r1, False)
    feedback(world.a1, world.r2, False)
    t = world.tickets
    rate_resolution(t["T3"].resolutions.get(), rating="good")
    rate_resolution(t["T4"].resolutions.get(), rating="bad", comment="Still stuck")
    rate_resolution(t["B1"].resolutions.get(), rating="good")
    return world


def as_user(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def csv_rows(client: Client, table: str) -> list[list[str]]:
    response = client.get(f"/tickets/reports/{table}.csv?{period_query()}")
    assert response.status_code == 200
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_figures_a_manager_sees(world, manager):
    client = as_user(manager)
    table = {row[0]: row[1] for row in csv_rows(client, "self-service")[1:]}

    assert table["Deflections (contact form: this solved it)"] == "3"
    assert table["Tickets created"] == "11"
    assert table["Self-service score (deflections / tickets)"] == "0.2727"
    assert (table["Helpful votes: yes"], table["Helpful votes: no"]) == ("2", "2")
    assert (table["Rated good"], table["Rated bad"]) == ("2", "1")
    assert table["Satisfaction (good / rated)"] == "0.6667"
    assert table["Bad ratings waiting for a second look"] == "1"


def test_per_article_revision(world, manager):
    rows = csv_rows(as_user(manager), "help-articles")

    assert rows[0][:5] == ["category", "article id", "article", "revision", "deflections"]
    assert rows[1:] == [
        ["Video", str(world.a2.pk), "Video stuck at 90%", "1", "3", "2", "1", "0.6667", "1",
         "1", "0.5000"],
        ["Login", str(world.a1.pk), "Reset your password", "2", "0", "0", "1", "0.0000", "0",
         "0", ""],
        ["Charges", str(world.a3.pk), "Refunds", "1", "0", "0", "0", "", "1", "0", "1.0000"],
    ]  # fmt: skip


def test_per_category_agent_and_inbox(world, manager):
    client = as_user(manager)

    assert csv_rows(client, "help-categories")[1:] == [
        ["Video", "3", "2", "1"], ["Charges", "0", "0", "0"], ["Login", "0", "0", "1"],
    ]  # fmt: skip
    assert csv_rows(client, "satisfaction")[1:] == [
        ["agent", "Gina General", "1", "1", "0.5000"],
        ["agent", "Bill Billing", "1", "0", "1.0000"],
        ["inbox", "Billing", "1", "0", "1.0000"],
        ["inbox", "General support", "1", "1", "0.5000"],
    ]


def test_an_agent_sees_the_ratings_of_their_inboxes_only(world):
    client = as_user(world.gina)

    assert csv_rows(client, "satisfaction")[1:] == [
        ["agent", "Gina General", "1", "1", "0.5000"],
        ["inbox", "General support", "1", "1", "0.5000"],
    ]
    page = client.get(f"/tickets/reports/?{period_query()}").text
    assert "The customers' side" in page and "Bill Billing" not in page


def test_the_page_shows_the_customers_side(world, manager):
    page = as_user(manager).get(f"/tickets/reports/?{period_query()}").text

    assert 'data-figure="deflections">3<' in page
    assert 'data-figure="score">27.3%<' in page
    assert "Video stuck at 90%" in page


def test_the_page_keeps_its_query_ceiling_with_ratings(
    world, manager, django_assert_max_num_queries
):
    from tests.tickets.test_reports_view import QUERY_CEILING

    client = as_user(manager)
    with django_assert_max_num_queries(QUERY_CEILING):
        assert client.get(f"/tickets/reports/?{period_query()}").status_code == 200
