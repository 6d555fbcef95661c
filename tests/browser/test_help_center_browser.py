"""The customer's way through the help center (issue 14), on a phone and a laptop:
search, read, vote, contact (the answers beside the form), the acknowledgement;
and the other way out: "Yes, this solved it"."""

import pytest
from django.core import mail
from django.core.cache import cache
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Page, expect

from articles.models import ArticleFeedback
from tests.factories import ArticleFactory, InboxFactory, IssueCategoryFactory
from tickets.mail import outbound
from tickets.models import ContactArticle, Ticket

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
LAPTOP = {"width": 1440, "height": 900}
CREDITS = "My credits haven't refreshed"


@pytest.fixture
def help_center(transactional_db):
    cache.clear()
    InboxFactory(slug="general", name="General support")
    billing = InboxFactory(slug="billing", name="Billing")
    billing.acknowledge_new_tickets = True  # get_or_create: the inbox may exist already
    billing.save()
    credits = ArticleFactory(
        title=CREDITS,
        slug="credits",
        category=IssueCategoryFactory(slug="credits", name="Credits"),
        body="**Subscription credits** refresh on your monthly billing anniversary.\n\n"
        "1. Click your profile picture.\n2. Select **Billing & Subscription**.",
    )
    ArticleFactory(
        title="My generations are very slow",
        slug="slow",
        category=IssueCategoryFactory(slug="slow-generations", name="Slow generations"),
        body="Images take 4-15 seconds; videos 30-60 seconds.",
    )
    yield credits
    cache.clear()


def fits_the_screen(page: Page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("size", [PHONE, LAPTOP], ids=["390px", "1440px"])
def test_search_read_vote_contact_and_the_acknowledgement(
    page: Page, live_server, help_center, size
):
    page.set_viewport_size(size)
    page.goto(live_server.url + "/help/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Help center")
    assert fits_the_screen(page)

    search = page.get_by_label("Search the help center")
    search.fill("my credits did not refresh")
    search.press("Enter")
    hits = page.locator(".hits li")
    expect(hits.first).to_contain_text(CREDITS)
    hits.first.get_by_role("link").click()

    expect(page.get_by_role("heading", level=1)).to_have_text(CREDITS)
    expect(page.locator(".prose strong").first).to_have_text("Subscription credits")
    assert fits_the_screen(page)
    page.get_by_label("What was missing? (optional)").fill("Where is the renewal date?")
    page.get_by_role("button", name="No", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("we will improve this answer")
    vote = ArticleFeedback.objects.get()
    assert (vote.revision, vote.helpful) == (help_center.published_revision, False)
    assert vote.comment == "Where is the renewal date?"

    page.get_by_role("link", name="Contact support").first.click()
    page.get_by_label("Your name").fill("Ana Lima")
    page.get_by_label("Your email").fill("ana@customer.example")
    page.get_by_label("What is it about?").select_option("billing")
    page.get_by_label("Subject").fill("Credits")
    page.get_by_label("Your message").type("my credits did not refresh after paying")
    suggestions = page.locator("#suggestions")
    expect(suggestions.locator("summary", has_text=CREDITS)).to_be_visible()
    assert fits_the_screen(page)
    page.get_by_role("button", name="Send to support").click()

    expect(page.locator(".ticket-number")).to_be_visible()
    ticket = Ticket.objects.get()
    expect(page.locator(".ticket-number")).to_contain_text(f"#{ticket.pk}")
    assert ticket.inbox.slug == "billing" and ticket.channel == "web"
    assert [s.revision_id for s in ContactArticle.objects.filter(ticket=ticket)] == [
        help_center.published_revision_id
    ]
    [task] = DBTaskResult.objects.filter(task_path="tickets.mail.outbound.send_acknowledgement")
    assert outbound.deliver_acknowledgement(*task.args_kwargs["args"])
    [receipt] = mail.outbox
    assert receipt.to == ["ana@customer.example"] and f"[#{ticket.pk}]" in receipt.subject
    assert f"opened ticket #{ticket.pk}" in receipt.body


def test_this_solved_it_ends_there(page: Page, live_server, help_center):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/help/contact/")
    page.get_by_label("Your message").type("the credits did not refresh this month")

    answer = page.locator("#suggestions details").first
    expect(answer).to_contain_text(CREDITS)
    answer.locator("summary").click()
    expect(answer.get_by_text("monthly billing anniversary")).to_be_visible()
    answer.get_by_role("button", name="Yes, this solved it").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Glad that solved it")
    deflection = ArticleFeedback.objects.get()
    assert deflection.is_deflection
    assert deflection.revision == help_center.published_revision
    assert not Ticket.objects.exists()


def test_the_answers_open_with_the_keyboard(page: Page, live_server, help_center):
    page.set_viewport_size(PHONE)
    page.goto(live_server.url + "/help/")
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to content")).to_be_focused()
    page.goto(live_server.url + "/help/credits/")
    page.get_by_role("button", name="Yes", exact=True).focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text("Glad it helped")
