import pytest
from django.urls import reverse

from articles.services import publish_article, save_revision
from tests.factories import ArticleFactory, TicketFactory
from tickets.resolution import link_article, solve_ticket


@pytest.fixture
def article(db, editor):
    article = ArticleFactory(title="Slow videos", body="Wait a minute.")
    save_revision(
        article, title="Slow videos", body="Videos take 30-60 s.", by=editor,
        base_revision=article.current_revision, note="Real timings",
    )  # fmt: skip
    return article


def test_history_lists_revisions_with_author_and_note(client, editor, article):
    client.force_login(editor)

    response = client.get(reverse("articles:history", args=[article.slug]))

    assert response.status_code == 200
    rows = response.context["rows"]
    assert [revision.number for revision, _ in rows] == [2, 1]
    assert "Real timings" in response.text
    assert editor.get_full_name() in response.text


def test_each_revision_shows_the_tickets_it_earned(client, editor, agent, general_inbox, article):
    general_inbox.members.add(agent, editor)
    first = article.revisions.get(number=1)
    ticket = TicketFactory(inbox=general_inbox, status="open")
    link = link_article(ticket, article=article, by=agent)  # revision 1 is the published one
    solve_ticket(ticket, kind="article", links=[link], by=agent)
    publish_article(article, by=editor)
    client.force_login(editor)

    response = client.get(reverse("articles:history", args=[article.slug]))

    figures = dict(response.context["rows"])
    assert figures[first].linked == 1 and figures[first].resolved == 1
    assert figures[article.revisions.get(number=2)] is None


@pytest.mark.parametrize("role_user", ["agent", "manager"])
def test_history_is_for_editors(client, request, role_user, article):
    client.force_login(request.getfixturevalue(role_user))

    assert client.get(reverse("articles:history", args=[article.slug])).status_code == 403


def test_wrong_method(client, editor, article):
    client.force_login(editor)

    assert client.post(reverse("articles:history", args=[article.slug])).status_code == 405
