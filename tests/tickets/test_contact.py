"""The help center's contact form (issue 14): tickets through the email channel's rules."""

import re

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django_tasks_db.models import DBTaskResult

from articles.models import ArticleFeedback
from tests.factories import ArticleFactory, CustomerFactory, IssueCategoryFactory, TicketFactory
from tickets.mail import outbound
from tickets.models import Attachment, ContactArticle, Message, Ticket

pytestmark = pytest.mark.django_db

URL = "/help/contact/"
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


@pytest.fixture(autouse=True)
def setup(settings, tmp_path, general_inbox, billing_inbox):
    cache.clear()
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    yield
    cache.clear()


@pytest.fixture
def credits_article():
    return ArticleFactory(
        title="My credits haven't refreshed",
        slug="credits",
        category=IssueCategoryFactory(slug="credits"),
        body="Subscription credits refresh on your monthly billing anniversary. "
        "Free credits reset every 24 hours.",
    )


def send(client, **fields):
    data = {
        "name": "Ana Lima",
        "email": "ana@customer.example",
        "topic": "general",
        "subject": "Generation failed",
        "message": "My video stops at 90% with an error.",
    }
    data.update(fields)
    return client.post(URL, data)


def test_the_form_asks_for_the_fields_and_screenshots(client):
    response = client.get(URL)

    assert response.status_code == 200
    for name in ("name", "email", "topic", "subject", "message", "screenshots"):
        assert f'name="{name}"' in response.text
    assert "Screenshots" in response.text and 'enctype="multipart/form-data"' in response.text
    assert '<option value="billing"' in response.text and "Billing: payments" in response.text


@pytest.mark.parametrize("topic, inbox", [("billing", "billing"), ("general", "general")])
def test_sending_creates_a_ticket_in_the_chosen_inbox(client, topic, inbox):
    response = send(client, topic=topic)

    ticket = Ticket.objects.get()
    assert ticket.inbox.slug == inbox
    assert ticket.channel == Ticket.Channel.WEB and ticket.subject == "Generation failed"
    assert ticket.customer.email == "ana@customer.example" and ticket.customer.name == "Ana Lima"
    assert ticket.messages.get().body_text == "My video stops at 90% with an error."
    assert response.status_code == 302
    receipt = client.get(response["Location"])
    assert f"#{ticket.pk}" in receipt.text and "What happens next" in receipt.text
    # This inbox sends no acknowledgement, so the receipt promises none.
    assert "We email you a confirmation" not in receipt.text
    assert not DBTaskResult.objects.exists()


def test_the_acknowledgement_carries_the_ticket_number(
    client, billing_inbox, mailoutbox, django_capture_on_commit_callbacks
):
    billing_inbox.acknowledge_new_tickets = True
    billing_inbox.save()

    with django_capture_on_commit_callbacks(execute=True):
        response = send(client, topic="billing")
    assert "We email you a confirmation" in client.get(response["Location"]).text
    [task] = DBTaskResult.objects.filter(task_path="tickets.mail.outbound.send_acknowledgement")
    assert outbound.deliver_acknowledgement(*task.args_kwargs["args"])

    ticket = Ticket.objects.get()
    [mail] = mailoutbox
    assert mail.to == ["ana@customer.example"] and f"[#{ticket.pk}]" in mail.subject
    assert mail.extra_headers["In-Reply-To"] == ticket.messages.get().message_id


def test_a_message_with_the_ticket_token_continues_the_customers_ticket(client, general_inbox):
    customer = CustomerFactory(email="ana@customer.example")
    ticket = TicketFactory(inbox=general_inbox, customer=customer, subject="Slow videos")

    send(client, subject=f"Re: Slow videos [#{ticket.pk}]", message="Still slow today.")

    assert Ticket.objects.count() == 1
    assert ticket.messages.get().body_text == "Still slow today."


def test_the_token_of_someone_elses_ticket_starts_a_new_one(client, general_inbox):
    ticket = TicketFactory(inbox=general_inbox, subject="Private matter")

    send(client, subject=f"[#{ticket.pk}] hello")

    assert Ticket.objects.count() == 2 and not ticket.messages.exists()


def test_billing_tokens_do_not_reach_general_tickets(client, general_inbox):
    customer = CustomerFactory(email="ana@customer.example")
    general = TicketFactory(inbox=general_inbox, customer=customer)

    send(client, topic="billing", subject=f"[#{general.pk}] refund")

    new = Ticket.objects.exclude(pk=general.pk).get()
    assert new.inbox.slug == "billing"


def test_screenshots_are_attached_with_the_agents_rules(client):
    shot = SimpleUploadedFile("error.png", PNG, "image/png")

    send(client, screenshots=[shot])

    attachment = Attachment.objects.get()
    assert attachment.name == "error.png" and attachment.content_type == "image/png"
    assert attachment.message.ticket == Ticket.objects.get()


