"""Article measures on a hand-built set; every expected number worked out by hand."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.models import ArticleRevision
from tests.factories import ArticleFactory, MessageFactory, TicketFactory
from tickets.reports.measures import article_measures
from tickets.resolution import link_article, reopen_ticket, solve_ticket

DAY = 86400.0


@pytest.fixture
def world(general_inbox, billing_inbox, agent):
    now = timezone.now()
    a = ArticleFactory(title="A")
    b = ArticleFactory(title="B")
    r1 = a.published_revision
    r2 = ArticleRevision.objects.create(article=a, number=2, title="A", body="better")

    def ticket(inbox, days_ago):
        return TicketFactory(inbox=inbox, status="open", created_at=now - timedelta(days=days_ago))

    def send(t, article):
        reply = MessageFactory(ticket=t, kind="reply", author=agent)
        return link_article(t, article=article, by=agent, message=reply)

    # T1: A r1 sent, solved by A 10 days ago after 1 day: held.
    t1 = ticket(general_inbox, 11)
    solve_ticket(t1, kind="article", links=[send(t1, a)], by=agent, at=now - timedelta(days=10))
    # T2: A r1 sent, solved 9 days ago, reopened a day later (not held), solved again yesterday.
    t2 = ticket(general_inbox, 12)
    link2 = send(t2, a)
    solve_ticket(t2, kind="article", links=[link2], by=agent, at=now - timedelta(days=9))
    reopen_ticket(t2, at=now - timedelta(days=8))
    solve_ticket(t2, kind="article", links=[link2], by=agent, at=now - timedelta(days=1))
    a.published_revision = r2  # A is republished as revision 2 from here on
    # T3: A r2 linked only, solved without an article.
    t3 = ticket(general_inbox, 5)
    link_article(t3, article=a, by=agent)
    solve_ticket(t3, kind="no_article", note="Told them about the API", by=agent)
    # T4 (billing): A r2 sent, solved by A 10 days ago after 2 days: held.
    t4 = ticket(billing_inbox, 12)
    solve_ticket(t4, kind="article", links=[send(t4, a)], by=agent, at=now - timedelta(days=10))
    # T5: B sent, solved 3 days ago: still inside the window.
    t5 = ticket(general_inbox, 4)
    solve_ticket(t5, kind="article", links=[send(t5, b)], by=agent, at=now - timedelta(days=3))
    return {"a": a, "b": b, "r1": r1, "r2": r2, "now": now}


def by_article(rows):
    return {row.article_id: row for row in rows}


def test_general_inbox_figures(world, general_inbox):
    rows = by_article(article_measures(inbox_ids=[general_inbox.pk], now=world["now"]))

    a = rows[world["a"].pk]
    assert (a.linked, a.sent, a.resolved, a.held, a.not_held) == (3, 2, 2, 1, 1)
    assert a.resolution_rate == pytest.approx(2 / 3)
    assert a.hold_rate == pytest.approx(0.5)
    # Resolutions naming A: 1 day (T1), 3 days and 11 days (T2) -> median 3 days.
    assert a.median_resolution_seconds == pytest.approx(3 * DAY, rel=1e-6)
    b = rows[world["b"].pk]
    assert (b.linked, b.sent, b.resolved, b.held, b.not_held) == (1, 1, 1, 0, 0)
    assert b.hold_rate is None


def test_per_revision(world, general_inbox):
    rows = article_measures(
        inbox_ids=[general_inbox.pk], article_ids=[world["a"].pk], by_revision=True
    )

    figures = {row.revision_id: (row.linked, row.sent, row.resolved, row.held) for row in rows}
    assert figures == {world["r1"].pk: (2, 2, 2, 1), world["r2"].pk: (1, 0, 0, 0)}


def test_both_inboxes(world, general_inbox, billing_inbox):
    rows = by_article(
        article_measures(inbox_ids=[general_inbox.pk, billing_inbox.pk], now=world["now"])
    )

    a = rows[world["a"].pk]
    assert (a.linked, a.sent, a.resolved, a.held, a.not_held) == (4, 3, 3, 2, 1)
    assert a.hold_rate == pytest.approx(2 / 3)


def test_no_inboxes_no_figures(world):
    assert article_measures(inbox_ids=[]) == []
