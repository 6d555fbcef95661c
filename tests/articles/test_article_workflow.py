"""Send for review, approve & publish, confirm a review, archive: POST-only, editors only."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from articles.services import save_revision
from tests.factories import ArticleFactory


@pytest.fixture
def draft(db):
    return ArticleFactory(status=Article.Status.DRAFT)


def url(name: str, article) -> str:
    return reverse(f"articles:{name}", args=[article.slug])


def test_send_for_review_then_publish(client, editor, draft):
    client.force_login(editor)

    response = client.post(url("send_for_review", draft), follow=True)
    assert "waiting for an editor" in response.text
    draft.refresh_from_db()
    assert draft.status == Article.Status.IN_REVIEW

    response = client.post(url("publish", draft), follow=True)

    draft.refresh_from_db()
    assert draft.status == Article.Status.PUBLISHED
    assert draft.published_revision == draft.current_revision
    assert draft.review_due == timezone.localdate() + timedelta(days=90)
    assert "Published revision 1" in response.text


def test_sending_a_published_revision_for_review_says_why_not(client, editor):
    article = ArticleFactory()
    client.force_login(editor)

    response = client.post(url("send_for_review", article), follow=True)

    assert "already published" in response.text
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_publishing_a_newer_revision_keeps_the_old_one(client, editor):
    article = ArticleFactory()
    first = article.current_revision
    second = save_revision(article, title="New", body="New body", by=editor, base_revision=first)
    client.force_login(editor)

    client.post(url("publish", article))

    article.refresh_from_db()
    assert article.published_revision == second
    assert article.revisions.count() == 2


def test_confirming_a_review_moves_the_due_date(client, editor):
    article = ArticleFactory()
    Article.objects.filter(pk=article.pk).update(
        review_due=timezone.localdate() - timedelta(days=5)
    )
    client.force_login(editor)

    response = client.post(url("confirm_review", article), {"next_page": "needs_review"})

    assert response["Location"] == reverse("articles:needs_review")
    assert Article.objects.get(pk=article.pk).review_due == timezone.localdate() + timedelta(
        days=90
    )


def test_archive_hides_it_from_agents_and_can_be_undone(client, editor, agent):
    article = ArticleFactory()
    client.force_login(editor)

    client.post(url("archive", article))
    assert Article.objects.get(pk=article.pk).status == Article.Status.ARCHIVED
    client.force_login(agent)
    assert client.get(article.get_absolute_url()).status_code == 404

    client.force_login(editor)
    client.post(url("archive", article))
    assert Article.objects.get(pk=article.pk).status == Article.Status.DRAFT


@pytest.mark.parametrize("name", ["send_for_review", "publish", "confirm_review", "archive"])
def test_get_is_refused(client, editor, draft, name):
    client.force_login(editor)

    assert client.get(url(name, draft)).status_code == 405


@pytest.mark.parametrize("name", ["send_for_review", "publish", "confirm_review", "archive"])
@pytest.mark.parametrize("role_user", ["agent", "manager"])
def test_only_editors_move_articles(db, client, request, role_user, name):
    article = ArticleFactory()
    client.force_login(request.getfixturevalue(role_user))

    assert client.post(url(name, article)).status_code == 403
    assert Article.objects.get(pk=article.pk).status == Article.Status.PUBLISHED


def test_an_editor_without_the_publish_permission_cannot_publish(client, editor, draft):
    from django.contrib.auth.models import Permission

    group = editor.groups.get()
    group.permissions.remove(Permission.objects.get(codename="publish_article"))
    client.force_login(editor)

    assert client.post(url("publish", draft)).status_code == 403
    assert Article.objects.get(pk=draft.pk).published_revision is None


def test_the_send_button_shows_exactly_when_sending_is_allowed(client, editor, draft):
    client.force_login(editor)
    button = ">Send for review</button>"

    assert button in client.get(url("detail", draft)).text
    assert button in client.get(url("edit", draft)).text
    response = client.post(url("send_for_review", draft), follow=True)
    assert button not in response.text and button not in client.get(url("edit", draft)).text

    response = client.post(url("send_for_review", draft), follow=True)

    assert "already waiting" in response.text
