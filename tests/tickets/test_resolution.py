from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from tests.factories import ArticleFactory, IssueCategoryFactory, MessageFactory, TicketFactory
from tickets.models import Resolution, Ticket, TicketEvent
from tickets.resolution import (
    close_solved_tickets,
    link_article,
    reopen_ticket,
    resolution_state,
    solve_ticket,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(general_inbox):
    return TicketFactory(inbox=general_inbox, status=Ticket.Status.OPEN)


def test_link_records_the_published_revision_once(ticket, agent):
    article = ArticleFactory()

    first = link_article(ticket, article=article, by=agent)
    again = link_article(ticket, article=article, by=agent)

    assert first == again
    assert first.revision == article.published_revision
    assert not first.is_sent


def test_sending_turns_the_link_into_a_sent_one(ticket, agent):
    article = ArticleFactory()
    linked = link_article(ticket, article=article, by=agent)
    reply = MessageFactory(ticket=ticket, kind="reply", author=agent)

    sent = link_article(ticket, article=article, by=agent, message=reply)

    assert sent.pk == linked.pk
    assert sent.sent_at == reply.created_at
    assert ticket.article_links.count() == 1


def test_draft_articles_cannot_be_linked(ticket, agent):
    with pytest.raises(ValidationError, match="not published"):
        link_article(ticket, article=ArticleFactory(status="draft"), by=agent)


def test_solve_by_article_takes_the_article_category(ticket, agent):
    credits = IssueCategoryFactory(slug="credits")
    link = link_article(ticket, article=ArticleFactory(category=credits), by=agent)

    resolution = solve_ticket(ticket, kind=Resolution.Kind.ARTICLE, links=[link], by=agent)

    ticket.refresh_from_db()
    assert ticket.status == "solved" and ticket.solved_at == resolution.solved_at
    assert ticket.category == credits
    assert list(resolution.links.all()) == [link]
    assert resolution.inbox_id == ticket.inbox_id
    assert ticket.events.filter(kind=TicketEvent.Kind.STATUS, new_value="solved").exists()


def test_solve_needs_a_linked_article_or_a_note(ticket, agent, billing_inbox):
    other = link_article(TicketFactory(inbox=billing_inbox), article=ArticleFactory(), by=agent)

    with pytest.raises(ValidationError, match="Pick the article"):
        solve_ticket(ticket, kind=Resolution.Kind.ARTICLE, by=agent)
    with pytest.raises(ValidationError, match="linked to this ticket"):
        solve_ticket(ticket, kind=Resolution.Kind.ARTICLE, links=[other], by=agent)
    with pytest.raises(ValidationError, match="content gap"):
        solve_ticket(ticket, kind=Resolution.Kind.NO_ARTICLE, note="  ", by=agent)
    ticket.refresh_from_db()
    assert ticket.status == "open"


def test_content_gap_and_not_applicable(ticket, agent, general_inbox):
    gap = solve_ticket(ticket, kind="no_article", note="Explained the API limits", by=agent)
    spam = solve_ticket(TicketFactory(inbox=general_inbox), kind="not_applicable", by=agent)

    assert gap.note == "Explained the API limits"
    assert spam.kind == "not_applicable"


def test_reopen_inside_the_window_marks_not_held(ticket, agent):
    solved_at = timezone.now() - timedelta(days=2)
    resolution = solve_ticket(ticket, kind="not_applicable", by=agent, at=solved_at)

    broken = reopen_ticket(ticket, by=agent)

    resolution.refresh_from_db()
    assert broken == resolution
    assert resolution_state(resolution) == "not held"
    ticket.refresh_from_db()
    assert ticket.status == "open" and ticket.solved_at is None


def test_reopen_after_the_window_keeps_it_held(ticket, agent):
    resolution = solve_ticket(
        ticket, kind="not_applicable", by=agent, at=timezone.now() - timedelta(days=8)
    )

    assert reopen_ticket(ticket, by=None) is None

    resolution.refresh_from_db()
    assert resolution.reopened_at is None
    assert resolution_state(resolution) == "held"


def test_every_attempt_is_kept(ticket, agent):
    link = link_article(ticket, article=ArticleFactory(), by=agent)
    solve_ticket(ticket, kind="article", links=[link], by=agent)
    reopen_ticket(ticket, by=None)
    solve_ticket(ticket, kind="article", links=[link], by=agent)

    states = [resolution_state(r) for r in ticket.resolutions.order_by("solved_at")]
    assert states == ["not held", "pending"]


def test_solved_ticket_closes_after_the_quiet_period(agent, general_inbox):
    now = timezone.now()
    old = TicketFactory(inbox=general_inbox, status="open")
    recent = TicketFactory(inbox=general_inbox, status="open")
    solve_ticket(old, kind="not_applicable", by=agent, at=now - timedelta(days=22))
    solve_ticket(recent, kind="not_applicable", by=agent, at=now - timedelta(days=3))

    assert close_solved_tickets(now=now) == 1

    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.status, recent.status) == ("closed", "solved")
    assert old.closed_at == now
