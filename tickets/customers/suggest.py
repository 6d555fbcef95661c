"""What the account context adds to the ticket's suggestions: one small rule.

When the renewal date passed and the credits were not refreshed since, the
credits article (``CREDITS_ARTICLE_SLUG``) comes first, whatever the words
matched: that is almost surely the customer's problem.
"""

from django.conf import settings

from articles.models import Article
from articles.suggest.ranking import Suggestion
from tickets.models import CustomerContext

REASON = "Renewal date passed and the credits did not refresh (account context)."


def boost_for_account(
    suggestions: list[Suggestion], context: CustomerContext | None
) -> list[Suggestion]:
    if context is None or not context.credits_overdue():
        return suggestions
    slug = settings.CREDITS_ARTICLE_SLUG
    found = [s for s in suggestions if s.article.slug == slug]
    if found:
        first = found[0]
    else:
        article = (
            Article.objects.published()
            .select_related("published_revision", "category")
            .filter(slug=slug)
            .first()
        )
        if article is None:
            return suggestions
        first = Suggestion(article=article, score=1.0, terms=("account",), passage=REASON)
    rest = [s for s in suggestions if s.article.slug != slug]
    return [first, *rest]
