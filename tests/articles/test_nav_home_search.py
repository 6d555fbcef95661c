"""What the frame shows of articles: sidebar, home panel, top-bar search."""

from datetime import timedelta

from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory


def test_editor_sidebar_has_the_knowledge_base_with_the_review_count(client, editor):
    overdue = ArticleFactory()
    Article.objects.filter(pk=overdue.pk).update(review_due=timezone.localdate() - timedelta(1))
    client.force_login(editor)

    response = client.get("/articles/")

    nav = response.text.split('<nav class="sidebar"')[1].split("</nav>")[0]
    for label in ("Articles", "Needs review", "Needs attention", "Import/Export"):
        assert label in nav
    assert 'Needs review <span class="count">1</span>' in nav
    assert 'href="/articles/" aria-current="page"' in nav


def test_agents_get_only_the_read_list(client, agent):
    client.force_login(agent)

    nav = client.get("/").text.split('<nav class="sidebar"')[1].split("</nav>")[0]

    assert 'href="/articles/"' in nav
    assert "Needs review" not in nav and "Import/Export" not in nav


def test_home_panel_for_editors_lists_overdue_articles(client, editor):
    overdue = ArticleFactory(title="Stale credits article")
    Article.objects.filter(pk=overdue.pk).update(review_due=timezone.localdate() - timedelta(9))
    client.force_login(editor)

    response = client.get("/")

    assert "Articles that need you" in response.text
    assert "Stale credits article" in response.text


def test_no_home_panel_for_agents(client, agent):
    client.force_login(agent)

    assert "Articles that need you" not in client.get("/").text


def test_search_finds_titles_the_user_may_read(client, agent, editor):
    ArticleFactory(title="Credits did not refresh")
    ArticleFactory(title="Credits draft", status=Article.Status.DRAFT)

    client.force_login(agent)
    agent_view = client.get("/search/", {"q": "credits"}).text
    client.force_login(editor)
    editor_view = client.get("/search/", {"q": "credits"}).text

    assert "Credits did not refresh" in agent_view and "Credits draft" not in agent_view
    assert "Credits draft" in editor_view


def test_readers_search_and_see_published_titles_only(client, agent, editor):
    from articles.services import save_revision

    article = ArticleFactory(title="Credits did not refresh")
    save_revision(
        article, title="Credits zanzibar rewrite", body=article.body, by=editor,
        base_revision=article.current_revision,
    )  # fmt: skip

    client.force_login(agent)
    agent_credits = client.get("/search/", {"q": "credits"}).text
    agent_zanzibar = client.get("/search/", {"q": "zanzibar"}).text
    client.force_login(editor)
    editor_zanzibar = client.get("/search/", {"q": "zanzibar"}).text

    assert "Credits did not refresh" in agent_credits and "zanzibar" not in agent_credits
    assert "No article title matches" in agent_zanzibar
    assert "Credits zanzibar rewrite" in editor_zanzibar