def test_a_refused_file_keeps_the_text_and_creates_nothing(client, settings):
    settings.ATTACHMENT_MAX_BYTES = 10
    shot = SimpleUploadedFile("error.png", PNG, "image/png")
    script = SimpleUploadedFile("run.exe", b"MZ", "application/octet-stream")

    big = send(client, screenshots=[shot])
    bad_type = send(client, screenshots=[script])

    assert big.status_code == 400 and "the limit is" in big.text
    assert bad_type.status_code == 400 and "not a file type we accept" in bad_type.text
    assert "My video stops at 90% with an error." in big.text
    assert not Ticket.objects.exists()


def test_missing_fields_say_what_to_fix(client):
    response = send(client, email="not-an-address", message="   ")

    assert response.status_code == 400
    assert (
        "Enter a valid email address." in response.text
        and "Tell us what happened." in response.text
    )
    assert not Ticket.objects.exists()


def test_the_honeypot_looks_like_success_and_creates_nothing(client):
    response = send(client, website="http://spam.example")

    assert response.status_code == 302
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200 and "We received your message" in receipt.text
    assert not Ticket.objects.exists() and not Message.objects.exists()


def test_sending_is_rate_limited_per_email_and_per_ip(client):
    for n in range(5):
        assert send(client, subject=f"Try {n}").status_code == 302
    too_many = send(client, subject="Try 6")
    other_address = send(client, email="bo@customer.example")

    assert too_many.status_code == 429 and "Your text is still here" in too_many.text
    assert "My video stops at 90% with an error." in too_many.text
    assert other_address.status_code == 302
    # Ten tries from one address per hour, refused ones included.
    for n in range(3):
        assert send(client, email=f"c{n}@customer.example").status_code == 302
    assert send(client, email="last@customer.example").status_code == 429
    assert Ticket.objects.count() == 9


def test_the_form_needs_a_csrf_token():
    strict = Client(enforce_csrf_checks=True)

    response = send(strict)

    assert response.status_code == 403 and not Ticket.objects.exists()


def test_matching_articles_appear_as_the_customer_types(client, credits_article):
    response = client.get(
        "/help/contact/suggest/",
        {"subject": "credits", "message": "my credits did not refresh", "topic": "billing"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert "My credits haven&#x27;t refreshed" in response.text
    assert "Yes, this solved it" in response.text
    revision = credits_article.published_revision_id
    assert f'name="shown" value="{revision}" form="contact-form"' in response.text
    assert "<html" not in response.text


def test_a_deflection_records_the_revision_and_creates_no_ticket(client, credits_article):
    revision = credits_article.published_revision

    response = client.post("/help/contact/solved/", {"revision": revision.pk})

    assert response.status_code == 302
    assert "Glad that solved it" in client.get(response["Location"]).text
    feedback = ArticleFeedback.objects.get()
    assert feedback.is_deflection and feedback.revision == revision
    assert not Ticket.objects.exists()


def test_a_deflection_for_a_draft_revision_is_refused(client, editor):
    draft = ArticleFactory(status="draft")

    response = client.post("/help/contact/solved/", {"revision": draft.current_revision_id})

    assert response.status_code == 404 and not ArticleFeedback.objects.exists()


def test_the_articles_shown_are_stored_on_the_ticket_and_the_agent_sees_them(
    client, credits_article, general_agent
):
    draft = ArticleFactory(status="draft")

    send(client, shown=[credits_article.published_revision_id, draft.current_revision_id, "x"])

    ticket = Ticket.objects.get()
    [shown] = ContactArticle.objects.filter(ticket=ticket)
    assert shown.revision == credits_article.published_revision
    agent = Client()
    agent.force_login(general_agent)
    page = agent.get(f"/tickets/{ticket.pk}/").text
    section = page[page.index("Shown to the customer before writing") :]
    assert re.search(r"My credits haven&#x27;t refreshed</span>\s*<span class=\"tag\">r1", section)


def test_without_javascript_a_refused_send_shows_the_matching_articles(client, credits_article):
    response = send(client, email="", subject="credits", message="my credits did not refresh")

    assert response.status_code == 400
    assert "My credits haven&#x27;t refreshed" in response.text


def test_the_answers_beside_the_form_take_few_queries(
    client, credits_article, django_assert_max_num_queries
):
    ArticleFactory.create_batch(20)
    url = "/help/contact/suggest/?subject=credits&message=my+credits+did+not+refresh"
    client.get(url)  # builds the suggestion index once per process

    with django_assert_max_num_queries(2):
        response = client.get(url)

    assert "My credits haven&#x27;t refreshed" in response.text


def test_the_customer_must_choose_a_topic(client):
    form = client.get(URL).text
    response = send(client, topic="")

    assert '<option value="" selected>Choose a topic</option>' in form
    assert response.status_code == 400 and "Choose what your message is about." in response.text
    assert not Ticket.objects.exists()


def test_behind_the_proxy_each_customer_has_their_own_limit(settings):
    """The TLS proxy is every customer's REMOTE_ADDR: the limit follows the forwarded
    address our proxy added, as sign-in protection does, not the proxy."""
    settings.TRUSTED_PROXY_COUNT = 1
    first = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.7")
    second = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.9")
    for n in range(10):
        send(first, email=f"a{n}@customer.example")

    assert send(first, email="late@customer.example").status_code == 429
    assert send(second, email="other@customer.example").status_code == 302
