from datetime import date, timedelta

import pytest

from articles.models import Article, ArticleRevision
from articles.services import (
    Conflict,
    InvalidTransition,
    archive_article,
    confirm_review,
    create_article,
    publish_article,
    restore_revision,
    save_revision,
    send_for_review,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def article(editor):
    return create_article(title="Videos fail at 90%", body="Try again.", by=editor)


def test_a_new_article_is_a_draft_with_revision_one(article, editor):
    revision = article.current_revision

    assert article.status == Article.Status.DRAFT
    assert (revision.number, revision.title, revision.body) == (1, article.title, "Try again.")
    assert revision.author == editor and article.owner == editor
    assert article.slug == "videos-fail-at-90"


def test_every_save_is_a_new_numbered_revision(article, editor):
    second = save_revision(
        article, title="Videos fail", body="Two", by=editor, base_revision=article.current_revision
    )
    third = save_revision(
        article, title="Videos fail", body="Three", by=editor, base_revision=second
    )

    assert [r.number for r in article.revisions.order_by("number")] == [1, 2, 3]
    article.refresh_from_db()
    assert article.current_revision == third and article.body == "Three"
    assert ArticleRevision.objects.get(article=article, number=1).body == "Try again."


def test_revisions_cannot_be_changed_or_deleted(article):
    revision = article.current_revision
    revision.body = "rewritten history"

    with pytest.raises(ValueError, match="immutable"):
        revision.save()
    with pytest.raises(ValueError, match="never deleted"):
        revision.delete()
    revision.refresh_from_db()
    assert revision.body == "Try again."


def test_a_save_based_on_an_old_revision_is_refused_with_theirs(article, editor):
    base = article.current_revision
    theirs = save_revision(
        article, title=article.title, body="Theirs", by=editor, base_revision=base
    )
    stale = Article.objects.get(pk=article.pk)

    with pytest.raises(Conflict) as caught:
        save_revision(stale, title=article.title, body="Mine", by=editor, base_revision=base)

    assert caught.value.theirs == theirs and caught.value.base == base
    assert article.revisions.count() == 2
    assert Article.objects.get(pk=article.pk).body == "Theirs"


def test_restore_brings_an_old_text_back_as_a_new_revision(article, editor):
    first = article.current_revision
    second = save_revision(article, title="Other", body="Changed", by=editor, base_revision=first)

    restored = restore_revision(article, revision=first, by=editor, base_revision=second)

    assert restored.number == 3 and restored.body == "Try again." and restored.title == first.title
    assert restored.note == "Restored revision 1"
    assert article.revisions.count() == 3


def test_restore_refuses_a_revision_of_another_article(article, editor):
    other = create_article(title="Other", body="x", by=editor)

    with pytest.raises(ValueError):
        restore_revision(article, revision=other.current_revision, by=editor)


def test_review_then_publish_sets_review_due_ninety_days_on(article, editor):
    send_for_review(article, by=editor)
    assert article.status == Article.Status.IN_REVIEW

    publish_article(article, by=editor, today=date(2026, 1, 10))

    article.refresh_from_db()
    assert article.status == Article.Status.PUBLISHED
    assert article.published_revision == article.current_revision
    assert article.review_due == date(2026, 4, 10)
    assert article.reviewer == editor


def test_published_text_stays_readable_while_the_next_revision_is_reviewed(article, editor):
    publish_article(article, by=editor)
    published = article.published_revision
    save_revision(article, title=article.title, body="New", by=editor, base_revision=published)
    send_for_review(article, by=editor)

    assert Article.objects.published().filter(pk=article.pk).exists()
    assert Article.objects.get(pk=article.pk).published_revision == published


def test_nothing_to_review_when_the_current_revision_is_published(article, editor):
    publish_article(article, by=editor)

    with pytest.raises(InvalidTransition):
        send_for_review(article, by=editor)


def test_archived_articles_are_not_published_any_more(article, editor):
    publish_article(article, by=editor)

    archive_article(article, by=editor)

    assert not Article.objects.published().filter(pk=article.pk).exists()
    assert article.revisions.count() == 1


def test_needs_review_lists_overdue_published_articles(article, editor):
    publish_article(article, by=editor, today=date.today() - timedelta(days=100))
    assert list(Article.objects.needs_review()) == [article]

    confirm_review(article, by=editor)

    assert not Article.objects.needs_review().exists()


def test_an_article_already_in_review_is_not_sent_again(article, editor):
    send_for_review(article, by=editor)
    sent_at = Article.objects.get(pk=article.pk).updated_at

    assert not article.can_send_for_review
    with pytest.raises(InvalidTransition, match="already waiting"):
        send_for_review(article, by=editor)
    assert Article.objects.get(pk=article.pk).updated_at == sent_at
