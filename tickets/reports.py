"""The measures, defined once (DESIGN.md) and computed in SQL.

For an article (or one of its revisions), over the links made in a period
and the inboxes the viewer may see:

- linked: tickets with a link to the article;
- sent: tickets the article was sent to;
- resolved: tickets with a resolution naming the article;
- held: tickets whose resolution naming the article was not reopened within
  the hold window, and the window is over;
- not held: tickets whose resolution naming the article was reopened inside
  the window (a resolution still inside its window is neither, yet);
- resolution rate = resolved / linked;
- hold rate = held / (held + not held), the share of decided resolutions that held;
- time to resolution: ticket created → solved, median, over those resolutions.
"""

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Q
from django.utils import timezone

from tickets.aggregates import Percentile, seconds_between
from tickets.models import ArticleLink
from tickets.resolution import hold_window


def rate(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass(frozen=True)
class ArticleMeasures:
    article_id: int
    revision_id: int | None  # None: all revisions together
    linked: int
    sent: int
    resolved: int
    held: int
    not_held: int
    median_resolution_seconds: float | None

    @property
    def resolution_rate(self) -> float | None:
        return rate(self.resolved, self.linked)

    @property
    def hold_rate(self) -> float | None:
        return rate(self.held, self.held + self.not_held)


def article_measures(
    *,
    inbox_ids,
    article_ids=None,
    since: datetime | None = None,
    until: datetime | None = None,
    by_revision: bool = False,
    now: datetime | None = None,
) -> list[ArticleMeasures]:
    """One row per article (or per article revision), articles with no link omitted."""
    now = now or timezone.now()
    held_before = now - hold_window()
    links = ArticleLink.objects.filter(ticket__inbox_id__in=inbox_ids)
    if article_ids is not None:
        links = links.filter(article_id__in=article_ids)
    if since is not None:
        links = links.filter(created_at__gte=since)
    if until is not None:
        links = links.filter(created_at__lt=until)

    group = ["article_id", "revision_id"] if by_revision else ["article_id"]
    resolved = Q(resolutions__isnull=False)
    rows = (
        links.values(*group)
        .annotate(
            linked=Count("ticket_id", distinct=True),
            sent=Count("ticket_id", distinct=True, filter=Q(sent_at__isnull=False)),
            resolved=Count("ticket_id", distinct=True, filter=resolved),
            held=Count(
                "ticket_id",
                distinct=True,
                filter=Q(
                    resolutions__reopened_at__isnull=True,
                    resolutions__solved_at__lte=held_before,
                ),
            ),
            not_held=Count(
                "ticket_id", distinct=True, filter=Q(resolutions__reopened_at__isnull=False)
            ),
            median=Percentile(
                seconds_between("ticket__created_at", "resolutions__solved_at"),
                0.5,
                filter=resolved,
            ),
        )
        .order_by(*group)
    )
    return [
        ArticleMeasures(
            article_id=row["article_id"],
            revision_id=row.get("revision_id"),
            linked=row["linked"],
            sent=row["sent"],
            resolved=row["resolved"],
            held=row["held"],
            not_held=row["not_held"],
            median_resolution_seconds=row["median"],
        )
        for row in rows
    ]
