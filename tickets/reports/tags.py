"""The report split by tag (issue 15): per tag, the period's created tickets
and solves, as the headline defines them.

Tags are the tickets' tags now (tags carry no history), so a ticket tagged
after it was solved counts under that tag. A ticket with several tags counts
once under each; tickets without tags are not listed. Counted from the tickets
and resolutions of the scope (the roll-ups have no tag slices), grouped by tag."""

from dataclasses import dataclass

from django.db.models import Count, F, FloatField, IntegerField, Q, Value

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
    """One query: the created counts and the solve figures per tag, each an
    aggregate over its own table, put together with UNION ALL."""
    none = Value(None, output_field=FloatField())
    zero = Value(0, output_field=IntegerField())
    created = (
        created_tickets(scope)
        .filter(tag_links__isnull=False)
        .values(name=F("tag_links__tag__name"))
        .annotate(
            created=Count("id"),
            solved=zero,
            by_article=zero,
            gaps=zero,
            not_held=zero,
            resolution_median=none,
        )  # fmt: skip
    )
    solved = (
        solves(scope)
        .filter(ticket__tag_links__isnull=False)
        .values(name=F("ticket__tag_links__tag__name"))
        .annotate(
            created=zero,
            solved=Count("id"),
            by_article=Count("id", filter=Q(kind=Resolution.Kind.ARTICLE)),
            gaps=Count("id", filter=Q(kind=Resolution.Kind.NO_ARTICLE)),
            not_held=Count("id", filter=Q(reopened_at__isnull=False)),
            resolution_median=Percentile(F("resolution_seconds"), 0.5),
        )
    )
    figures: dict[str, dict] = {}
    for row in created.order_by().union(solved.order_by(), all=True).order_by():
        name = row.pop("name")
        into = figures.setdefault(name, {})
        for key, value in row.items():
            if key == "resolution_median":
                into[key] = into.get(key) if value is None else value
            else:
                into[key] = into.get(key, 0) + value
    rows = [TagRow(tag=name, **values) for name, values in figures.items()]
    return sorted(rows, key=lambda r: (-r.solved, -r.created, r.tag))
