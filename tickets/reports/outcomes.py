"""Solved tickets as lessons for the suggestions (articles.suggest.learning).

``solved_outcomes`` is registered with ``articles.suggest.learning`` at start-up
(tickets.apps), so the articles app learns from tickets without importing them.
"""

from collections import defaultdict
from collections.abc import Iterator
from datetime import datetime

from django.db.models import OuterRef, Subquery

from tickets.models import Message, Resolution, ResolutionArticle

CHUNK = 2000


def solved_outcomes() -> Iterator[tuple[datetime, str, int | None, str]]:
    """(solved at, subject and the customer's first message, the article that solved
    it or None, inbox slug), oldest first: one per article of a resolution by article,
    one with None for a ticket solved without an article (a content gap, or nothing
    to answer). A resolution that did not hold (reopened) teaches nothing."""
    first_words = (
        Message.objects.filter(ticket=OuterRef("ticket_id"), kind=Message.Kind.CUSTOMER)
        .order_by("created_at", "id")
        .values("body_text")[:1]
    )
    resolutions = (
        Resolution.objects.filter(reopened_at__isnull=True)
        .order_by("solved_at", "id")
        .values_list("id", "kind", "solved_at", "ticket__subject", "inbox__slug")
        .annotate(words=Subquery(first_words))
    )
    batch: list[tuple] = []
    for row in resolutions.iterator(chunk_size=CHUNK):
        batch.append(row)
        if len(batch) == CHUNK:
            yield from _outcomes(batch)
            batch = []
    yield from _outcomes(batch)


def _outcomes(rows: list[tuple]) -> Iterator[tuple[datetime, str, int | None, str]]:
    by_article = [pk for pk, kind, *_ in rows if kind == Resolution.Kind.ARTICLE]
    articles: dict[int, list[int]] = defaultdict(list)
    for resolution_id, article_id in ResolutionArticle.objects.filter(
        resolution_id__in=by_article
    ).values_list("resolution_id", "article_id"):
        if article_id not in articles[resolution_id]:
            articles[resolution_id].append(article_id)
    for pk, kind, solved_at, subject, inbox, words in rows:
        text = f"{subject}\n{words or ''}"
        if kind == Resolution.Kind.ARTICLE:
            for article_id in articles.get(pk, ()):
                yield solved_at, text, article_id, inbox
        else:
            yield solved_at, text, None, inbox
