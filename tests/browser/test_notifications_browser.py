"""The bell and the shortcuts switch, in a browser."""

import pytest
from playwright.sync_api import Page, expect

from supportdesk.roles import AGENT
from tests.browser.test_queue_browser import sign_in
from tests.factories import InboxFactory, TicketFactory, UserFactory
from tickets.services import add_customer_message

pytestmark = pytest.mark.browser


@pytest.fixture
def ana(transactional_db):
    general = InboxFactory(slug="general", name="General support")
    user = UserFactory(username="ana", first_name="Ana", role=AGENT)
    general.members.add(user)
    return user


def test_the_bell_counts_a_customer_reply_and_opens_it(
    page: Page, live_server, ana, csp_violations
):
    ticket = TicketFactory(inbox=ana.inboxes.get(), assignee=ana, subject="Video stuck at 90%")
    add_customer_message(ticket, body_text="Still stuck.")
    sign_in(page, live_server, "ana")

    bell = page.locator("#bell")
    expect(bell).to_contain_text("1 unread")  # asked for on load
    bell.click()
    page.get_by_role("button", name=f"{ticket.number} Video stuck at 90%").click()

    expect(page).to_have_url(f"{live_server.url}/tickets/{ticket.pk}/")
    expect(page.locator("#bell")).not_to_contain_text("unread")
    assert csp_violations == []


def test_single_key_shortcuts_can_be_turned_off(page: Page, live_server, ana):
    sign_in(page, live_server, "ana")
    page.goto(live_server.url + "/tickets/")
    page.locator("body").press("/")
    expect(page.locator("#global-search")).to_be_focused()

    page.goto(live_server.url + "/settings/")
    page.get_by_label("Single-key keyboard shortcuts").uncheck()
    page.get_by_role("button", name="Save settings").click()
    page.goto(live_server.url + "/tickets/")
    page.locator("body").press("/")
    page.locator("body").press("?")

    expect(page.locator("#global-search")).not_to_be_focused()
    expect(page.locator("dialog[open]")).to_have_count(0)
