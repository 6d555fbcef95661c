from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, MessageFactory, TicketFactory
from tickets.models import ArticleLink, Message, Ticket
from tickets.resolution import solve_ticket
from tickets.services import add_customer_message, set_priority

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(general_inbox):
    ticket = TicketFactory(inbox=general_inbox, updated_at=timezone.now() - timedelta(minutes=5))
    MessageFactory(ticket=ticket, created_at=ticket.updated_at)
    return ticket


def url(ticket) -> str:
    return reverse("tickets:compose", args=[ticket.pk])


def form(ticket, **extra) -> dict:
    return {
        "kind": "reply",
        "body": "Please refresh.",
        "seen": ticket.updated_at.isoformat(),
    } | extra


def test_reply_is_added_and_redirects_to_the_ticket(client, general_agent, ticket):
    client.force_login(general_agent)

    response = client.post(url(ticket), form(ticket))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("tickets:detail", args=[ticket.pk]))
    reply = ticket.messages.get(kind=Message.Kind.REPLY)
    assert reply.body_text == "Please refresh." and reply.author == general_agent
    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN and ticket.first_response_at == reply.created_at


def test_note_stays_internal(client, general_agent, ticket):
    client.force_login(general_agent)

    client.post(url(ticket), form(ticket, kind="note", body="Customer is on the free plan"))

    note = ticket.messages.get(kind=Message.Kind.NOTE)
    assert note.body_text == "Customer is on the free plan"
    ticket.refresh_from_db()
    assert ticket.first_response_at is None


def test_reply_and_set_pending(client, general_agent, ticket):
    client.force_login(general_agent)

    client.post(url(ticket), form(ticket, then="pending"))

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.PENDING
    assert list(ticket.events.values_list("new_value", flat=True)) == ["open", "pending"]


def test_reply_and_solve_is_one_step(client, general_agent, ticket):
    client.force_login(general_agent)

    response = client.post(
        url(ticket),
        form(ticket, then="solved", **{"solve-kind": "not_applicable", "solve-note": "Spam"}),
        follow=True,
    )

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.SOLVED
    assert ticket.messages.filter(kind=Message.Kind.REPLY).count() == 1
    resolution = ticket.resolutions.get()
    assert resolution.kind == "not_applicable" and resolution.agent_replies == 1
    # One confirmation for the one step.
    flashes = [str(message) for message in response.context["messages"]]
    assert flashes == [f"Reply queued for {ticket.customer.email}; #{ticket.pk} solved."]


def test_reply_and_solve_by_the_article_it_sends(client, general_agent, ticket):
    article = ArticleFactory(body="1. Clear the cache.")
    client.force_login(general_agent)

    client.post(
        url(ticket),
        form(ticket, then="solved", articles=[article.pk], **{"solve-kind": "article"}),
    )

    resolution = ticket.resolutions.get()
    link = ArticleLink.objects.get(ticket=ticket)
    assert list(resolution.links.all()) == [link] and link.sent_at is not None


def test_a_refused_resolution_sends_nothing_and_keeps_the_text(client, general_agent, ticket):
    client.force_login(general_agent)

    # A content gap needs a note: the resolution is refused, so the reply is not sent.
    response = client.post(
        url(ticket),
        form(ticket, body="Typed with care", then="solved", **{"solve-kind": "no_article"}),
    )

    assert response.status_code == 400
    assert not ticket.messages.filter(kind=Message.Kind.REPLY).exists()
    ticket.refresh_from_db()
    assert ticket.status != Ticket.Status.SOLVED
    page = response.content.decode()
    assert "Typed with care" in page and "this is a content gap" in page


def test_reply_and_solve_without_a_resolution_is_refused(client, general_agent, ticket):
    client.force_login(general_agent)

    response = client.post(url(ticket), form(ticket, then="solved"))

    assert response.status_code == 400
    assert not ticket.messages.filter(kind=Message.Kind.REPLY).exists()


def test_sending_an_inserted_article_records_the_revision_sent(client, general_agent, ticket):
    article = ArticleFactory(body="1. Clear the cache.")
    client.force_login(general_agent)

    client.post(
        url(ticket), form(ticket, body="Hi!\n\n1. Clear the cache.", articles=[article.pk])
    )

    link = ArticleLink.objects.get(ticket=ticket)
    reply = ticket.messages.get(kind=Message.Kind.REPLY)
    assert link.article == article and link.revision == article.published_revision
    assert link.message == reply and link.sent_at == reply.created_at
    assert link.linked_by == general_agent


