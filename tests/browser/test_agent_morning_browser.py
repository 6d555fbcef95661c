"""Issue 15's morning, worked in a browser as one agent would: the SLA-sorted
queue, a macro reply with placeholders and an article, the bell on a customer's
reply, a merge and a bulk solve."""

from datetime import time, timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from supportdesk.roles import AGENT
from tests.browser.test_ticket_browser import sign_in
from tests.factories import (
    ArticleFactory,
    CustomerFactory,
    InboxFactory,
    MessageFactory,
    TicketFactory,
    UserFactory,
)
from tickets.models import ArticleLink, BusinessHours, Macro, SlaPolicy, Ticket, TicketMerge
from tickets.services import add_customer_message
from tickets.sla.clock import refresh_inbox

pytestmark = pytest.mark.browser


@pytest.fixture
def morning(transactional_db):
    inbox = InboxFactory(slug="general", name="General support")
    ana = UserFactory(username="ana", first_name="Ana", role=AGENT)
    inbox.members.add(ana)
    # Round the clock, so the test means the same at any hour: urgent answers in
    # 30 minutes, normal ones in 8 hours.
    BusinessHours.objects.create(inbox=inbox, days="0123456", start=time(0), end=time(0))
    SlaPolicy.objects.create(inbox=inbox, priority=4, first_response_minutes=30)
    SlaPolicy.objects.create(inbox=inbox, priority=2, first_response_minutes=480)
    now = timezone.now()
    ada = CustomerFactory(name="Ada Lovelace", email="ada@customer.example")
    lee = CustomerFactory(name="Lee Park", email="lee@customer.example")

    def ticket(subject, *, customer=lee, priority=2, minutes_ago=60, **fields):
        made = TicketFactory(
            inbox=inbox, customer=customer, subject=subject, status="open", priority=priority,
            created_at=now - timedelta(minutes=minutes_ago), **fields,
        )  # fmt: skip
        MessageFactory(ticket=made, body_text=f"{subject}, says the customer.")
        return made

    tickets = {
        "normal": ticket("Gallery is empty", minutes_ago=5),
        "urgent": ticket(
            "Pro models locked after upgrade", customer=ada, priority=4, minutes_ago=10
        ),
        "assigned": ticket("Video stuck at 90%", assignee=ana, minutes_ago=90),
        "duplicate": ticket("Video still stuck", assignee=ana, minutes_ago=20),
        "spam 1": ticket("WIN A PRIZE", minutes_ago=300),
        "spam 2": ticket("Cheap followers", minutes_ago=301),
    }
    refresh_inbox(inbox.pk)
    article = ArticleFactory(title="Unlock Pro models", body="1. Sign out and in again.")
    Macro.objects.create(
        title="Pro unlock", inbox=inbox, article=article, status="pending",
        body="Hi {{ customer.first_name }}, about {{ ticket.number }}: try this.",
    )  # fmt: skip
    return tickets


def test_an_agents_morning(page: Page, live_server, morning, csp_violations):
    urgent, assigned, duplicate = morning["urgent"], morning["assigned"], morning["duplicate"]
    sign_in(page, live_server, "ana")

    # The SLA-sorted queue: the urgent ticket, due within the hour, comes first.
    page.goto(f"{live_server.url}/tickets/?sort=due")
    first = page.locator("tbody tr").first
    expect(first).to_contain_text("Pro models locked after upgrade")
    expect(first.locator(".sla-soon")).to_contain_text("Due in")

    # A macro with placeholders and an article, with one key from the ticket page.
    first.get_by_role("link", name=urgent.number).click()
    expect(page).to_have_url(f"{live_server.url}/tickets/{urgent.pk}/")
    page.locator("body").press("1")
    expect(page.get_by_text("Applied “Pro unlock”")).to_be_visible()
    thread = page.locator("#thread")
    expect(thread).to_contain_text(f"Hi Ada, about #{urgent.pk}: try this.")
    expect(thread).to_contain_text("Unlock Pro models · r1")
    urgent.refresh_from_db()
    assert urgent.status == Ticket.Status.PENDING and urgent.first_response_at is not None
    assert ArticleLink.objects.get(ticket=urgent).is_sent

    # The customer of a ticket of hers replies: the bell says so, and opens it.
    add_customer_message(assigned, body_text="It is still stuck at 90%.")
    page.goto(f"{live_server.url}/tickets/?sort=due")
    expect(page.locator("#bell")).to_contain_text("1 unread")
    page.locator("#bell").click()
    page.get_by_role("button", name=f"{assigned.number} Video stuck at 90%").click()
    expect(page).to_have_url(f"{live_server.url}/tickets/{assigned.pk}/")
    expect(page.locator("#thread")).to_contain_text("It is still stuck at 90%.")

    # The same customer's second ticket about it is merged into the first.
    page.goto(f"{live_server.url}/tickets/{duplicate.pk}/")
    page.get_by_role("link", name="Merge…").click()
    page.get_by_label("Merge into ticket number").fill(assigned.number)
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name=f"Merge into {assigned.number}").click()
    expect(page).to_have_url(f"{live_server.url}/tickets/{assigned.pk}/")
    expect(page.locator("#thread")).to_contain_text("Video still stuck, says the customer.")
    assert TicketMerge.objects.get(merged=duplicate).into == assigned

    # The spam goes in one bulk solve.
    page.goto(f"{live_server.url}/tickets/?view=open")
    for name in ("spam 1", "spam 2"):
        page.get_by_label(f"Tick ticket {morning[name].number}").check()
    page.get_by_text("Solve ticked…").click()
    page.get_by_label("Not applicable (spam, duplicates)").check()
    page.get_by_role("button", name="Solve ticked").click()
    expect(page.get_by_text("Updated 2 tickets.")).to_be_visible()
    spam = [morning["spam 1"].pk, morning["spam 2"].pk]
    assert Ticket.objects.filter(pk__in=spam, status="solved").count() == 2
    assert csp_violations == []
