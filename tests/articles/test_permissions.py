"""Every URL of the knowledge base, every role: editors write, others read published only."""

import pytest

from articles.models import Article
from tests.factories import ArticleFactory, UserFactory
from tests.urlwalk import fill, walk

READ_PAGES = {"articles:list", "articles:detail"}


def article_routes():
    return [route for route in walk() if route.name.startswith("articles:")]


def concrete(route, article) -> str:
    values = {"slug": article.slug, "number": "1"}
    path = fill(route, lambda name, converter: values.get(name))
    if route.name == "articles:help_center_export":
        path = path.replace(article.slug, "troubleshooting")
    return path


def test_the_sweep_sees_every_article_url():
    names = {route.name for route in article_routes()}

    assert {"articles:edit", "articles:publish", "articles:restore", "articles:diff"} <= names
    assert len(names) >= 15


@pytest.mark.parametrize("route", article_routes(), ids=lambda r: r.name)
@pytest.mark.parametrize("who", ["agent", "manager", "no role"])
def test_only_editors_reach_the_editor_pages(db, client, request, route, who):
    user = UserFactory() if who == "no role" else request.getfixturevalue(who)
    article = ArticleFactory(status=Article.Status.PUBLISHED)
    before = list(Article.objects.values_list("status", "current_revision", "title"))
    client.force_login(user)
    path = concrete(route, article)

    get, post = client.get(path), client.post(path, {"title": "x", "body": "hijack"})

    if route.name in READ_PAGES and who != "no role":
        assert get.status_code == 200
        assert post.status_code == 405
    else:
        assert get.status_code in (403, 405), path
        assert post.status_code in (403, 405), path
    assert list(Article.objects.values_list("status", "current_revision", "title")) == before


@pytest.mark.parametrize("route", article_routes(), ids=lambda r: r.name)
def test_drafts_are_invisible_to_readers_on_every_url(client, agent, route):
    draft = ArticleFactory(status=Article.Status.DRAFT, title="Unfinished draft zq")
    client.force_login(agent)

    response = client.get(concrete(route, draft))

    assert response.status_code in (403, 404, 405) or "Unfinished draft zq" not in response.text
