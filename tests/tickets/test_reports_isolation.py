"""Billing figures never reach a general agent or an editor, on the page or in a CSV.

Only billing has data here: whatever an outsider gets must count zero tickets
and name no billing subject, note, article or agent.
"""

import re

import pytest
from django.test import Client

from supportdesk.roles import AGENT, EDITOR
from tests.factories import ArticleFactory, IssueCategoryFactory, TicketFactory, UserFactory
from tests.tickets.reports_world import D, period_query
from tickets.models import Tag, TicketTag
from tickets.resolution import link_article, solve_ticket

SECRETS = ["ZQX-9001", "ZQX-9002", "refunded by hand ZQX", "Refund policy ZQX", "Bill Zeta",
           "zqx-billing-tag"]  # fmt: skip
TABLES = ["headline", "weekly", "matrix", "articles", "gaps", "agents", "inboxes", "tags"]


@pytest.fixture
def billing_only(general_inbox, billing_inbox):
    bill = UserFactory(role=AGENT, first_name="Bill", last_name="Zeta")
    billing_inbox.members.add(bill)
    charge = IssueCategoryFactory(slug="charge", name="Charges")
    article = ArticleFactory(title="Refund policy ZQX", category=charge)
    sent = TicketFactory(inbox=billing_inbox, subject="Refund ZQX-9001", category=charge,
                         assignee=bill, status="open", created_at=D(6))  # fmt: skip
    link = link_article(sent, article=article, by=bill)
    solve_ticket(sent, kind="article", links=[link], by=bill, at=D(5))
    gap = TicketFactory(inbox=billing_inbox, subject="Charged ZQX-9002", category=charge,
                        assignee=bill, status="open", created_at=D(4))  # fmt: skip
    solve_ticket(gap, kind="no_article", note="refunded by hand ZQX", by=bill, at=D(3))
    for ticket in (sent, gap):  # the report's split by tag (issue 15)
        TicketTag.objects.create(
            ticket=ticket, tag=Tag.objects.get_or_create(name="zqx-billing-tag")[0]
        )


def outsiders(general_inbox) -> dict[str, Client]:
    general_agent = UserFactory(role=AGENT)
    general_inbox.members.add(general_agent)
    clients = {}
    for name, user in {"general agent": general_agent, "editor": UserFactory(role=EDITOR)}.items():
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


def body(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode()


def test_outsiders_see_zero_billing_tickets(billing_only, general_inbox, manager):
    urls = [f"/tickets/reports/?{period_query()}"] + [
        f"/tickets/reports/{t}.csv?{period_query()}" for t in TABLES
    ]
    for query in ["", "&inbox=billing", "&category=charge"]:
        for who, client in outsiders(general_inbox).items():
            for url in urls:
                response = client.get(url + query)
                text = body(response)
                leaked = [s for s in SECRETS if s in text]
                assert leaked == [], f"{who} {url}{query}: {leaked}"
                if who == "editor":
                    assert response.status_code == 403
                elif url.startswith("/tickets/reports/?") and "inbox=" not in query:
                    # Every count on the cards is zero; rates and times have nothing to show.
                    values = re.findall(r'<div class="value">(?:<a [^>]*>)?([^<]*)<', text)
                    assert values and set(values) <= {"0", "–"}, values
                elif "headline.csv" in url and "inbox=" not in query:
                    assert "Tickets created,0,0,tickets" in text and "Solved,0,0," in text

    # The manager does see them: the test would notice a report that shows nothing.
    manager_client = Client()
    manager_client.force_login(manager)
    text = body(manager_client.get(f"/tickets/reports/?{period_query()}"))
    assert "Charged ZQX-9002" in text and "Refund policy ZQX" in text
    assert "zqx-billing-tag" in text
