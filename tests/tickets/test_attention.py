from datetime import timedelta

import pytest
from django.utils import timezone

from articles.figures import figures_for
from tests.factories import ArticleFactory, TicketFactory
from tickets.resolution import link_article, reopen_ticket, solve_ticket


@pytest.fixture
def outcomes(general_inbox, billing_inbox, agent):
    """Solve tickets with an article; each outcome is held, reopened or pending."""
    now = timezone.now()

    def solve(article, outcome, days_ago, inbox=general_inbox):
        ticket = TicketFactory(inbox=inbox, status="open", subject=f"{article.title} {days_ago}")
        link = link_article(ticket, article=article, by=agent)
        solved_at = now - timedelta(days=days_ago)
        solve_ticket(ticket, kind="article", links=[link], by=agent, at=solved_at)
        if outcome == "reopened":
            reopen_ticket(ticket, at=solved_at + timedelta(days=1))
        return ticket

    return solve


def test_article_whose_fixes_keep_failing_is_flagged(outcomes, general_agent):
    flaky, solid, young = ArticleFactory(), ArticleFactory(), ArticleFactory()
    reopened = [outcomes(flaky, "reopened", 20), outcomes(flaky, "reopened", 15)]
    outcomes(flaky, "held", 12)
    outcomes(flaky, "held", 10)  # 2 of 4 decided reopened: 50 % >= 30 %
    for days in (20, 15, 10):
        outcomes(solid, "held", days)  # 0 of 3
    outcomes(young, "reopened", 20)
    outcomes(young, "reopened", 15)  # 2 of 2, but fewer than 3 decided

    figures = figures_for(general_agent, [flaky.pk, solid.pk, young.pk])

    assert figures[flaky.pk].needs_attention
    assert {number for number, _ in figures[flaky.pk].reopened} == {t.pk for t in reopened}
    assert not figures[solid.pk].needs_attention
    assert not figures[young.pk].needs_attention


def test_only_the_last_n_decided_count(outcomes, general_agent, settings):
    settings.ATTENTION_LAST_N = 3
    article = ArticleFactory()
    outcomes(article, "reopened", 40)
    outcomes(article, "reopened", 35)  # older than the last 3
    for days in (20, 15, 10):
        outcomes(article, "held", days)
    outcomes(article, "pending", 2)  # inside the window: not decided yet

    assert not figures_for(general_agent, [article.pk])[article.pk].needs_attention


def test_figures_come_only_from_inboxes_the_user_sees(
    outcomes, general_agent, billing_inbox, editor, manager
):
    article = ArticleFactory()
    for days in (20, 15, 10):
        outcomes(article, "reopened", days, inbox=billing_inbox)
    outcomes(article, "held", 12)

    general = figures_for(general_agent, [article.pk])[article.pk]
    everything = figures_for(manager, [article.pk])[article.pk]

    assert (general.resolved, general.held, general.needs_attention) == (1, 1, False)
    assert (everything.resolved, everything.not_held, everything.needs_attention) == (4, 3, True)
    assert figures_for(editor, [article.pk]) == {}


def test_per_revision_figures(outcomes, general_agent):
    article = ArticleFactory()
    outcomes(article, "held", 10)

    figures = figures_for(general_agent, [article.pk], by_revision=True)[article.pk]

    assert [(r.revision_id, r.linked, r.held) for r in figures.revisions] == [
        (article.published_revision_id, 1, 1)
    ]
