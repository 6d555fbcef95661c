"""The customer's whole way (issue 14), in a phone's browser: search, read, vote,
contact, the acknowledgement (captured mail), the signed link in it, a reply with
a screenshot, the solve mail's rating link, a bad rating with a comment."""

import re

import pytest
from django.core import mail
from django.core.cache import cache
from django_tasks_db.models import DBTaskResult
from playwright.sync_api import Page, expect

from articles.models import ArticleFeedback
from supportdesk.roles import AGENT
from tests.factories import ArticleFactory, InboxFactory, IssueCategoryFactory, UserFactory
from tickets import services
from tickets.mail import outbound
from tickets.models import Message, Satisfaction, Ticket
from tickets.portal import mail as customer_mail
from tickets.resolution import link_article, solve_ticket

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CREDITS = "My credits haven't refreshed"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture
def help_center(transactional_db, settings, live_server, tmp_path):
    cache.clear()
    settings.SITE_URL = live_server.url  # the links in the mails point at this server
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    InboxFactory(slug="general", name="General support")
    billing = InboxFactory(slug="billing", name="Billing")
    billing.acknowledge_new_tickets = True
    billing.save()
    credits = ArticleFactory(
        title=CREDITS,
        slug="credits",
        category=IssueCategoryFactory(slug="credits", name="Credits"),
        body="**Subscription credits** refresh on your monthly billing anniversary.",
    )
    yield credits
    cache.clear()


def link_in(email) -> str:
    return re.search(r"https?://\S+/help/tickets/[A-Za-z0-9_-]{43}/", email.body)[0]


def run_task(path: str):
    [task] = DBTaskResult.objects.filter(task_path=path).order_by("-enqueued_at")[:1]
    return task.args_kwargs["args"]


def test_the_customers_way_from_search_to_rating(page: Page, live_server, help_center, tmp_path):
    page.set_viewport_size(PHONE)
    # Search and read.
    page.goto(live_server.url + "/help/")
    search = page.get_by_label("Search the help center")
    search.fill("my credits did not refresh")
    search.press("Enter")
    page.locator(".hits li").first.get_by_role("link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(CREDITS)

    # Vote: it did not answer the question.
    page.get_by_label("What was missing? (optional)").fill("When is my anniversary?")
    page.get_by_role("button", name="No", exact=True).click()
    vote = ArticleFeedback.objects.get()
    assert (vote.helpful, vote.revision) == (False, help_center.published_revision)

    # Contact, and the acknowledgement with the signed link.
    page.get_by_role("link", name="Contact support").first.click()
    page.get_by_label("Your email").fill("ana@customer.example")
    page.get_by_label("What is it about?").select_option("billing")
    page.get_by_label("Subject").fill("Credits")
    page.get_by_label("Your message").fill("My credits did not refresh after paying.")
    page.get_by_role("button", name="Send to support").click()
    expect(page.locator(".ticket-number")).to_be_visible()
    ticket = Ticket.objects.get()
    assert outbound.deliver_acknowledgement(*run_task(
        "tickets.mail.outbound.send_acknowledgement"))  # fmt: skip
    [receipt] = mail.outbox
    assert f"opened ticket #{ticket.pk}" in receipt.body

    # The link opens the ticket; the customer replies with a screenshot.
    agent = UserFactory(role=AGENT, first_name="Bea")
    services.add_note(ticket, body_text="VIP, be quick NOTEQX", by=agent)
    page.goto(link_in(receipt))
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Your ticket #{ticket.pk}")
    expect(page.locator(".customer-thread")).to_contain_text("did not refresh after paying")
    expect(page.locator("body")).not_to_contain_text("NOTEQX")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.get_by_label("Your reply").fill("Here is my billing page.")
    shot = tmp_path / "billing.png"
    shot.write_bytes(PNG)
    page.get_by_label("Attach files").set_input_files(str(shot))
    page.get_by_role("button", name="Send reply").click()
    expect(page.locator(".notice")).to_contain_text("Your reply is sent")
    reply = ticket.messages.filter(kind=Message.Kind.CUSTOMER).last()
    assert reply.body_text == "Here is my billing page."
    assert [a.name for a in reply.attachments.all()] == ["billing.png"]

    # An agent answers with the article and solves; the solve mail asks for a rating.
    answer = services.add_reply(ticket, body_text="Your credits refresh on the 3rd.", by=agent)
    link = link_article(ticket, article=help_center, by=agent, message=answer)
    resolution = solve_ticket(ticket, kind="article", links=[link], by=agent)
    assert customer_mail.deliver_solved_notice(resolution.pk)
    notice = mail.outbox[-1]
    bad = re.search(r"(https?://\S+/rate/\?rating=bad)", notice.body)[1]

    page.goto(bad)
    expect(page.get_by_label("Bad")).to_be_checked()
    page.get_by_label("Anything to add? (optional)").fill("The 3rd has passed.")
    page.get_by_role("button", name="Send rating").click()
    expect(page.locator(".notice")).to_contain_text("Thank you for your rating")
    expect(page.locator(".customer-thread")).to_contain_text("Your credits refresh on the 3rd.")
    expect(page.locator("body")).not_to_contain_text("Bea")

    rating = Satisfaction.objects.get()
    assert (rating.resolution, rating.rating, rating.comment) == (
        resolution,
        "bad",
        "The 3rd has passed.",
    )
    assert rating.needs_second_look
