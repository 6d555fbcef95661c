import pytest
from playwright.sync_api import Page, expect

from supportdesk.roles import AGENT
from tests.factories import (
    PASSWORD,
    ArticleFactory,
    InboxFactory,
    MessageFactory,
    TicketFactory,
    UserFactory,
)
from tickets.models import ArticleLink, Resolution

pytestmark = pytest.mark.browser


def sign_in(page: Page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_agent_inserts_an_article_sends_it_and_solves(
    page: Page, live_server, transactional_db, readme_screenshot
):
    inbox = InboxFactory(slug="general", name="General support")
    agent = UserFactory(username="ana", first_name="Ana", role=AGENT)
    inbox.members.add(agent)
    article = ArticleFactory(title="Clear your browser cache", body="1. Open settings.\n2. Clear.")
    ticket = TicketFactory(inbox=inbox, subject="Page keeps loading")
    MessageFactory(ticket=ticket, body_text="The editor never finishes loading.")
    MessageFactory(ticket=ticket, kind="note", author=agent, body_text="Seen twice today.")

    sign_in(page, live_server, "ana")
    page.goto(f"{live_server.url}/tickets/{ticket.pk}/")
    expect(page.get_by_text("The editor never finishes loading.")).to_be_visible()

    page.keyboard.press("a")  # take it: the details and the thread update in place
    expect(page.locator("#details")).to_contain_text(f"You took {ticket.number}.")
    expect(page.locator("#thread")).to_contain_text(f"{agent.get_full_name()} took it")

    page.get_by_label("Find an article").fill("cache")
    results = page.locator("#article-results")
    expect(results.get_by_text("Clear your browser cache")).to_be_visible()
    results.get_by_role("link", name="Insert").click()

    reply = page.get_by_label("Message")
    expect(reply).to_have_value("1. Open settings.\n2. Clear.")
    reply.press("Control+Home")
    reply.type("Hi, please try this:\n\n")
    expect(page.locator("[data-sending]")).to_contain_text("Clear your browser cache")
    page.get_by_role("button", name="Send", exact=True).click()

    expect(page.get_by_text("Reply queued for")).to_be_visible()
    link = ArticleLink.objects.get(ticket=ticket)
    assert link.is_sent and link.revision == article.published_revision
    page.set_viewport_size({"width": 1440, "height": 1000})
    readme_screenshot(page, "ticket.png")

    page.keyboard.press("s")
    dialog = page.locator("#solve-dialog")
    expect(dialog).to_be_visible()
    expect(dialog.get_by_label("Clear your browser cache (r1, sent)")).to_be_checked()
    dialog.get_by_role("button", name="Solve").click()

    expect(page.locator(".ticket-meta")).to_contain_text("Solved")
    resolution = Resolution.objects.get(ticket=ticket)
    assert resolution.kind == "article" and list(resolution.links.all()) == [link]
