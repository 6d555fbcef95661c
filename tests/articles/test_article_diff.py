import pytest
from django.urls import reverse

from articles.diffing import diff_lines
from articles.services import save_revision
from tests.factories import ArticleFactory


@pytest.fixture
def article(db, editor):
    article = ArticleFactory(title="Title one", body="Line one\nLine two\nLine three")
    save_revision(
        article, title="Title two", body="Line one\nLine 2 <b>bold</b>\nLine three",
        by=editor, base_revision=article.current_revision,
    )  # fmt: skip
    return article


def test_diff_shows_removed_and_added_lines(client, editor, article):
    client.force_login(editor)

    response = client.get(reverse("articles:diff", args=[article.slug]), {"a": 2, "b": 1})

    assert response.status_code == 200
    assert '<del><span class="visually-hidden">removed: </span>Line two</del>' in response.text
    assert "Line 2 &lt;b&gt;bold&lt;/b&gt;" in response.text  # escaped, never markup
    assert "<del>Title one</del> <ins>Title two</ins>" in response.text
    assert "1 line added, 1 removed" in response.text


def test_diff_lines_keeps_context_and_marks_gaps():
    old = "\n".join(f"line {n}" for n in range(20))
    new = old.replace("line 2\n", "line two\n").replace("line 17", "line seventeen")

    kinds = [line.kind for line in diff_lines(old, new, context=1)]

    assert kinds.count("gap") == 1
    assert kinds.count("added") == 2 and kinds.count("removed") == 2


def test_missing_or_bad_numbers(client, editor, article):
    client.force_login(editor)
    url = reverse("articles:diff", args=[article.slug])

    assert client.get(url, {"a": "x", "b": 1}).status_code == 302
    assert client.get(url, {"a": 1, "b": 9}).status_code == 404


def test_diff_is_for_editors(client, agent, article):
    client.force_login(agent)

    response = client.get(reverse("articles:diff", args=[article.slug]), {"a": 1, "b": 2})

    assert response.status_code == 403
