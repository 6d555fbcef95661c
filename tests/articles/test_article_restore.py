import pytest
from django.urls import reverse

from articles.services import save_revision
from tests.factories import ArticleFactory


@pytest.fixture
def article(db, editor):
    article = ArticleFactory(title="Credits", body="Old advice")
    save_revision(
        article, title="Credits", body="Bad advice", by=editor,
        base_revision=article.current_revision,
    )  # fmt: skip
    return article


def restore(client, article, number, base):
    return client.post(
        reverse("articles:restore", args=[article.slug, number]), {"base_revision": base}
    )


def test_restore_makes_a_new_revision_with_the_old_text(client, editor, article):
    client.force_login(editor)

    response = restore(client, article, 1, article.current_revision_id)

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.current_revision.number == 3
    assert article.body == "Old advice"
    assert article.revisions.get(number=2).body == "Bad advice"  # history intact


def test_restore_based_on_an_old_view_is_refused(client, editor, article):
    stale = article.revisions.get(number=1).pk
    client.force_login(editor)

    response = restore(client, article, 1, stale)

    assert response.status_code == 302
    assert response["Location"] == reverse("articles:history", args=[article.slug])
    assert article.revisions.count() == 2


def test_restore_is_post_only_for_editors(client, editor, agent, article):
    url = reverse("articles:restore", args=[article.slug, 1])
    client.force_login(editor)
    assert client.get(url).status_code == 405
    client.force_login(agent)
    assert client.post(url).status_code == 403
    assert client.post(reverse("articles:restore", args=[article.slug, 99])).status_code == 403


def test_unknown_revision_is_404(client, editor, article):
    client.force_login(editor)

    assert restore(client, article, 99, article.current_revision_id).status_code == 404


def test_restoring_a_published_article_says_the_live_one_is_unchanged(client, editor, article):
    client.force_login(editor)

    response = restore(client, article, 1, article.current_revision_id)

    [message] = [str(m) for m in response.wsgi_request._messages]
    assert message == (
        "Restored revision 1 as revision 3. The live article is unchanged until you publish it."
    )
    article.refresh_from_db()
    assert article.published_revision.number == 1  # still the published one


def test_restoring_a_draft_says_nothing_about_the_live_article(client, editor, db):
    draft = ArticleFactory(status="draft", body="First")
    save_revision(
        draft, title=draft.title, body="Second", by=editor, base_revision=draft.current_revision
    )
    client.force_login(editor)

    response = restore(client, draft, 1, draft.current_revision_id)

    assert [str(m) for m in response.wsgi_request._messages] == [
        "Restored revision 1 as revision 3."
    ]
