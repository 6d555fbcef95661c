"""/api/v1/articles/: published for everyone; editors write through articles.services."""

from django.contrib.auth.models import Group

from articles.models import Article
from supportdesk.roles import EDITOR
from tests.factories import ArticleFactory, UserFactory


def test_readers_see_published_articles_only(agent, api_client_for):
    published = ArticleFactory(title="Credits did not refresh")
    draft = ArticleFactory(status=Article.Status.DRAFT, title="Secret draft")
    client = api_client_for(agent)

    listed = client.get("/api/v1/articles/").json()["results"]

    assert [row["slug"] for row in listed] == [published.slug]
    assert client.get(f"/api/v1/articles/{draft.slug}/").status_code == 404
    one = client.get(f"/api/v1/articles/{published.slug}/").json()
    assert one["body"] == published.body and "current_revision" not in one


def test_readers_never_see_unpublished_text(agent, editor, api_client_for):
    article = ArticleFactory(title="Refunds")
    editor_client = api_client_for(editor)
    saved = editor_client.post_json(
        f"/api/v1/articles/{article.slug}/revisions/",
        {"title": "Refunds v2", "body": "unreleased words", "base_revision": 1},
    )
    assert saved.status_code == 201

    seen = api_client_for(agent).get(f"/api/v1/articles/{article.slug}/").json()
    found = api_client_for(agent).get("/api/v1/articles/?q=unreleased").json()["results"]

    assert seen["title"] == "Refunds" and "unreleased" not in str(seen)
    assert found == []


def test_editor_creates_revises_sends_for_review_and_publishes(editor, api_client_for):
    Group.objects.get(name=EDITOR)  # the migration's group carries publish_article
    client = api_client_for(editor)

    created = client.post_json(
        "/api/v1/articles/", {"title": "Stuck generation", "body": "Wait 5 minutes."}
    )
    slug = created.json()["slug"]
    revised = client.post_json(
        f"/api/v1/articles/{slug}/revisions/",
        {"title": "Stuck generation", "body": "Wait 10 minutes.", "base_revision": 1},
    )
    review = client.post_json(f"/api/v1/articles/{slug}/review/")
    published = client.post_json(f"/api/v1/articles/{slug}/publish/")

    assert created.status_code == 201 and created.json()["status"] == "draft"
    assert revised.json()["number"] == 2
    assert review.json()["status"] == "in_review"
    assert published.status_code == 200, published.json()
    article = Article.objects.get(slug=slug)
    assert article.status == "published" and article.published_revision.number == 2


def test_a_save_from_an_old_revision_is_refused_with_theirs(editor, api_client_for):
    article = ArticleFactory()
    client = api_client_for(editor)
    first = client.post_json(
        f"/api/v1/articles/{article.slug}/revisions/",
        {"title": article.title, "body": "Theirs", "base_revision": 1},
    )

    late = client.post_json(
        f"/api/v1/articles/{article.slug}/revisions/",
        {"title": article.title, "body": "Mine", "base_revision": 1},
    )

    assert first.status_code == 201
    assert late.status_code == 409
    assert late["Content-Type"] == "application/problem+json"
    assert late.json()["current_revision"]["body"] == "Theirs"
    assert article.revisions.count() == 2


def test_review_twice_is_a_conflict(editor, api_client_for):
    article = ArticleFactory(status=Article.Status.DRAFT)
    client = api_client_for(editor)

    client.post_json(f"/api/v1/articles/{article.slug}/review/")
    again = client.post_json(f"/api/v1/articles/{article.slug}/review/")

    assert again.status_code == 409
    assert "already" in again.json()["detail"]


def test_agents_cannot_write_articles(agent, api_client_for):
    article = ArticleFactory()
    client = api_client_for(agent)

    assert client.post_json("/api/v1/articles/", {"title": "x", "body": "y"}).status_code == 403
    assert client.post_json(f"/api/v1/articles/{article.slug}/publish/").status_code == 403


def test_editor_without_publish_permission_cannot_publish(api_client_for):
    editor = UserFactory(role=EDITOR)
    Group.objects.get(name=EDITOR).permissions.filter(codename="publish_article").delete()
    article = ArticleFactory(status=Article.Status.DRAFT)

    response = api_client_for(editor).post_json(f"/api/v1/articles/{article.slug}/publish/")

    assert response.status_code == 403


def test_article_pages(agent, api_client_for):
    ArticleFactory.create_batch(51)
    client = api_client_for(agent)

    first = client.get("/api/v1/articles/").json()
    second = client.get(first["next"]).json()

    assert len(first["results"]) == 50 and len(second["results"]) == 1
    assert client.get("/api/v1/articles/?page=9").status_code == 404
    assert client.get("/api/v1/articles/?page=x").status_code == 400
