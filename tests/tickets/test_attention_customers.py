"""Needs attention also listens to customers (issue 14): bad ratings of the
resolutions naming an article, and "no" votes on its published revision."""

from datetime import timedelta

import pytest
from django.utils import timezone

from articles.figures import figures_for
from articles.models import ArticleFeedback
from articles.public.feedback import record_feedback
from tests.factories import ArticleFactory, TicketFactory
from tickets.portal.services import rate_resolution
from tickets.resolution import link_article, solve_ticket

pytestmark = pytest.mark.django_db


@pytest.fixture
def rated(general_inbox, agent):
    """Solve a ticket with the article (held, long ago) and rate the resolution."""

    def rate(article, rating, inbox=general_inbox, days_ago=20):
        ticket = TicketFactory(inbox=inbox, status="open")
        link = link_article(ticket, article=article, by=agent)
        at = timezone.now() - timedelta(days=days_ago)
        resolution = solve_ticket(ticket, kind="article", links=[link], by=agent, at=at)
        return rate_resolution(resolution, rating=rating)

    return rate


def test_bad_ratings_flag_an_article_whose_fixes_hold(rated, general_agent):
    disliked, liked = ArticleFactory(), ArticleFactory()
    for rating in ("bad", "good", "bad"):
        rated(disliked, rating)  # 2 of 3 bad, though every fix held
    for rating in ("good", "good", "bad", "good"):
        rated(liked, rating)  # 1 of 4: 25 % < 30 %

    figures = figures_for(general_agent, [disliked.pk, liked.pk])

    assert figures[disliked.pk].needs_attention
    assert figures[disliked.pk].reasons == ("2 of the last 3 ratings were bad",)
    assert figures[disliked.pk].hold_rate == 1.0
    assert not figures[liked.pk].needs_attention


def test_ratings_of_other_inboxes_do_not_count(rated, general_agent, billing_inbox):
    article = ArticleFactory()
    for _ in range(3):
        rated(article, "bad", inbox=billing_inbox)

    assert article.pk not in figures_for(general_agent, [article.pk])


def test_no_votes_on_the_published_revision_flag_it(general_agent, editor):
    from articles.services import publish_article, save_revision

    article = ArticleFactory()
    for helpful in (False, False, True):
        record_feedback(article, helpful=helpful)

    flagged = figures_for(general_agent, [article.pk])[article.pk]
    assert flagged.needs_attention and flagged.no_votes == 2 and flagged.votes == 3
    assert flagged.reasons == ("2 of the last 3 readers said it did not help",)

    # A new published revision starts afresh: the votes were on the old words.
    revision = save_revision(
        article, title=article.title, body="Rewritten", by=editor,
        base_revision=article.current_revision,
    )  # fmt: skip
    publish_article(article, by=editor, revision=revision)
    assert article.pk not in figures_for(general_agent, [article.pk])


def test_deflections_are_not_votes(general_agent):
    article = ArticleFactory()
    record_feedback(article, helpful=False)
    for _ in range(3):
        record_feedback(article, helpful=True, source=ArticleFeedback.Source.CONTACT)

    assert article.pk not in figures_for(general_agent, [article.pk])


def test_the_needs_attention_page_says_why(client, editor, general_inbox):
    general_inbox.members.add(editor)
    article = ArticleFactory(title="Credits explained")
    for _ in range(3):
        record_feedback(article, helpful=False)
    client.force_login(editor)

    page = client.get("/articles/needs-attention/").text

    assert "Credits explained" in page and "3 of the last 3 readers said it did not help" in page
