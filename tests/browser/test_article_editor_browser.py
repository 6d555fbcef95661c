import pytest
from playwright.sync_api import Page, expect

from articles.models import Article
from supportdesk.roles import EDITOR
from tests.factories import PASSWORD, ArticleFactory, UserFactory

pytestmark = pytest.mark.browser


def sign_in(page: Page, live_server, username: str) -> None:
    page.goto(live_server.url + "/accounts/login/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()


def test_editor_sees_the_preview_as_they_type_and_saves(
    page: Page, live_server, transactional_db, readme_screenshot
):
    UserFactory(username="eddie", first_name="Eddie", role=EDITOR)
    article = ArticleFactory(title="Videos are slow", body="Wait a bit.")
    sign_in(page, live_server, "eddie")

    page.goto(f"{live_server.url}/articles/{article.slug}/edit/")
    page.get_by_label("Body").fill("Videos take **30 to 60 seconds**.\n\n<script>x</script>")

    expect(page.locator("#preview strong")).to_have_text("30 to 60 seconds")
    expect(page.locator("#preview script")).to_have_count(0)
    readme_screenshot(page, "article-edit.png")
    page.get_by_label("What changed").fill("Real timings")
    page.get_by_role("button", name="Save new revision").click()

    expect(page.get_by_text("Saved revision 2.")).to_be_visible()
    assert Article.objects.get(pk=article.pk).current_revision.note == "Real timings"


def test_filters_swap_the_table_and_keep_the_url(page: Page, live_server, transactional_db):
    UserFactory(username="eddie", first_name="Eddie", role=EDITOR)
    ArticleFactory(title="Credits did not refresh")
    ArticleFactory(title="Videos are slow")
    sign_in(page, live_server, "eddie")
    page.goto(live_server.url + "/articles/")

    page.get_by_label("Search").last.fill("credits")

    expect(page.locator("#article-table tbody tr")).to_have_count(1)
    expect(page.locator("#article-table")).to_contain_text("Credits did not refresh")
    expect(page).to_have_url(
        f"{live_server.url}/articles/?q=credits&status=&category=&owner=&needs="
    )
