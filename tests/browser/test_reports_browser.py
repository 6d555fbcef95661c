"""The report in a real browser: charts drawn by Chart.js, redrawn after an htmx swap."""

import pytest
from playwright.sync_api import Page, expect

from supportdesk.roles import MANAGER
from tests.factories import PASSWORD, UserFactory
from tests.tickets.reports_world import build_world

pytestmark = pytest.mark.browser


def chart_state(page: Page, kind: str) -> dict:
    return page.evaluate(
        """kind => {
            const canvas = document.querySelector(`canvas[data-chart="${kind}"]`);
            const chart = canvas && window.Chart.getChart(canvas);
            return {
                drawn: canvas && canvas.dataset.drawn,
                labels: chart ? chart.data.labels.length : -1,
                points: chart ? chart.data.datasets[0].data.length : -1,
            };
        }""",
        kind,
    )


def test_changing_the_period_redraws_the_charts(
    page: Page, live_server, transactional_db, general_inbox, billing_inbox, readme_screenshot
):
    build_world(general_inbox, billing_inbox)
    UserFactory(username="maria", first_name="Maria", role=MANAGER)
    page.goto(live_server.url + "/accounts/login/?next=/tickets/reports/%3Fperiod%3D90")
    page.get_by_label("Username").fill("maria")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()

    expect(page.get_by_role("heading", name="Resolution report")).to_be_visible()
    expect(page.locator('canvas[data-chart="trend"]')).to_have_attribute("data-drawn", "1")
    before = chart_state(page, "trend")
    assert before["labels"] >= 13  # 90 days: 13 or 14 calendar weeks
    assert chart_state(page, "matrix")["points"] == 9  # 3 categories x 3 articles
    old_canvas = page.locator('canvas[data-chart="trend"]').element_handle()

    page.get_by_label("Period").select_option("7")

    expect(page.locator('canvas[data-chart="trend"]')).to_have_attribute("data-drawn", "2")
    after = chart_state(page, "trend")
    assert after["labels"] in (1, 2)  # 7 days touch one or two calendar weeks
    assert page.evaluate("c => !c.isConnected", old_canvas)  # a new canvas, the old one gone
    expect(page).to_have_url(live_server.url + "/tickets/reports/?" + page.url.split("?")[1])
    assert "period=7" in page.url
    start = page.get_by_label("From").input_value()
    assert start and start == page.locator("#report-body").get_attribute("data-start")
    # The README shows this screenshot; the test keeps it current.
    readme_screenshot(page, "report.png", full_page=True)
