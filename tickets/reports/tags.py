"""The report split by tag (issue 15): per tag, the period's created tickets
and solves, as the headline defines them.

Tags are the tickets' tags now (tags carry no history), so a ticket tagged
after it was solved counts under that tag. A ticket with several tags counts
once under each; tickets without tags are not listed. Counted from the tickets
and resolutions of the scope (the roll-ups have no tag slices): one query for
each, grouped by tag."""

from dataclasses import dataclass

from django.db.models import Count, F, Q

from tickets.aggregates import Percentile
from tickets.models import Resolution
from tickets.reports.measures import Scope, created_tickets, rate, solves


@dataclass(frozen=True)
class TagRow:
    tag: str
    created: int = 0
    solved: int = 0
    by_article: int = 0
    gaps: int = 0
    not_held: int = 0
    resolution_median: float | None = None

    @property
    def article_share(self) -> float | None:
        return rate(self.by_article, self.solved)

    @property
    def reopen_rate(self) -> float | None:
        return rate(self.not_held, self.solved)


def tag_table(scope: Scope) -> list[TagRow]:
    figures: dict[str, dict] = {}
    created = (
        created_tickets(scope)
        .filter(tag_links__isnull=False)
        .values(name=F("tag_links__tag__name"))
        .annotate(created=Count("id"))
    )
    for row in created:
        figures.setdefault(row.pop("name"), {}).update(row)
    solved = (
        solves(scope)
        .filter(ticket__tag_links__isnull=False)
        .values(name=F("ticket__tag_links__tag__name"))
        .annotate(
            solved=Count("id"),
            by_article=Count("id", filter=Q(kind=Resolution.Kind.ARTICLE)),
            gaps=Count("id", filter=Q(kind=Resolution.Kind.NO_ARTICLE)),
            not_held=Count("id", filter=Q(reopened_at__isnull=False)),
            resolution_median=Percentile(F("resolution_seconds"), 0.5),
        )
    )
    for row in solved:
        figures.setdefault(row.pop("name"), {}).update(row)
    rows = [TagRow(tag=name, **values) for name, values in figures.items()]
    return sorted(rows, key=lambda r: (-r.solved, -r.created, r.tag))
