"""Which published articles answer a customer's message (issue 5).

The interface the ticket page and ``eval_suggestions`` use; the matching itself
is being built on the ``suggest`` branch.
"""

from dataclasses import dataclass

from articles.models import Article


@dataclass(frozen=True)
class Suggestion:
    article: Article
    score: float
    # Why it matched: the words shared with the message, and the best passage.
    terms: tuple[str, ...] = ()
    passage: str = ""


def suggest_articles(
    text: str, *, inbox_slug: str | None = None, limit: int = 3
) -> list[Suggestion]:
    """The published articles that best answer ``text``, best first; empty when
    none matches well enough."""
    return []


def search_articles(query: str, *, limit: int = 10) -> list[Article]:
    """Published articles for the picker's search box, best first."""
    return list(Article.objects.published().filter(title__icontains=query.strip())[:limit])
