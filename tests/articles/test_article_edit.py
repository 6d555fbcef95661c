import pytest
from django.urls import reverse

from articles.models import Article
from articles.services import save_revision
from tests.factories import ArticleFactory, IssueCategoryFactory


@pytest.fixture
def article(db):
    return ArticleFactory(title="Pro models locked", body="Refresh the page.")


def edit_url(article) -> str:
    return reverse("articles:edit", args=[article.slug])


def form_data(article, **changes) -> dict:
    data = {
        "title": article.title,
        "body": article.body,
        "category": article.category_id or "",
        "owner": article.owner_id or "",
        "note": "",
        "base_revision": article.current_revision_id,
    }
    return {**data, **changes}


def test_the_editor_starts_from_the_current_revision(client, editor, article):
    client.force_login(editor)

    response = client.get(edit_url(article))

    assert response.status_code == 200
    assert f'name="base_revision" value="{article.current_revision_id}"' in response.text
    assert "Editing from revision 1" in response.text
    assert "<p>Refresh the page.</p>" in response.text  # the preview, rendered


def test_saving_makes_a_new_revision_with_the_note(client, editor, article):
    client.force_login(editor)

    response = client.post(
        edit_url(article), form_data(article, body="Sign out and in.", note="Clearer step")
    )

    assert response.status_code == 302
    article.refresh_from_db()
    assert article.current_revision.number == 2
    assert article.current_revision.note == "Clearer step"
    assert article.current_revision.author == editor
    assert article.published_revision.number == 1  # publishing is a separate step


def test_changing_only_details_makes_no_revision(client, editor, article):
    client.force_login(editor)
    credits = IssueCategoryFactory(slug="credits")

    client.post(edit_url(article), form_data(article, category=credits.pk))

    article.refresh_from_db()
    assert article.category == credits
    assert article.revisions.count() == 1


def test_a_stale_save_is_refused_and_shows_both_texts(client, editor, article):
    base = article.current_revision
    save_revision(article, title=article.title, body="Their words", by=editor, base_revision=base)
    client.force_login(editor)

    response = client.post(
        edit_url(article), form_data(article, body="My own words", base_revision=base.pk)
    )

    assert response.status_code == 409
    assert "someone saved a newer revision" in response.text
    assert "Their words" in response.text
    assert ">My own words</textarea>" in response.text  # kept in the editor
    assert '<ins><span class="visually-hidden">yours: </span>My own words</ins>' in response.text
    assert article.revisions.count() == 2
    # Saving again after seeing theirs is deliberate: the form now carries their revision.
    theirs = article.revisions.get(number=2)
    assert f'name="base_revision" value="{theirs.pk}"' in response.text


def test_after_the_conflict_saving_again_succeeds(client, editor, article):
    base = article.current_revision
    theirs = save_revision(
        article, title=article.title, body="Theirs", by=editor, base_revision=base
    )
    client.force_login(editor)

    client.post(edit_url(article), form_data(article, body="Mine", base_revision=theirs.pk))

    article.refresh_from_db()
    assert article.body == "Mine" and article.current_revision.number == 3


def test_invalid_input_keeps_the_text(client, editor, article):
    client.force_login(editor)

    response = client.post(edit_url(article), form_data(article, title="", body="Keep me"))

    assert response.status_code == 400
    assert "Keep me" in response.text
    assert article.revisions.count() == 1


def test_live_preview_renders_and_sanitises(client, editor):
    client.force_login(editor)

    response = client.post(
        reverse("articles:preview"),
        {"body": "**bold** <img src=x onerror=alert(1)>"},
        headers={"HX-Request": "true"},
    )

    assert response.status_code == 200
    assert response.text.lstrip().startswith('<div id="preview"')
    assert "<strong>bold</strong>" in response.text
    assert "<img" not in response.text


def test_preview_is_post_only_and_for_editors(client, editor, agent):
    client.force_login(editor)
    assert client.get(reverse("articles:preview")).status_code == 405
    client.force_login(agent)
    assert client.post(reverse("articles:preview"), {"body": "x"}).status_code == 403


@pytest.mark.parametrize("role_user", ["agent", "manager"])
def test_only_editors_edit(client, request, role_user, article):
    client.force_login(request.getfixturevalue(role_user))

    assert client.get(edit_url(article)).status_code == 403
    assert client.post(edit_url(article), form_data(article, body="hijack")).status_code == 403
    assert Article.objects.get(pk=article.pk).body == "Refresh the page."
