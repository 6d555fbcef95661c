"""The article card on the ticket page: what an agent sees of a suggested or found article."""

import pytest
from django.urls import reverse

from articles.services import save_revision, send_for_review
from tests.factories import ArticleFactory, MessageFactory, TicketFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ticket(general_inbox):
    ticket = TicketFactory(inbox=general_inbox, subject="Video stuck while rendering")
    MessageFactory(ticket=ticket, body_text="My video is stuck and never finishes rendering.")
    return ticket


@pytest.fixture
def edited(editor):
    """A published article whose next revision, with a new title, waits for review."""
    article = ArticleFactory(
        title="Video stuck while rendering", body="1. Wait ten minutes for the video."
    )
    save_revision(
        article,
        title="Zanzibar rewrite",
        body="Zanzibar draft text.",
        by=editor,
        base_revision=article.current_revision,
    )
    send_for_review(article, by=editor)
    return article


def test_a_suggestion_shows_and_inserts_the_published_revision(
    client, general_agent, ticket, edited
):
    client.force_login(general_agent)

    page = client.get(reverse("tickets:detail", args=[ticket.pk])).text

    assert f'data-insert="{edited.pk}"' in page
    assert 'data-title="Video stuck while rendering"' in page
    assert 'data-body="1. Wait ten minutes for the video."' in page
    assert "Zanzibar" not in page


def test_a_search_result_shows_the_published_title(client, general_agent, ticket, edited):
    client.force_login(general_agent)

    page = client.get(
        reverse("tickets:detail", args=[ticket.pk]),
        {"q": "ten minutes"},
        headers={"HX-Request": "true", "HX-Target": "article-results"},
    ).text

    assert "Video stuck while rendering" in page and "Zanzibar" not in page
