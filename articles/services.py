"""Writes to the knowledge base. Every change of text is a new immutable revision.

Edits are optimistic: a save names the revision it was based on, and if
someone else saved meanwhile it is refused with a ``Conflict`` that carries
their revision, so the caller can show both texts and lose nothing.
"""

import logging
from collections.abc import Callable
from datetime import date, timedelta

from django.contrib.auth.models import AbstractBaseUser
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from articles.models import Article, ArticleRevision, IssueCategory
from supportdesk import audit

log = logging.getLogger(__name__)
REVIEW_INTERVAL = timedelta(days=90)


class Conflict(Exception):
    """Someone saved a newer revision than the one the edit started from."""

    def __init__(self, *, theirs: ArticleRevision, base: ArticleRevision | None) -> None:
        self.theirs = theirs
        self.base = base
        super().__init__(
            f"Revision {theirs.number} was saved after revision "
            f"{base.number if base else '?'} that this edit started from."
        )


class InvalidTransition(Exception):
    """The article is not in a state that allows this step."""


# Who hears of a publication (tickets' webhooks subscribe at start-up: articles
# never import tickets). Called with the article's pk after the publish commits.
_published: list[Callable[[int], None]] = []


def on_article_published(listener: Callable[[int], None]) -> None:
    if listener not in _published:
        _published.append(listener)


def _tell(listener: Callable[[int], None], article_pk: int) -> None:
    try:
        listener(article_pk)
    except Exception:  # the publish is committed; a listener must not fail the request
        log.exception("publish listener %r failed for article %s", listener, article_pk)


# Paths under /articles/ that are pages, not articles.
RESERVED_SLUGS = {"new", "preview", "needs-review", "needs-attention", "help-center"}


def unique_slug(title: str) -> str:
    base = slugify(title)[:180] or "article"
    slug, n = base, 2
    taken = Article.objects.filter(slug__startswith=base)
    existing = set(taken.values_list("slug", flat=True)) | RESERVED_SLUGS
    while slug in existing:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _add_revision(
    article: Article, *, title: str, body: str, by: AbstractBaseUser | None, note: str
) -> ArticleRevision:
    last = article.revisions.order_by("-number").values_list("number", flat=True).first()
    revision = ArticleRevision.objects.create(
        article=article,
        number=(last or 0) + 1,
        title=title,
        body=body,
        author=by,
        note=note[:200],
    )
    article.title, article.body = title, body
    article.current_revision = revision
    article.updated_at = timezone.now()
    article.save(update_fields=["title", "body", "current_revision", "updated_at"])
    return revision


@transaction.atomic
def create_article(
    *,
    title: str,
    body: str,
    by: AbstractBaseUser | None,
    category: IssueCategory | None = None,
    owner: AbstractBaseUser | None = None,
    note: str = "",
    slug: str | None = None,
    **fields,
) -> Article:
    """A new draft article with its first revision."""
    article = Article.objects.create(
        title=title,
        body=body,
        slug=slug or unique_slug(title),
        category=category,
        owner=owner if owner is not None else by,
        **fields,
    )
    _add_revision(article, title=title, body=body, by=by, note=note or "First version")
    return article


@transaction.atomic
def save_revision(
    article: Article,
    *,
    title: str,
    body: str,
    by: AbstractBaseUser | None,
    base_revision: ArticleRevision | None,
    note: str = "",
) -> ArticleRevision:
    """Save an edit as a new revision, unless someone saved since ``base_revision``."""
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if locked.current_revision_id is not None and (
        base_revision is None or base_revision.pk != locked.current_revision_id
    ):
        raise Conflict(theirs=locked.current_revision, base=base_revision)
    revision = _add_revision(locked, title=title, body=body, by=by, note=note)
    _refresh(article, locked)
    return revision


@transaction.atomic
def restore_revision(
    article: Article,
    *,
    revision: ArticleRevision,
    by: AbstractBaseUser | None,
    base_revision: ArticleRevision | None = None,
) -> ArticleRevision:
    """Bring back an old revision's text as a new revision; history is never rewritten."""
    if revision.article_id != article.pk:
        raise ValueError("That revision belongs to another article.")
    locked = Article.objects.select_for_update().get(pk=article.pk)
    if base_revision is not None and base_revision.pk != locked.current_revision_id:
        raise Conflict(theirs=locked.current_revision, base=base_revision)
    new = _add_revision(
        locked,
        title=revision.title,
        body=revision.body,
        by=by,
        note=f"Restored revision {revision.number}",
    )
    _refresh(article, locked)
    return new


@transaction.atomic
def send_for_review(article: Article, *, by: AbstractBaseUser | None) -> Article:
    """Ask an editor to approve the current revision."""
    if reason := article.why_not_send_for_review():
        raise InvalidTransition(reason)
    article.status = Article.Status.IN_REVIEW
    article.updated_at = timezone.now()
    article.save(update_fields=["status", "updated_at"])
    return article


@transaction.atomic
def publish_article(
    article: Article,
    *,
    by: AbstractBaseUser | None,
    revision: ArticleRevision | None = None,
    today: date | None = None,
) -> Article:
    """Approve and publish ``revision`` (the current one by default); review again in 90 days."""
    revision = revision or article.current_revision
    if revision is None or revision.article_id != article.pk:
        raise InvalidTransition("There is no revision to publish.")
    today = today or timezone.localdate()
    article.published_revision = revision
    article.status = Article.Status.PUBLISHED
    article.published_at = timezone.now()
    article.review_due = today + REVIEW_INTERVAL
    article.reviewer = by
    article.updated_at = timezone.now()
    article.save(
        update_fields=[
            "published_revision",
            "status",
            "published_at",
            "review_due",
            "reviewer",
            "updated_at",
        ]
    )
    audit.record("published", by=by, target=article.title, detail=f"revision {revision.number}")
    for listener in _published:
        transaction.on_commit(lambda listener=listener: _tell(listener, article.pk))
    return article


@transaction.atomic
def confirm_review(
    article: Article, *, by: AbstractBaseUser | None, today: date | None = None
) -> Article:
    """An editor checked the published article and it is still true: due again in 90 days."""
    if not article.is_published:
        raise InvalidTransition("Only a published article can be confirmed as still true.")
    article.review_due = (today or timezone.localdate()) + REVIEW_INTERVAL
    article.reviewer = by
    article.save(update_fields=["review_due", "reviewer"])
    return article


@transaction.atomic
def archive_article(article: Article, *, by: AbstractBaseUser | None) -> Article:
    """Take an article off the help center and out of agents' reach; its history stays."""
    article.status = Article.Status.ARCHIVED
    article.updated_at = timezone.now()
    article.save(update_fields=["status", "updated_at"])
    return article


@transaction.atomic
def unarchive_article(article: Article, *, by: AbstractBaseUser | None) -> Article:
    """Back to draft; publishing it again is an editor's decision."""
    if article.status != Article.Status.ARCHIVED:
        raise InvalidTransition("Only an archived article can be brought back.")
    article.status = Article.Status.DRAFT
    article.updated_at = timezone.now()
    article.save(update_fields=["status", "updated_at"])
    return article


def _refresh(article: Article, locked: Article) -> None:
    """Copy the saved state onto the caller's instance so it does not go stale."""
    for name in ("title", "body", "current_revision", "updated_at", "status"):
        setattr(article, name, getattr(locked, name))
