"""Customers' answers about articles: "Did this answer your question?" and deflections."""

from articles.models import Article, ArticleFeedback
from articles.suggest.learning import clean_terms

COMMENT_LENGTH = 1000


def record_feedback(
    article: Article,
    *,
    helpful: bool,
    comment: str = "",
    source: str = ArticleFeedback.Source.ARTICLE,
    terms: str = "",
) -> ArticleFeedback | None:
    """Record the answer against the revision the customer read: the published
    one. None when the article has none (unpublished meanwhile)."""
    if not article.is_published:
        return None
    return ArticleFeedback.objects.create(
        article=article,
        revision_id=article.published_revision_id,
        helpful=helpful,
        # A "yes" needs no explanation; the comment box belongs to "no".
        comment="" if helpful else comment.strip()[:COMMENT_LENGTH],
        source=source,
        terms=clean_terms(terms),
    )


def record_deflection(article: Article, *, terms: str = "") -> ArticleFeedback | None:
    """The customer read the article beside the contact form and said it solved
    their problem: one ticket not written. ``terms``: what they had typed, as terms
    (the suggestions learn from it)."""
    return record_feedback(
        article, helpful=True, source=ArticleFeedback.Source.CONTACT, terms=terms
    )