def test_a_draft_article_cannot_be_recorded_as_sent(client, general_agent, ticket):
    draft = ArticleFactory(status="draft")
    client.force_login(general_agent)

    response = client.post(url(ticket), form(ticket, articles=[draft.pk]))

    assert response.status_code == 400
    assert not ticket.messages.filter(kind=Message.Kind.REPLY).exists()
    assert "Please refresh.</textarea>" in response.content.decode()


def test_empty_message_is_refused_with_a_clear_error(client, general_agent, ticket):
    client.force_login(general_agent)

    response = client.post(url(ticket), form(ticket, body="   "))

    assert response.status_code == 400
    assert "Write something first." in response.content.decode() or "required" in (
        response.content.decode()
    )
    assert not ticket.messages.filter(kind=Message.Kind.REPLY).exists()


def test_collision_shows_what_changed_and_keeps_the_text(client, general_agent, ticket):
    seen = ticket.updated_at.isoformat()
    add_customer_message(ticket, body_text="Actually it works on my phone")
    client.force_login(general_agent)

    response = client.post(url(ticket), form(ticket, body="My stale answer") | {"seen": seen})

    page = response.content.decode()
    assert response.status_code == 409
    assert "While you were writing" in page and "Actually it works on my phone" in page
    assert "My stale answer</textarea>" in page and "Send anyway" in page
    assert not ticket.messages.filter(kind=Message.Kind.REPLY).exists()


def test_send_anyway_after_the_warning_sends(client, general_agent, ticket):
    add_customer_message(ticket, body_text="Any news?")
    ticket.refresh_from_db()
    client.force_login(general_agent)

    # The warning page carries the ticket's new updated_at; sending it again confirms.
    response = client.post(url(ticket), form(ticket, body="Here you go"))

    assert response.status_code == 302
    assert ticket.messages.filter(kind=Message.Kind.REPLY, body_text="Here you go").exists()


def test_a_change_by_another_agent_also_warns(client, general_agent, ticket, general_inbox):
    from tests.factories import UserFactory

    other = UserFactory(role="Agent")
    general_inbox.members.add(other)
    seen = ticket.updated_at.isoformat()
    set_priority(ticket, priority=Ticket.Priority.URGENT, by=other)
    client.force_login(general_agent)

    response = client.post(url(ticket), form(ticket) | {"seen": seen})

    assert response.status_code == 409
    assert "priority Normal → Urgent" in response.content.decode()


def test_my_own_changes_do_not_warn(client, general_agent, ticket):
    seen = ticket.updated_at.isoformat()
    set_priority(ticket, priority=Ticket.Priority.HIGH, by=general_agent)
    client.force_login(general_agent)

    response = client.post(url(ticket), form(ticket) | {"seen": seen})

    assert response.status_code == 302


def test_solved_ticket_refuses_a_reply_but_takes_a_note(client, general_agent, ticket):
    solve_ticket(ticket, kind="not_applicable", by=general_agent)
    ticket.refresh_from_db()
    client.force_login(general_agent)

    refused = client.post(url(ticket), form(ticket, body="Late answer"))
    noted = client.post(url(ticket), form(ticket, kind="note", body="FYI"))

    assert refused.status_code == 400 and "reopen it first" in refused.content.decode()
    assert "Late answer</textarea>" in refused.content.decode()
    assert noted.status_code == 302
    assert list(ticket.messages.exclude(kind="customer").values_list("kind", flat=True)) == [
        "note"
    ]


def test_closed_ticket_is_final(client, general_agent, ticket):
    Ticket.objects.filter(pk=ticket.pk).update(status=Ticket.Status.CLOSED)
    ticket.refresh_from_db()
    client.force_login(general_agent)

    response = client.post(url(ticket), form(ticket, kind="note"))
    page = client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()

    assert response.status_code == 400 and ticket.messages.count() == 1
    assert "closed is final" in page and url(ticket) not in page


def test_other_inbox_is_404(client, billing_agent, ticket):
    client.force_login(billing_agent)

    assert client.post(url(ticket), form(ticket)).status_code == 404
    assert ticket.messages.count() == 1


def test_manager_cannot_reply(client, manager, ticket):
    client.force_login(manager)

    assert client.post(url(ticket), form(ticket)).status_code == 403


def test_get_is_not_allowed(client, general_agent, ticket):
    client.force_login(general_agent)

    assert client.get(url(ticket)).status_code == 405


def test_a_note_is_never_stale(client, general_agent, ticket):
    seen = ticket.updated_at.isoformat()
    add_customer_message(ticket, body_text="Hello?")
    client.force_login(general_agent)

    response = client.post(
        url(ticket), form(ticket, kind="note", body="Checking") | {"seen": seen}
    )

    assert response.status_code == 302
    assert ticket.messages.filter(kind=Message.Kind.NOTE).exists()
