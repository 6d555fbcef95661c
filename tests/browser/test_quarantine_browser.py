"""The quarantine page in Chromium: retry and discard swap the table in place."""

import pytest
from playwright.sync_api import Page, expect

from supportdesk.roles import MANAGER
from tests.factories import PASSWORD, InboxFactory, UserFactory
from tickets.mail.inbound import ingest

pytestmark = pytest.mark.browser


def test_manager_retries_and_discards_quarantined_mail(page: Page, live_server, transactional_db):
    InboxFactory(slug="general", name="General support", address="support@example.com")
    UserFactory(username="mia", first_name="Mia", role=MANAGER)
    for subject in ("Lost one", "Spam one"):
        ingest(
            f"To: support@example.com\r\nSubject: {subject}\r\n\r\nNo sender\r\n".encode(),
            source="test",
        )

    page.goto(live_server.url + "/accounts/login/?next=/")
    page.get_by_label("Username").fill("mia")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.get_by_role("link", name="Quarantined mail").click()

    table = page.locator("#quarantine-table")
    expect(table).to_contain_text("no sender address in From")
    page.locator("tr", has_text="Lost one").get_by_role("button", name="Retry").click()
    expect(page.locator("#messages")).to_contain_text("still quarantined")
    page.locator("tr", has_text="Spam one").get_by_role("button", name="Discard").click()

    expect(page.locator("#messages")).to_contain_text("discarded")
    expect(table).not_to_contain_text("Spam one")
    expect(table).to_contain_text("Lost one")
    assert page.url == live_server.url + "/tickets/mail/quarantine/"  # swapped, not reloaded
