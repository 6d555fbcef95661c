"""Articles that need attention: their recent resolutions keep failing to hold.

An article is flagged when, among its last ``ATTENTION_LAST_N`` decided
resolutions (reopened inside the hold window, or past it), at least
``ATTENTION_MIN_DECIDED`` are decided and the share reopened reaches
``ATTENTION_FAIL_PERCENT``. Only tickets of inboxes the viewer may see count.
"""

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import connection
from django.utils import timezone

from articles.figures import ArticleFigures, RevisionFigures
from tickets.models import Inbox, Resolution, Ticket
from tickets.reports.measures import article_measures
from tickets.resolution import hold_window


@dataclass(frozen=True)
class Attention:
    article_id: int
    decided: int
    failed: int
    reopened_resolution_ids: tuple[int, ...]

    @property
    def fail_rate(self) -> float:
        return self.failed / self.decided if self.decided else 0.0

    @property
    def flagged(self) -> bool:
        return (
            self.decided >= settings.ATTENTION_MIN_DECIDED
            and self.fail_rate * 100 >= settings.ATTENTION_FAIL_PERCENT
        )


RECENT_SQL = """
SELECT article_id, resolution_id, reopened FROM (
    SELECT l.article_id, r.id AS resolution_id,
           CASE WHEN r.reopened_at IS NULL THEN 0 ELSE 1 END AS reopened,
           ROW_NUMBER() OVER (
               PARTITION BY l.article_id ORDER BY r.solved_at DESC, r.id DESC
           ) AS position
    FROM tickets_resolution r
    JOIN tickets_resolution_links rl ON rl.resolution_id = r.id
    JOIN tickets_articlelink l ON l.id = rl.articlelink_id
    WHERE l.article_id IN ({articles}) AND r.inbox_id IN ({inboxes})
      AND (r.reopened_at IS NOT NULL OR r.solved_at <= %s)
) recent
WHERE position <= %s
"""


def recent_outcomes(
    *, article_ids: list[int], inbox_ids: list[int], now: datetime | None = None
) -> dict[int, Attention]:
    """The last N decided resolutions of each article, in one query."""
    if not article_ids or not inbox_ids:
        return {}
    now = now or timezone.now()
    sql = RECENT_SQL.format(
        articles=", ".join(["%s"] * len(article_ids)),
        inboxes=", ".join(["%s"] * len(inbox_ids)),
    )
    params = [*article_ids, *inbox_ids, now - hold_window(), settings.ATTENTION_LAST_N]
    outcomes: dict[int, list[tuple[int, int]]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for article_id, resolution_id, reopened in cursor.fetchall():
            outcomes.setdefault(article_id, []).append((resolution_id, reopened))
    return {
        article_id: Attention(
            article_id=article_id,
            decided=len(rows),
            failed=sum(reopened for _, reopened in rows),
            reopened_resolution_ids=tuple(rid for rid, reopened in rows if reopened),
        )
        for article_id, rows in outcomes.items()
    }


def article_figures(
    user, article_ids: list[int], *, days: int = 90, by_revision: bool = False
) -> dict[int, ArticleFigures]:
    """The provider registered with ``articles.figures``: measures over the last
    ``days`` and the attention flag, from the inboxes ``user`` may see."""
    inbox_ids = list(Inbox.objects.visible_to(user).values_list("pk", flat=True))
    if not inbox_ids or not article_ids:
        return {}
    now = timezone.now()
    since = now - timedelta(days=days)
    measures = article_measures(inbox_ids=inbox_ids, article_ids=article_ids, since=since, now=now)
    revisions: dict[int, list[RevisionFigures]] = {}
    if by_revision:
        for row in article_measures(
            inbox_ids=inbox_ids, article_ids=article_ids, since=since, now=now, by_revision=True
        ):
            revisions.setdefault(row.article_id, []).append(
                RevisionFigures(row.revision_id, row.linked, row.resolved, row.held, row.not_held)
            )
    attention = recent_outcomes(article_ids=article_ids, inbox_ids=inbox_ids, now=now)
    flagged_ids = [
        rid for item in attention.values() if item.flagged for rid in item.reopened_resolution_ids
    ]
    reopened: dict[int, list[tuple[int, str]]] = {}
    if flagged_ids:
        tickets = Ticket.objects.visible_to(user).filter(resolutions__in=flagged_ids)
        for resolution in (
            Resolution.objects.filter(pk__in=flagged_ids, ticket__in=tickets)
            .select_related("ticket")
            .prefetch_related("links")
        ):
            for link in resolution.links.all():
                reopened.setdefault(link.article_id, []).append(
                    (resolution.ticket_id, resolution.ticket.subject)
                )

    figures = {}
    for row in measures:
        item = attention.get(row.article_id)
        figures[row.article_id] = ArticleFigures(
            linked=row.linked,
            sent=row.sent,
            resolved=row.resolved,
            held=row.held,
            not_held=row.not_held,
            median_resolution_seconds=row.median_resolution_seconds,
            resolution_rate=row.resolution_rate,
            hold_rate=row.hold_rate,
            needs_attention=bool(item and item.flagged),
            reopened=tuple(dict.fromkeys(reopened.get(row.article_id, ()))),
            revisions=tuple(revisions.get(row.article_id, ())),
        )
    return figures
