import re
from datetime import timedelta

import pytest
from django.utils import timezone
from playwright.sync_api import Page, expect

from supportdesk.roles import AGENT
from tests.factories import PASSWORD, InboxFactory, TicketFactory, UserFactory

pytestmark = pytest.mark.browser


def sign_in(page: Page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


@pytest.fixture
def queue_world(transactional_db):
    general, billing = (
        InboxFactory(slug="general", name="General support"),
        InboxFactory(slug="billing"),
    )
    ana = UserFactory(username="ana", first_name="Ana", role=AGENT)
    general.members.add(ana)
    billing.members.add(ana)
    now = timezone.now()
    for i in range(60):
        TicketFactory(
            inbox=billing if i % 4 == 0 else general,
            subject=f"Video stuck at 90% ({i})",
            preview="It stops at ninety percent and shows an error.",
            status="open",
            priority=4 if i % 10 == 0 else 2,
            updated_at=now - timedelta(minutes=i),
            last_customer_message_at=now - timedelta(hours=i),
        )
    return ana


def test_filters_swap_only_the_table_and_the_url_follows(
    page: Page, live_server, queue_world, readme_screenshot
):
    sign_in(page, live_server, "ana")
    page.goto(live_server.url + "/tickets/")
    expect(page.locator("#ticket-table tbody tr")).to_have_count(50)
    readme_screenshot(page, "queue.png")
    page.evaluate("window.sentinel = 1")  # survives only if the page is not reloaded

    page.get_by_label("Priority", exact=True).select_option("4")

    expect(page.locator("#ticket-table tbody tr")).to_have_count(6)
    expect(page).to_have_url(re.compile(r"priority=4"))
    expect(page.locator(".active-filters")).to_contain_text("Priority: Urgent")
    assert page.evaluate("window.sentinel") == 1


def test_older_and_newer_pages(page: Page, live_server, queue_world):
    sign_in(page, live_server, "ana")
    page.goto(live_server.url + "/tickets/")

    page.get_by_role("link", name="Older →").click()

    expect(page.locator("#ticket-table tbody tr")).to_have_count(10)
    expect(page).to_have_url(re.compile(r"after="))
    page.get_by_role("link", name="← Newer").click()
    expect(page.locator("#ticket-table tbody tr")).to_have_count(50)


def test_j_k_and_enter_open_a_ticket(page: Page, live_server, queue_world):
    sign_in(page, live_server, "ana")
    page.goto(live_server.url + "/tickets/")
    second = page.locator("#ticket-table tbody tr").nth(1).get_attribute("data-row-link")

    page.locator("body").press("j")
    page.locator("body").press("j")
    page.locator("body").press("k")
    page.locator("body").press("j")
    expect(page.locator("#ticket-table tbody tr").nth(1)).to_have_class(
        re.compile(r"\bselected\b")
    )
    page.locator("body").press("Enter")

    expect(page).to_have_url(live_server.url + second)
