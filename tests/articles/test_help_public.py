"""The public help center (issue 14): anonymous pages of published revisions only."""

from io import StringIO

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from articles import services
from articles.models import Article, ArticleFeedback
from tests.factories import ArticleFactory

pytestmark = pytest.mark.django_db

TITLES = [
    "I can't log in to my account",
    "Pro models are locked after I upgraded",
    "My generation failed or produced an error",
    "My generations are very slow",
    "My credits haven't refreshed",
    "I can't find a generation I made earlier",
]


@pytest.fixture(autouse=True)
def fresh_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def imported(db, shared_page):
    call_command("import_help_center", str(shared_page), stdout=StringIO(), stderr=StringIO())


def test_anonymous_home_lists_every_published_article_of_the_shared_page(client, imported):
    response = client.get("/help/")

    assert response.status_code == 200
    for title in TITLES:
        assert title.replace("'", "&#x27;") in response.text
    assert Article.objects.published().count() == 6
    for article in Article.objects.all():
        assert f'href="/help/{article.slug}/"' in response.text


def test_the_home_is_the_seed_page_in_shape(client, imported):
    text = client.get("/help/").text

    assert text.count('<details class="answer"') == 6
    assert "<h1>Troubleshooting</h1>" in text
    # The contact section at the end, with both addresses.
    contact = text[text.index('class="help-contact"') :]
    assert "mailto:support@imagine.art" in contact and "mailto:billing@imagine.art" in contact
    # The publishing tool's own note is not for customers.
    assert "Documentation Index" not in text and "llms.txt" not in text
    # Nothing of the dashboard.
    assert 'class="sidebar"' not in text and 'class="whoami"' not in text


def test_the_page_has_its_own_address_in_the_seed_order(client, imported):
    text = client.get(reverse("help:page", args=["troubleshooting"])).text

    positions = [text.index(title.replace("'", "&#x27;")) for title in TITLES]
    assert positions == sorted(positions)
    assert "billing@imagine.art" in text


def test_search_ranks_the_credits_article_first(client, imported):
    response = client.get("/help/search/", {"q": "my credits did not refresh"})

    assert response.status_code == 200
    first = response.text.index('<ol class="hits">')
    hits = response.text[first:]
    assert hits.index("My credits haven&#x27;t refreshed") < hits.index("</li>")


def test_search_that_finds_nothing_says_what_to_do(client, imported):
    response = client.get("/help/search/", {"q": "qwertyuiop"})

    assert "No answer matches" in response.text and "/help/contact/" in response.text


def test_article_page_shows_the_published_revision_never_a_draft(client, editor):
    article = ArticleFactory(title="Reset your password", body="Click **Forgot password**.")
    services.save_revision(
        article,
        title="Reset your password DRAFTTITLE",
        body="DRAFTBODY secret plan",
        by=editor,
        base_revision=article.current_revision,
        note="INTERNALNOTE",
    )

    response = client.get(f"/help/{article.slug}/")

    assert response.status_code == 200
    assert "<strong>Forgot password</strong>" in response.text
    for hidden in ("DRAFTTITLE", "DRAFTBODY", "INTERNALNOTE", article.owner.username):
        assert hidden not in response.text
    assert f'<link rel="canonical" href="http://testserver/help/{article.slug}/">' in response.text
    assert '<meta name="description" content="Click Forgot password.">' in response.text


def test_unpublished_articles_are_not_found(client):
    draft = ArticleFactory(status=Article.Status.DRAFT)

    assert client.get(f"/help/{draft.slug}/").status_code == 404
    assert draft.title not in client.get("/help/").text


def test_article_markdown_is_sanitised(client):
    article = ArticleFactory(body="<script>alert(1)</script> [x](javascript:alert(1))")

    text = client.get(f"/help/{article.slug}/").text

    assert "<script>alert" not in text and 'href="javascript' not in text


