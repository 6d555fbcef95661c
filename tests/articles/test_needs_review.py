from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from articles.models import Article
from tests.factories import ArticleFactory

URL = reverse("articles:needs_review")


def due(article, days: int) -> None:
    Article.objects.filter(pk=article.pk).update(review_due=timezone.localdate() + timedelta(days))


def test_overdue_first_oldest_first_then_due_soon(client, editor):
    recent, old, soon, later = (
        ArticleFactory(title=t) for t in ("Recent", "Old", "Soon", "Later")
    )
    due(recent, -2)
    due(old, -40)
    due(soon, 10)
    due(later, 80)
    waiting = ArticleFactory(title="Waiting", status=Article.Status.IN_REVIEW)
    client.force_login(editor)

    response = client.get(URL)

    assert [a.title for a in response.context["overdue"]] == ["Old", "Recent"]
    assert [a.title for a in response.context["due_soon"]] == ["Soon"]
    assert [a.title for a in response.context["waiting"]] == [waiting.title]
    assert response.text.index("Old") < response.text.index("Recent") < response.text.index("Soon")
    assert "Later" not in response.text


def test_empty_states_say_so(client, editor):
    client.force_login(editor)

    response = client.get(URL)

    assert "No published article is overdue" in response.text


def test_for_editors_only_and_get_only(client, editor, agent, manager):
    for user in (agent, manager):
        client.force_login(user)
        assert client.get(URL).status_code == 403
    client.force_login(editor)
    assert client.post(URL).status_code == 405


def test_query_ceiling(client, editor, django_assert_max_num_queries):
    for n in range(15):
        due(ArticleFactory(), -n)
    client.force_login(editor)

    with django_assert_max_num_queries(12):
        client.get(URL)


def test_only_editors_who_may_publish_get_the_confirm_button(client, editor):
    from django.contrib.auth.models import Permission

    due(ArticleFactory(title="Old"), -5)
    client.force_login(editor)
    button = "Reviewed: still true</button>"
    assert button in client.get(URL).text

    editor.groups.get().permissions.remove(Permission.objects.get(codename="publish_article"))
    page = client.get(URL).text

    assert button not in page and "Old" in page and ">Edit</a>" in page


def test_a_draft_sent_a_moment_ago_says_just_now(client, editor):
    article = ArticleFactory(title="Fresh", status=Article.Status.IN_REVIEW)
    client.force_login(editor)

    page = client.get(URL).text

    assert "Fresh" in page and "sent just now" in page and "0 minutes" not in page
    Article.objects.filter(pk=article.pk).update(updated_at=timezone.now() - timedelta(hours=3))
    assert "sent 3\xa0hours ago" in client.get(URL).text
