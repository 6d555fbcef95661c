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


def test_a_link_prefills_title_body_and_category(client, editor):
    """The reports' "Draft an article" link (tickets.reports.tables.gap_draft_url)."""
    credits = IssueCategoryFactory(slug="credits", name="Credits")
    client.force_login(editor)

    response = client.get(
        URL, {"title": "Credits vanished", "body": "Customers asked:\n\n- Credits vanished",
              "category": "credits"},
    )  # fmt: skip

    form = response.context["form"]
    assert response.status_code == 200
    assert form["title"].value() == "Credits vanished"
    assert form["body"].value() == "Customers asked:\n\n- Credits vanished"
    assert form["category"].value() == credits.pk
    assert "<li>Credits vanished</li>" in response.text  # the preview too
    assert not Article.objects.exists()


def test_an_unknown_category_in_the_link_is_left_blank(client, editor):
    client.force_login(editor)

    form = client.get(URL, {"title": "Odd one", "category": "no-such"}).context["form"]

    assert form["title"].value() == "Odd one" and form["category"].value() is None


def test_the_link_parameters_do_not_change_what_is_posted(client, editor):
    client.force_login(editor)

    client.post(
        URL + "?title=From+the+link&category=credits", {"title": "Typed title", "body": "Mine"}
    )

    article = Article.objects.get()
    assert (article.title, article.body, article.category) == ("Typed title", "Mine", None)
