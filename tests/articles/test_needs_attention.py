from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import ArticleFactory, TicketFactory
from tickets.resolution import link_article, reopen_ticket, solve_ticket

URL = reverse("articles:needs_attention")


@pytest.fixture
def flaky(general_inbox, agent, editor):
    """An article whose fixes were reopened 3 times out of 4, in the general inbox."""
    general_inbox.members.add(agent, editor)
    article = ArticleFactory(title="Flaky fix")
    now = timezone.now()
    reopened = []
    for n, outcome in enumerate(["reopened", "reopened", "reopened", "held"]):
        ticket = TicketFactory(inbox=general_inbox, status="open", subject=f"Still broken {n}")
        link = link_article(ticket, article=article, by=agent)
        solved_at = now - timedelta(days=30 - n)
        solve_ticket(ticket, kind="article", links=[link], by=agent, at=solved_at)
        if outcome == "reopened":
            reopen_ticket(ticket, at=solved_at + timedelta(days=1))
            reopened.append(ticket)
    return article, reopened


def test_flagged_articles_with_their_reopened_tickets(client, editor, flaky):
    article, reopened = flaky
    ArticleFactory(title="Solid")
    client.force_login(editor)

    response = client.get(URL)

    assert [row.article for row in response.context["rows"]] == [article]
    for ticket in reopened:
        assert f'href="/tickets/{ticket.pk}/"' in response.text


def test_the_list_flags_it_too(client, editor, flaky):
    client.force_login(editor)

    response = client.get(reverse("articles:list"), {"needs": "attention"})

    assert [row.article.title for row in response.context["page"].object_list] == ["Flaky fix"]
    assert "Needs attention" in response.text


def test_editor_outside_the_inbox_sees_no_ticket(client, flaky, billing_inbox):
    from tests.factories import UserFactory

    outsider = UserFactory(role="Editor")
    client.force_login(outsider)

    response = client.get(URL)

    assert "Still broken" not in response.text


def test_for_editors_only(client, agent, manager):
    for user in (agent, manager):
        client.force_login(user)
        assert client.get(URL).status_code == 403
