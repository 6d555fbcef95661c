from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory, IssueCategoryFactory, TicketFactory, UserFactory
from tickets.resolution import link_article, solve_ticket

URL = reverse("articles:list")


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
    return client


def titles(response) -> list[str]:
    return [row.article.title for row in response.context["page"].object_list]


def test_editor_sees_every_article_with_status_and_owner(editor_client, editor):
    ArticleFactory(title="Published one", owner=editor)
    ArticleFactory(title="Draft one", status=Article.Status.DRAFT)

    response = editor_client.get(URL)

    assert response.status_code == 200
    assert set(titles(response)) == {"Published one", "Draft one"}
    assert "Draft" in response.text and editor.first_name in response.text


def test_filters_combine_and_stay_in_the_url(editor_client, editor):
    credits = IssueCategoryFactory(slug="credits")
    ArticleFactory(title="Credits did not refresh", category=credits, owner=editor)
    ArticleFactory(title="Credits missing", category=credits, status=Article.Status.DRAFT)
    ArticleFactory(title="Video failed")

    response = editor_client.get(URL, {"category": "credits", "status": "published"})

    assert titles(response) == ["Credits did not refresh"]
    assert 'value="credits" selected' in response.text


def test_owner_and_needs_review_filters(editor_client, editor):
    mine = ArticleFactory(title="Mine", owner=editor)
    ArticleFactory(title="Not mine")
    Article.objects.filter(pk=mine.pk).update(review_due=timezone.localdate() - timedelta(days=3))

    assert titles(editor_client.get(URL, {"owner": editor.pk})) == ["Mine"]
    assert titles(editor_client.get(URL, {"needs": "review"})) == ["Mine"]


def test_search_matches_title_and_body(editor_client):
    ArticleFactory(title="Pro models are locked", body="Upgrade took effect?")
    ArticleFactory(title="Gallery is empty", body="Deleted generations cannot come back.")

    assert titles(editor_client.get(URL, {"q": "locked"})) == ["Pro models are locked"]
    assert titles(editor_client.get(URL, {"q": "deleted generations"})) == ["Gallery is empty"]


def test_htmx_filter_swaps_only_the_table(editor_client):
    ArticleFactory(title="Slow videos")

    response = editor_client.get(
        URL, {"q": "slow"}, headers={"HX-Request": "true", "HX-Target": "article-table"}
    )

    assert response.text.lstrip().startswith('<div id="article-table"')
    assert "Slow videos" in response.text
    assert "<html" not in response.text


def test_agents_read_published_articles_only(client, agent):
    ArticleFactory(title="Published one")
    ArticleFactory(title="Secret draft", status=Article.Status.DRAFT)
    client.force_login(agent)

    response = client.get(URL, {"status": "draft"})  # the filter is not theirs to use

    assert titles(response) == ["Published one"]
    assert "Secret draft" not in response.text
    assert "New article" not in response.text


def test_rates_come_from_tickets_the_editor_may_see(editor_client, editor, general_inbox, agent):
    article = ArticleFactory(title="Fix that works")
    general_inbox.members.add(agent, editor)
    for _ in range(2):
        ticket = TicketFactory(inbox=general_inbox, status="open")
        link = link_article(ticket, article=article, by=agent)
        solve_ticket(ticket, kind="article", links=[link], by=agent)
    TicketFactory(inbox=general_inbox)

    response = editor_client.get(URL)

    figures = response.context["page"].object_list[0].figures
    assert figures.linked == 2 and figures.resolution_rate == 1.0
    assert "100 %" in response.text


def test_wrong_method_is_refused(editor_client):
    assert editor_client.post(URL).status_code == 405


def test_query_count_stays_flat_as_articles_grow(
    editor_client, django_assert_max_num_queries, general_inbox, editor
):
    general_inbox.members.add(editor)  # figures come from the inboxes the editor may see
    ArticleFactory.create_batch(3, owner=editor)
    with django_assert_max_num_queries(14) as few:
        editor_client.get(URL)
    owners = UserFactory.create_batch(3)
    for owner in owners:
        ArticleFactory.create_batch(10, owner=owner, category=IssueCategoryFactory(slug="credits"))

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = editor_client.get(URL)

    assert len(response.context["page"].object_list) == 33


def test_a_bad_filter_is_reported_and_the_others_still_apply(editor_client):
    ArticleFactory(title="Credits did not refresh")
    ArticleFactory(title="Videos are slow")

    response = editor_client.get(URL, {"owner": "999999", "q": "credits"})

    assert titles(response) == ["Credits did not refresh"]
    assert "Select a valid choice" in response.text


def test_readers_do_not_find_articles_by_unpublished_words(client, agent, editor):
    from articles.services import save_revision

    article = ArticleFactory(title="Gallery", body="Open your gallery.")
    save_revision(
        article, title="Gallery", body="zanzibar secret plan", by=editor,
        base_revision=article.current_revision,
    )  # fmt: skip
    client.force_login(agent)

    assert titles(client.get(URL, {"q": "zanzibar"})) == []
    assert titles(client.get(URL, {"q": "open gallery"})) == ["Gallery"]


def test_readers_see_the_published_title_not_an_unpublished_one(client, agent, editor):
    from articles.services import save_revision

    article = ArticleFactory(title="Gallery is empty")
    save_revision(
        article, title="Zanzibar gallery rewrite", body=article.body, by=editor,
        base_revision=article.current_revision,
    )  # fmt: skip
    client.force_login(agent)

    page = client.get(URL).text

    assert "Gallery is empty" in page and "Zanzibar" not in page
    assert client.get(URL, {"q": "zanzibar"}).context["page"].object_list == []


def test_reader_query_count_stays_flat_as_articles_grow(
    client, agent, django_assert_max_num_queries
):
    client.force_login(agent)
    ArticleFactory.create_batch(3)
    with django_assert_max_num_queries(12) as few:
        client.get(URL)
    ArticleFactory.create_batch(20)

    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(URL)

    assert len(response.context["page"].object_list) == 23
