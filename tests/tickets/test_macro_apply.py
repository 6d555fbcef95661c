"""Applying a macro: reply (placeholders filled), article link, status,
priority, category and tags in one request; all of it or nothing."""

import pytest
from django.urls import reverse

from tests.factories import (
    ArticleFactory,
    CustomerFactory,
    IssueCategoryFactory,
    TicketFactory,
)
from tickets.models import ArticleLink, Macro, Message, Ticket, TicketEvent

pytestmark = pytest.mark.django_db

HTMX = {"HX-Request": "true"}


@pytest.fixture
def ticket(general_inbox):
    customer = CustomerFactory(name="Ada Lovelace", email="ada@mail.example")
    return TicketFactory(inbox=general_inbox, customer=customer, status="open")


@pytest.fixture
def article():
    return ArticleFactory(title="Clear the render cache", body="1. Open settings.\n2. Clear.")


@pytest.fixture
def macro(general_inbox, article):
    return Macro.objects.create(
        title="Render cache",
        body="Hi {{ customer.first_name }}, about {{ ticket.number }}:",
        inbox=general_inbox,
        status=Ticket.Status.PENDING,
        priority=Ticket.Priority.HIGH,
        category=IssueCategoryFactory(slug="video", name="Video"),
        tags=["render", "cache"],
        article=article,
    )


def apply_url(ticket, macro) -> str:
    return reverse("tickets:macro_apply", args=[ticket.pk, macro.pk])


def test_one_request_replies_sets_everything_and_links_the_article(
    client, general_agent, ticket, macro, article, django_capture_on_commit_callbacks
):
    client.force_login(general_agent)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(apply_url(ticket, macro))

    assert response.status_code == 302
    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    reply = Message.objects.get(ticket=ticket, kind=Message.Kind.REPLY)
    assert reply.author == general_agent
    assert reply.body_text == (f"Hi Ada, about #{ticket.pk}:\n\n1. Open settings.\n2. Clear.")
    link = ArticleLink.objects.get(ticket=ticket)
    assert link.message == reply and link.revision == article.published_revision
    ticket.refresh_from_db()
    assert ticket.status == "pending" and ticket.priority == Ticket.Priority.HIGH
    assert ticket.category.slug == "video"
    assert sorted(ticket.tags.values_list("name", flat=True)) == ["cache", "render"]
    kinds = set(TicketEvent.objects.filter(ticket=ticket).values_list("kind", flat=True))
    assert {"status", "priority", "category", "tags"} <= kinds
    macro.refresh_from_db()
    assert macro.usage_count == 1 and macro.last_used_at is not None
    page = client.get(response["Location"]).text
    assert "Applied “Render cache”" in page
    assert "Clear the render cache · r1" in page  # the thread's "Sent" chip


def test_htmx_apply_redirects_the_page(client, general_agent, ticket, macro):
    client.force_login(general_agent)

    response = client.post(apply_url(ticket, macro), headers=HTMX)

    assert response.status_code == 200
    assert response["HX-Redirect"] == reverse("tickets:detail", args=[ticket.pk])
    assert ticket.messages.filter(kind="reply").count() == 1


def test_a_macro_with_only_actions_sends_nothing(client, general_agent, ticket, general_inbox):
    macro = Macro.objects.create(title="Park it", inbox=general_inbox, status="pending")
    client.force_login(general_agent)

    client.post(apply_url(ticket, macro))

    ticket.refresh_from_db()
    assert ticket.status == "pending" and not ticket.messages.exists()


def test_nothing_changes_when_the_article_was_unpublished(
    client, general_agent, ticket, macro, article
):
    article.status = "archived"
    article.save(update_fields=["status"])
    client.force_login(general_agent)

    response = client.post(apply_url(ticket, macro), follow=True)

    assert "was not applied" in response.text and "no longer published" in response.text
    ticket.refresh_from_db()
    assert ticket.status == "open" and not ticket.messages.exists()
    assert not ticket.tags.exists()
    macro.refresh_from_db()
    assert macro.usage_count == 0


def test_a_solved_ticket_is_refused_and_kept(client, general_agent, ticket, macro):
    Ticket.objects.filter(pk=ticket.pk).update(status="solved")
    client.force_login(general_agent)

    response = client.post(apply_url(ticket, macro), follow=True)

    assert "reopen it first" in response.text
    assert not ticket.messages.exists()


def test_apply_is_post_only(client, general_agent, ticket, macro):
    client.force_login(general_agent)

    assert client.get(apply_url(ticket, macro)).status_code == 405


def test_the_digit_keys_apply_the_most_used_macros(
    client, general_agent, ticket, macro, general_inbox
):
    Macro.objects.create(title="Rarely", inbox=general_inbox, status="open")
    Macro.objects.filter(pk=macro.pk).update(usage_count=5)
    client.force_login(general_agent)

    page = client.get(reverse("tickets:detail", args=[ticket.pk])).text

    first = page.index('data-hotkey="1">Render cache <kbd>1</kbd>')
    second = page.index('data-hotkey="2">Rarely <kbd>2</kbd>')
    assert first < second
    assert apply_url(ticket, macro) in page
    assert 'data-hotkey="m"' in page


def test_the_picker_previews_the_filled_reply_and_filters(client, general_agent, ticket, macro):
    client.force_login(general_agent)
    url = reverse("tickets:ticket_macros", args=[ticket.pk])

    page = client.get(url).text
    none = client.get(url, {"q": "zzz"}, headers={**HTMX, "HX-Target": "macro-results"})

    assert f"Hi Ada, about #{ticket.pk}:" in page and "1. Open settings." in page
    assert none.text.lstrip().startswith('<div id="macro-results"')
    assert "No macro matches" in none.text
