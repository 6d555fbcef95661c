"""Issue 15 in a browser: send and solve in one step, merge two tickets, bulk solve."""

import pytest
from playwright.sync_api import Page, expect

from supportdesk.roles import AGENT
from tests.factories import (
    PASSWORD,
    CustomerFactory,
    InboxFactory,
    MessageFactory,
    TicketFactory,
    UserFactory,
)
from tickets.models import Resolution, Ticket, TicketMerge

pytestmark = pytest.mark.browser


@pytest.fixture
def desk(transactional_db):
    inbox = InboxFactory(slug="general", name="General support")
    agent = UserFactory(username="ana", first_name="Ana", role=AGENT)
    inbox.members.add(agent)
    customer = CustomerFactory(email="lee@customer.example")
    tickets = []
    for subject in ("Export fails", "Export still fails", "Refund please", "Spam 1", "Spam 2"):
        ticket = TicketFactory(inbox=inbox, customer=customer, subject=subject, status="open")
        MessageFactory(ticket=ticket, body_text=f"{subject}, says the customer.")
        tickets.append(ticket)
    return tickets


def sign_in(page: Page, live_server) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_send_and_solve_merge_and_bulk_solve(page: Page, live_server, desk):
    refund, *_ = desk[2:]
    sign_in(page, live_server)

    # Send and set status to solved: the resolution is asked in the composer, one step.
    page.goto(f"{live_server.url}/tickets/{refund.pk}/")
    solve_fields = page.locator("#composer-solve")
    expect(solve_fields).to_be_hidden()
    page.get_by_label("Message").fill("Your refund is on its way.")
    page.get_by_label("and set status to").select_option("solved")
    expect(solve_fields).to_be_visible()
    solve_fields.get_by_label("No article: a content gap").check()
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator(".field-errors")).to_contain_text("this is a content gap")
    expect(page.get_by_label("Message")).to_have_value("Your refund is on its way.")
    page.locator("#composer-solve").get_by_label("Note").fill("Refunded by hand")
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.locator("#messages .flash")).to_have_count(1)
    expect(page.locator("#messages .flash").first).to_have_text(
        f"Reply queued for lee@customer.example; {refund.number} solved."
    )
    assert Resolution.objects.get(ticket=refund).note == "Refunded by hand"

    # Merge "Export still fails" into "Export fails".
    older, newer = desk[0], desk[1]
    page.goto(f"{live_server.url}/tickets/{newer.pk}/")
    page.get_by_role("link", name="Merge…").click()
    page.get_by_label("Merge into ticket number").fill(f"#{older.pk}")
    page.get_by_role("button", name="Next").click()
    page.get_by_role("button", name=f"Merge into {older.number}").click()
    expect(page).to_have_url(f"{live_server.url}/tickets/{older.pk}/")
    expect(page.locator("#thread")).to_contain_text("Export still fails, says the customer.")
    expect(page.locator("#thread")).to_contain_text(f"{newer.number} merged into this ticket")
    assert TicketMerge.objects.get(merged=newer).into == older

    # Bulk solve the two spam tickets as not applicable.
    page.goto(f"{live_server.url}/tickets/?view=open")
    for spam in desk[3:]:
        page.get_by_label(f"Tick ticket {spam.number}").check()
    page.get_by_text("Solve ticked…").click()
    page.get_by_label("Not applicable (spam, duplicates)").check()
    page.get_by_role("button", name="Solve ticked").click()
    expect(page.get_by_text("Updated 2 tickets.")).to_be_visible()
    solved = Ticket.objects.filter(pk__in=[t.pk for t in desk[3:]], status="solved")
    assert solved.count() == 2
