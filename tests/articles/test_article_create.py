import pytest
from django.urls import reverse

from articles.models import Article
from tests.factories import IssueCategoryFactory

URL = reverse("articles:create")


def test_editor_creates_a_draft_with_revision_one(client, editor):
    client.force_login(editor)

    response = client.post(
        URL, {"title": "Videos stop at 90%", "body": "1. Try again\r\n2. Wait", "owner": editor.pk}
    )

    article = Article.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("articles:edit", args=[article.slug])
    assert article.status == Article.Status.DRAFT
    assert article.current_revision.number == 1
    assert article.body == "1. Try again\n2. Wait"


def test_missing_title_keeps_what_was_typed(client, editor):
    client.force_login(editor)

    response = client.post(URL, {"title": "  ", "body": "My careful text"})

    assert response.status_code == 200
    assert "This field is required" in response.text or "Give the article a title" in response.text
    assert "My careful text" in response.text
    assert not Article.objects.exists()


def test_the_form_renders_with_preview_and_categories(client, editor):
    IssueCategoryFactory(slug="credits", name="Credits")
    client.force_login(editor)

    response = client.get(URL)

    assert response.status_code == 200
    assert 'id="preview"' in response.text
    assert ">Credits</option>" in response.text


@pytest.mark.parametrize("role_user", ["agent", "manager"])
def test_only_editors_create(client, request, role_user):
    client.force_login(request.getfixturevalue(role_user))

    assert client.get(URL).status_code == 403
    assert client.post(URL, {"title": "x", "body": "y"}).status_code == 403
    assert not Article.objects.exists()


def test_wrong_method(client, editor):
    client.force_login(editor)

    assert client.put(URL).status_code == 405
