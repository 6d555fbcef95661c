import pytest
from playwright.sync_api import Page, expect

from supportdesk.roles import AGENT
from tests.factories import PASSWORD, UserFactory

pytestmark = pytest.mark.browser


def test_agent_signs_in_and_sees_home(page: Page, live_server, transactional_db):
    UserFactory(username="ana", first_name="Ana", role=AGENT)

    page.goto(live_server.url + "/")
    expect(page).to_have_url(live_server.url + "/accounts/login/?next=/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Good to see you, Ana")).to_be_visible()
    expect(page.locator(".role-tags")).to_contain_text("Agent")
