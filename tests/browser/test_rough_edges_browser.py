"""Issue 15's rough edges that only a browser sees: widths, sticky bars, focus."""

import pytest
from django.utils import timezone
from playwright.sync_api import Page

from supportdesk.roles import AGENT, MANAGER
from tests.factories import (
    PASSWORD,
    CustomerFactory,
    InboxFactory,
    MessageFactory,
    TicketFactory,
    UserFactory,
)

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1440, "height": 900}
LONG_EMAIL = "ana.with.a.very.long.address.for.testing.layouts.and.more@customer.example"


@pytest.fixture
def desk(transactional_db):
    inbox = InboxFactory(slug="general", name="General support")
    agent = UserFactory(username="ana", first_name="Ana", role=AGENT)
    agent.groups.add(*MANAGER_GROUP())
    inbox.members.add(agent)
    customer = CustomerFactory(name="", email=LONG_EMAIL)
    tickets = []
    for n in range(5):
        ticket = TicketFactory(
            inbox=inbox, customer=customer, status="open", assignee=agent,
            subject=f"The export of project number {n} fails with an error",
            last_customer_message_at=timezone.now(),
        )  # fmt: skip
        MessageFactory(ticket=ticket, body_text="The export fails every single time I try.")
        tickets.append(ticket)
    return tickets


def MANAGER_GROUP():
    from django.contrib.auth.models import Group

    return [Group.objects.get_or_create(name=MANAGER)[0]]


def sign_in(page: Page, live_server) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill("ana")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(live_server.url + "/")


def page_width(page: Page) -> int:
    return page.evaluate("document.documentElement.scrollWidth")


def test_a_long_customer_email_does_not_widen_the_ticket_page(page, live_server, desk):
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server)
    page.goto(f"{live_server.url}/tickets/{desk[0].pk}/")

    assert page_width(page) <= LAPTOP["width"]


def test_the_queue_on_a_phone_shows_status_assignee_and_waiting(page, live_server, desk):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server)
    page.goto(live_server.url + "/tickets/")

    assert page_width(page) <= PHONE["width"]
    wrap = page.locator(".queue .table-wrap")
    assert wrap.evaluate("(el) => el.scrollWidth <= el.clientWidth")  # no sideways scroll
    row = page.locator(".ticket-table tbody tr").first
    for cell in ("td.status", "td.assignee", "td.waiting"):
        box = row.locator(cell).bounding_box()
        assert box and box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"], cell


def test_the_search_box_keeps_its_width_on_a_phone(page, live_server, desk):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server)

    box = page.locator("#global-search").bounding_box()

    assert box["width"] >= 300  # it shrank to "Searc" (about 60 px)


def test_the_reports_filters_scroll_away_on_a_phone(page, live_server, desk):
    page.set_viewport_size(PHONE)
    sign_in(page, live_server)
    page.goto(live_server.url + "/tickets/reports/")

    page.mouse.wheel(0, 1500)
    page.wait_for_function("window.scrollY > 500")
    box = page.locator(".report-filters").bounding_box()

    # Sticky, they covered a third of the screen all the way down.
    assert box["y"] + box["height"] <= 0
    assert page_width(page) <= PHONE["width"]


def contrast(page: Page, a: str, b: str) -> float:
    return page.evaluate(
        """([a, b]) => {
          const rgb = (css) => css.match(/\\d+(\\.\\d+)?/g).slice(0, 3).map(Number);
          const lum = (c) => { const [r, g, b] = rgb(c).map((v) => { v /= 255;
            return v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4; });
            return 0.2126 * r + 0.7152 * g + 0.0722 * b; };
          const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
          return (hi + 0.05) / (lo + 0.05); }""",
        [a, b],
    )


@pytest.mark.parametrize("scheme", ["light", "dark"])
def test_the_focus_outline_stands_out(page, live_server, desk, scheme):
    page.emulate_media(color_scheme=scheme)
    sign_in(page, live_server)
    page.goto(live_server.url + "/tickets/")
    page.keyboard.press("Tab")  # the skip link, then the brand
    page.keyboard.press("Tab")

    focused = page.evaluate(
        """() => { const el = document.activeElement;
          const around = getComputedStyle(el.closest(".topbar") || document.body).backgroundColor;
          return [getComputedStyle(el).outlineColor, around]; }"""
    )

    assert contrast(page, *focused) >= 3
