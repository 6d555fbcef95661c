import pytest

from articles.models import Article
from articles.services import save_revision
from tests.factories import ArticleFactory


@pytest.fixture
def published(db):
    return ArticleFactory(title="Credits did not refresh", body="**Check** the renewal date.")


def test_agent_reads_the_published_text_rendered(client, agent, published):
    client.force_login(agent)

    response = client.get(published.get_absolute_url())

    assert response.status_code == 200
    assert "<strong>Check</strong> the renewal date." in response.text
    assert "Edit</a>" not in response.text


def test_managers_read_published_articles_too(client, manager, published):
    client.force_login(manager)

    assert client.get(published.get_absolute_url()).status_code == 200


def test_drafts_do_not_exist_for_agents_and_managers(client, agent, manager):
    draft = ArticleFactory(status=Article.Status.DRAFT)
    for user in (agent, manager):
        client.force_login(user)

        assert client.get(draft.get_absolute_url()).status_code == 404


def test_agents_see_the_published_revision_not_the_newer_draft(client, agent, editor, published):
    save_revision(
        published,
        title=published.title,
        body="Unreviewed new text",
        by=editor,
        base_revision=published.current_revision,
    )
    client.force_login(agent)

    response = client.get(published.get_absolute_url())

    assert "Unreviewed new text" not in response.text
    assert "renewal date" in response.text


def test_editor_sees_the_latest_revision_and_the_workflow(client, editor, published):
    save_revision(
        published, title=published.title, body="New text", by=editor,
        base_revision=published.current_revision,
    )  # fmt: skip
    client.force_login(editor)

    response = client.get(published.get_absolute_url())

    assert "New text" in response.text
    assert "not yet published" in response.text
    assert "Approve &amp; publish revision 2" in response.text


def test_a_body_with_markup_is_shown_safely(client, agent):
    article = ArticleFactory(body="<script>alert(1)</script> [x](javascript:alert(2))")
    client.force_login(agent)

    response = client.get(article.get_absolute_url())

    assert "<script>alert(1)" not in response.text
    assert 'href="javascript' not in response.text


def test_wrong_method_and_unknown_slug(client, agent, published):
    client.force_login(agent)

    assert client.post(published.get_absolute_url()).status_code == 405
    assert client.get("/articles/no-such-article/").status_code == 404
