"""The report's split by tag, on the page and as CSV, within the viewer's inboxes."""

import csv
import io
from datetime import timedelta

import pytest
from django.utils import timezone

from tests.factories import ArticleFactory, TicketFactory
from tickets.resolution import link_article, reopen_ticket, solve_ticket
from tickets.tags.services import add_tags

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(general_inbox, billing_inbox, general_agent, billing_agent):
    """general: vip ×2 (one solved by an article, one a content gap then reopened),
    refund ×1 open; billing: secret-tag ×1 solved."""
    article = ArticleFactory()
    earlier = timezone.now() - timedelta(days=3)
    a, b, c = (TicketFactory(inbox=general_inbox, status="open", created_at=earlier)
               for _ in range(3))  # fmt: skip
    add_tags(a, names=["vip"], by=general_agent)
    add_tags(b, names=["vip"], by=general_agent)
    add_tags(c, names=["refund"], by=general_agent)
    link = link_article(a, article=article, by=general_agent)
    solve_ticket(a, kind="article", links=[link], by=general_agent)
    solve_ticket(b, kind="no_article", note="told them", by=general_agent)
    reopen_ticket(b, by=general_agent)
    d = TicketFactory(inbox=billing_inbox, status="open", created_at=earlier)
    add_tags(d, names=["secret-tag"], by=billing_agent)
    solve_ticket(d, kind="no_article", note="x", by=billing_agent)


def csv_rows(client) -> list[list[str]]:
    response = client.get("/tickets/reports/tags.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="report-tags-')
    return list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))


def test_the_csv_splits_by_tag(client, manager, world):
    client.force_login(manager)

    table = csv_rows(client)

    assert table[0][:8] == [
        "tag", "created", "solved", "solved by an article",
        "share by article", "content gaps", "reopened", "reopen rate",
    ]  # fmt: skip
    by_tag = {row[0]: row[1:8] for row in table[1:]}
    assert by_tag["vip"] == ["2", "2", "1", "0.5000", "1", "1", "0.5000"]
    assert by_tag["refund"] == ["1", "0", "0", "", "0", "0", ""]
    assert by_tag["secret-tag"][:2] == ["1", "1"]


def test_the_page_shows_the_tag_table(client, manager, world):
    client.force_login(manager)

    page = client.get("/tickets/reports/").text

    assert 'data-table="tags"' in page and '<tr data-tag="vip">' in page
    assert "/tickets/?tag=vip&amp;view=all" in page


def test_an_agent_sees_only_their_inboxes_tags(client, general_agent, world):
    client.force_login(general_agent)

    page = client.get("/tickets/reports/").text
    table = csv_rows(client)

    assert "secret-tag" not in page
    assert "secret-tag" not in {row[0] for row in table}
    assert "vip" in {row[0] for row in table}
