"""The API tokens page: make a token (shown once), use it, revoke it."""

import pytest
from django.test import Client
from playwright.sync_api import Page, expect

from supportdesk.roles import AGENT
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def test_agent_makes_uses_and_revokes_a_token(page: Page, live_server, transactional_db):
    UserFactory(username="ana", first_name="Ana", role=AGENT)
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    page.get_by_role("link", name="API tokens").click()
    page.get_by_label("Name").fill("billing sync")
    page.get_by_role("button", name="Create token").click()

    secret = page.locator(".token-secret").inner_text()
    assert secret.startswith("sdk_")
    api = Client(HTTP_AUTHORIZATION=f"Bearer {secret}")
    assert api.get("/api/v1/tickets/").status_code == 200

    page.reload()  # shown once: never again
    expect(page.locator(".token-secret")).to_have_count(0)
    expect(page.get_by_role("cell", name="billing sync")).to_be_visible()
    page.get_by_role("button", name="Revoke").click()

    expect(page.get_by_text("Token revoked")).to_be_visible()
    assert api.get("/api/v1/tickets/").status_code == 401
