"""A macro applied with one key, and a tag added with the autocomplete."""

import pytest
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
from tickets.models import ArticleLink, Macro, Ticket
from tickets.tags.services import add_tags

pytestmark = pytest.mark.browser


def test_agent_tags_a_ticket_and_applies_a_macro_with_one_key(
    page: Page, live_server, transactional_db
):
    inbox = InboxFactory(slug="general", name="General support")
    agent = UserFactory(username="ana", first_name="Ana", role=AGENT)
    inbox.members.add(agent)
    article = ArticleFactory(title="Clear your browser cache", body="1. Open settings.")
    customer = CustomerFactory(name="Ada Lovelace")
    ticket = TicketFactory(inbox=inbox, customer=customer, subject="Page keeps loading")
    MessageFactory(ticket=ticket, body_text="The editor never finishes loading.")
    add_tags(TicketFactory(inbox=inbox), names=["browser-cache"], by=agent)
    Macro.objects.create(
        title="Cache fix", body="Hi {{ customer.first_name }}, about {{ ticket.number }}:",
        inbox=inbox, status="pending", tags=["cache"], article=article,
    )  # fmt: skip

    sign_in(page, live_server, "ana")
    page.goto(f"{live_server.url}/tickets/{ticket.pk}/")

    page.get_by_label("Add tags").fill("brow")
    expect(page.locator("#tag-options option")).to_have_count(1)
    expect(page.locator("#tag-options option")).to_have_attribute("value", "browser-cache")
    page.get_by_label("Add tags").fill("browser-cache")
    page.get_by_role("button", name="Add tag", exact=True).click()
    tags = page.locator("#ticket-tags")
    expect(tags.get_by_role("link", name="browser-cache")).to_be_visible()
    expect(page.locator("#thread")).to_contain_text("tagged browser-cache by Ana")

    page.locator("body").click()  # leave the tag input: keys are shortcuts again
    page.keyboard.press("1")

    expect(page.get_by_text("Applied “Cache fix”")).to_be_visible()
    expect(page.locator("#thread")).to_contain_text(f"Hi Ada, about #{ticket.pk}:")
    expect(page.locator("#thread")).to_contain_text("Clear your browser cache · r1")
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.PENDING
    assert set(ticket.tags.values_list("name", flat=True)) == {"browser-cache", "cache"}
    assert ArticleLink.objects.get(ticket=ticket).is_sent
