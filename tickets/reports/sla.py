"""SLA achievement and breaches (issue 15), for the report's SLA page and CSV.

Over the period's solves (``measures.solves``: the same inboxes, category,
agent and period as the resolution report) of tickets that had an SLA policy:

- tickets: such solves (a ticket solved, reopened and solved again counts twice);
- met: solves whose ticket missed no target (first response, next responses,
  resolution);
- achievement = met / tickets;
- breaches: missed first responses, missed next responses (each one), missed
  resolutions, as recorded on the ticket's SLA clock (``TicketSla``).

Grouped by the solve's inbox, category and agent (who solved), and by the
article that resolved it (each resolving article of a solve of kind "article").
"""

from collections.abc import Iterator
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.db.models import Count, Q, QuerySet, Sum

from articles.models import Article, IssueCategory
from tickets.models import Inbox, Ticket
from tickets.reports import measures
from tickets.reports.measures import Scope, rate


@dataclass
class SlaRow:
    name: str
    tickets: int = 0
    met: int = 0
    first_response: int = 0
    next_response: int = 0
    resolution: int = 0
    key: object = None

    @property
    def achievement(self) -> float | None:
        return rate(self.met, self.tickets)

    @property
    def breaches(self) -> int:
        return self.first_response + self.next_response + self.resolution


@dataclass
class SlaReport:
    total: SlaRow
    overdue_now: int
    groups: dict[str, list[SlaRow]] = field(default_factory=dict)


GROUPS = {
    "inboxes": ("Inbox", "inbox_id"),
    "categories": ("Category", "category_id"),
    "agents": ("Agent", "solved_by_id"),
    "articles": ("Article", "article_id"),
}
MET = (
    ~Q(ticket__sla__first_response_breached=True)
    & ~Q(ticket__sla__resolution_breached=True)
    & Q(ticket__sla__next_response_breaches=0)
)


def _figures(qs: QuerySet, key: str | None) -> list[dict]:
    qs = qs.filter(ticket__sla__measured=True)
    if key:
        qs = qs.values(key)
    figures = {
        "tickets": Count("pk"),
        "met": Count("pk", filter=MET),
        "first_response": Count("pk", filter=Q(ticket__sla__first_response_breached=True)),
        "next_response": Sum("ticket__sla__next_response_breaches"),
        "resolution": Count("pk", filter=Q(ticket__sla__resolution_breached=True)),
    }
    if not key:
        return [qs.aggregate(**figures)]
    return list(qs.annotate(**figures).order_by())


def _names(group: str, keys: set) -> dict:
    keys = keys - {None}
    if group == "inboxes":
        return {pk: inbox.name for pk, inbox in Inbox.objects.in_bulk(keys).items()}
    if group == "categories":
        return {pk: c.name for pk, c in IssueCategory.objects.in_bulk(keys).items()}
    if group == "agents":
        users = get_user_model().objects.in_bulk(keys)
        return {pk: u.get_full_name() or u.username for pk, u in users.items()}
    return {pk: a.title for pk, a in Article.objects.in_bulk(keys).items()}


def _row(name: str, values: dict, key=None) -> SlaRow:
    return SlaRow(
        name=name,
        tickets=values["tickets"] or 0,
        met=values["met"] or 0,
        first_response=values["first_response"] or 0,
        next_response=values["next_response"] or 0,
        resolution=values["resolution"] or 0,
        key=key,
    )


def overdue_now(scope: Scope) -> int:
    """Open tickets of the scope's inboxes whose next target is already past."""
    qs = Ticket.objects.filter(
        scope.inbox_filter("inbox_id"), status__in=("new", "open"), sla_due_at__lt=scope.now
    )
    if scope.category_id is not None:
        qs = qs.filter(category_id=scope.category_id)
    if scope.agent_id is not None:
        qs = qs.filter(assignee_id=scope.agent_id)
    return qs.count()


def sla_report(scope: Scope) -> SlaReport:
    solves, facts = measures.solves(scope), measures.solve_facts(scope)
    report = SlaReport(
        total=_row("All", _figures(solves, None)[0]), overdue_now=overdue_now(scope)
    )
    for group, (_, key) in GROUPS.items():
        rows = _figures(facts if group == "articles" else solves, key)
        names = _names(group, {row[key] for row in rows})
        fallback = "Uncategorised" if group == "categories" else "Nobody"
        report.groups[group] = sorted(
            (_row(names.get(row[key], fallback), row, row[key]) for row in rows),
            key=lambda r: (-r.breaches, -r.tickets, r.name),
        )
    return report


# == CSV: one table per grouping, the same figures as the page ==


def csv_rows(scope: Scope, group: str) -> Iterator[list]:
    label, _ = GROUPS[group]
    yield [label.lower(), "tickets with an SLA", "met", "achievement",
           "first response breaches", "next response breaches", "resolution breaches",
           "breaches"]  # fmt: skip
    for row in sla_report(scope).groups[group]:
        achievement = "" if row.achievement is None else f"{row.achievement:.4f}"
        yield [row.name, row.tickets, row.met, achievement, row.first_response,
               row.next_response, row.resolution, row.breaches]  # fmt: skip
