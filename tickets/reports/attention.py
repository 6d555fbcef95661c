"""Articles that need attention: their recent resolutions keep failing to hold,
or customers keep saying they did not help.

An article is flagged when, among its last ``ATTENTION_LAST_N`` decided
resolutions (reopened inside the hold window, or past it), at least
``ATTENTION_MIN_DECIDED`` are decided and the share reopened reaches
``ATTENTION_FAIL_PERCENT``. Only tickets of inboxes the viewer may see count.

The same rule reads the customers (issue 14): the last N satisfaction ratings of
resolutions naming the article (inboxes the viewer may see), and the last N
"Did this answer your question?" votes on its published revision (public, so
every viewer's); a share of bad ratings or of "no" votes at the threshold flags it.
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


CUSTOMER_SQL = """
SELECT 'rating', article_id, bad FROM (
    SELECT ra.article_id, CASE WHEN s.rating = 'bad' THEN 1 ELSE 0 END AS bad,
           ROW_NUMBER() OVER (
               PARTITION BY ra.article_id ORDER BY s.rated_at DESC, s.id DESC
           ) AS position
    FROM tickets_satisfaction s
    JOIN tickets_resolutionarticle ra ON ra.resolution_id = s.resolution_id
    WHERE ra.article_id IN ({articles}) AND s.inbox_id IN ({inboxes})
) ratings WHERE position <= %s
UNION ALL
SELECT 'vote', article_id, bad FROM (
    SELECT f.article_id, CASE WHEN f.helpful THEN 0 ELSE 1 END AS bad,
           ROW_NUMBER() OVER (
               PARTITION BY f.article_id ORDER BY f.created_at DESC, f.id DESC
           ) AS position
    FROM articles_articlefeedback f
    JOIN articles_article a ON a.id = f.article_id AND a.published_revision_id = f.revision_id
    WHERE f.article_id IN ({articles}) AND f.source = 'article'
) votes WHERE position <= %s
"""


@dataclass(frozen=True)
class CustomerSignal:
    """An article's recent ratings (bad of rated) and votes ("no" of all)."""

    bad_ratings: int = 0
    ratings: int = 0
    no_votes: int = 0
    votes: int = 0

    @staticmethod
    def _failing(bad: int, of: int) -> bool:
        return of >= settings.ATTENTION_MIN_DECIDED and (
            bad * 100 >= settings.ATTENTION_FAIL_PERCENT * of
        )

    @property
    def reasons(self) -> tuple[str, ...]:
        reasons = []
        if self._failing(self.bad_ratings, self.ratings):
            reasons.append(f"{self.bad_ratings} of the last {self.ratings} ratings were bad")
        if self._failing(self.no_votes, self.votes):
            reasons.append(
                f"{self.no_votes} of the last {self.votes} readers said it did not help"
            )
        return tuple(reasons)


def customer_signals(*, article_ids: list[int], inbox_ids: list[int]) -> dict[int, CustomerSignal]:
    """Each article's last N ratings and votes, in one query."""
    if not article_ids or not inbox_ids:
        return {}
    marks = ", ".join(["%s"] * len(article_ids))
    sql = CUSTOMER_SQL.format(articles=marks, inboxes=", ".join(["%s"] * len(inbox_ids)))
    last_n = settings.ATTENTION_LAST_N
    params = [*article_ids, *inbox_ids, last_n, *article_ids, last_n]
    counts: dict[int, dict[str, int]] = {}
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        for kind, article_id, bad in cursor.fetchall():
            row = counts.setdefault(article_id, {"rating": 0, "bad_rating": 0, "vote": 0,
                                                 "bad_vote": 0})  # fmt: skip
            row[kind] += 1
            row[f"bad_{kind}"] += bad
    return {
        article_id: CustomerSignal(
            bad_ratings=c["bad_rating"],
            ratings=c["rating"],
            no_votes=c["bad_vote"],
            votes=c["vote"],
        )  # fmt: skip
        for article_id, c in counts.items()
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

    signals = customer_signals(article_ids=article_ids, inbox_ids=inbox_ids)
    figures = {}
    for row in measures:
        item = attention.get(row.article_id)
        signal = signals.get(row.article_id, CustomerSignal())
        reasons = (("recent fixes did not hold",) if item and item.flagged else ()) + (
            signal.reasons
        )
        figures[row.article_id] = ArticleFigures(
            linked=row.linked,
            sent=row.sent,
            resolved=row.resolved,
            held=row.held,
            not_held=row.not_held,
            median_resolution_seconds=row.median_resolution_seconds,
            resolution_rate=row.resolution_rate,
            hold_rate=row.hold_rate,
            needs_attention=bool(reasons),
            reopened=tuple(dict.fromkeys(reopened.get(row.article_id, ()))),
            revisions=tuple(revisions.get(row.article_id, ())),
            reasons=reasons,
            **_signal_fields(signal),
        )
    # Customers may flag an article no ticket linked lately (votes need no ticket).
    for article_id, signal in signals.items():
        if article_id not in figures and signal.reasons:
            figures[article_id] = ArticleFigures(
                needs_attention=True, reasons=signal.reasons, **_signal_fields(signal)
            )
    return figures


def _signal_fields(signal: CustomerSignal) -> dict:
    return {
        "bad_ratings": signal.bad_ratings,
        "ratings": signal.ratings,
        "no_votes": signal.no_votes,
        "votes": signal.votes,
    }