def test_home_answers_not_modified_while_nothing_was_published(client, imported):
    first = client.get("/help/")
    assert first["Cache-Control"] == "public, max-age=60"
    assert first["Last-Modified"]

    again = client.get("/help/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304

    article = Article.objects.first()
    services.archive_article(article, by=None)
    changed = client.get("/help/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert changed.status_code == 200 and changed["ETag"] != first["ETag"]
    assert article.published_revision.title.replace("'", "&#x27;") not in changed.text


def test_home_sets_no_cookie_and_does_not_vary_by_visitor(client, imported):
    response = client.get("/help/")

    assert not response.cookies
    assert "Cookie" not in response.get("Vary", "")


def test_article_page_etag_follows_the_published_revision(client, editor):
    article = ArticleFactory(title="Slow videos", body="Wait a minute.")
    client.get(f"/help/{article.slug}/")  # the first visit sets the CSRF cookie
    first = client.get(f"/help/{article.slug}/")
    again = client.get(f"/help/{article.slug}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert again.status_code == 304

    revision = services.save_revision(
        article, title="Slow videos", body="Wait two minutes.", by=editor,
        base_revision=article.current_revision,
    )  # fmt: skip
    services.publish_article(article, by=editor, revision=revision)

    fresh = client.get(f"/help/{article.slug}/", HTTP_IF_NONE_MATCH=first["ETag"])
    assert fresh.status_code == 200 and "Wait two minutes." in fresh.text


def test_sitemap_lists_the_public_pages(client, imported):
    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    assert "<loc>http://testserver/help/</loc>" in response.text
    for article in Article.objects.all():
        assert f"<loc>http://testserver/help/{article.slug}/</loc>" in response.text
    assert client.get("/help/sitemap.xml").text == response.text


def test_a_vote_is_recorded_against_the_published_revision(client):
    article = ArticleFactory()
    client.get(f"/help/{article.slug}/")  # the CSRF cookie, as a browser gets it

    response = client.post(
        f"/help/{article.slug}/feedback/", {"helpful": "no", "comment": "Step 2 is missing"}
    )

    assert response.status_code == 200
    feedback = ArticleFeedback.objects.get()
    assert (feedback.revision, feedback.helpful, feedback.comment) == (
        article.published_revision, False, "Step 2 is missing"
    )  # fmt: skip
    assert feedback.source == "article"


def test_a_yes_keeps_no_comment(client):
    article = ArticleFactory()

    client.post(f"/help/{article.slug}/feedback/", {"helpful": "yes", "comment": "a@b.example"})

    assert ArticleFeedback.objects.get().comment == ""


def test_votes_need_a_csrf_token():
    article = ArticleFactory()
    strict = Client(enforce_csrf_checks=True)

    response = strict.post(f"/help/{article.slug}/feedback/", {"helpful": "yes"})

    assert response.status_code == 403 and not ArticleFeedback.objects.exists()


def test_votes_are_rate_limited_per_client(client):
    article = ArticleFactory()
    url = f"/help/{article.slug}/feedback/"
    for _ in range(20):
        assert client.post(url, {"helpful": "yes"}).status_code == 200

    refused = client.post(url, {"helpful": "yes"})
    other = Client(REMOTE_ADDR="203.0.113.9").post(url, {"helpful": "no"})

    assert refused.status_code == 429 and other.status_code == 200
    assert ArticleFeedback.objects.count() == 21


def test_a_vote_without_an_answer_records_nothing(client):
    article = ArticleFactory()

    response = client.post(f"/help/{article.slug}/feedback/", {"comment": "hm"})

    assert response.status_code == 400 and not ArticleFeedback.objects.exists()


def test_no_page_runs_inline_script_or_style(client, imported):
    article = Article.objects.first()
    for url in ("/help/", f"/help/{article.slug}/", "/help/search/?q=credits", "/help/contact/"):
        text = client.get(url).text
        assert "<style" not in text and " style=" not in text and "hx-on" not in text, url
        for chunk in text.split("<script")[1:]:
            assert chunk.lstrip().startswith("src="), url


def test_public_pages_take_a_constant_number_of_queries(client, django_assert_max_num_queries):
    articles = ArticleFactory.create_batch(30)
    client.get("/help/")  # the suggestion index is built once per process

    with django_assert_max_num_queries(4):
        client.get("/help/")
    cache.clear()
    with django_assert_max_num_queries(6):
        assert client.get("/help/").status_code == 200
    with django_assert_max_num_queries(2):
        client.get(f"/help/{articles[3].slug}/")
    client.get("/help/search/", {"q": "refresh the page"})
    with django_assert_max_num_queries(4):
        assert client.get("/help/search/", {"q": "refresh the page"}).status_code == 200
