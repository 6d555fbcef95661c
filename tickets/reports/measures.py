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

The resolution report (issue 6) covers a period [since, until) of whole days,
the inboxes the viewer may see (or one of them), optionally one issue
category and one agent. "Solves" are the Resolution rows recorded in the
period whose kind is "article" or "no_article": closing a ticket as not
applicable (spam, duplicate) counts in no figure; a ticket solved, reopened
and solved again counts once per solve. For solves the inbox, category and
agent are the resolution's own (inbox and category at solve time, the agent
who solved); for created tickets the ticket's inbox, category and assignee.

- created: tickets created in the period;
- solved: solves in the period;
- share solved by an article = solves of kind "article" / solved;
- content gaps: solves of kind "no_article" (solved without an article);
- hold rate = held / (held + not held) over the period's solves, where held
  means not reopened and its hold window is over, and not held means
  reopened inside the window (solves still inside their window are neither);
- reopen rate = not held / solved;
- first response time: created → first agent reply, over tickets created in
  the period that have one (median and 90th percentile);
- resolution time: ticket created → solved, over the period's solves (median
  and 90th percentile);
- one-touch resolution rate = solves with exactly one agent reply on the
  ticket by the time it was solved / solved;
- misrouted: tickets moved between inboxes in the period (each ticket once),
  by the ticket's current inbox, category and assignee;
- each figure's change compares it with the period of equal length just before.

Weekly series use the same definitions per calendar week (Monday first),
clipped to the period. The category × article matrix counts solves naming the
article, by the solve's category; its rate is that count / the category's
solves. The article table uses the measures above over links made in the
period (``article_measures``), read from its roll-up (``article_days``, which
says where the two may differ).
"""

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import date, datetime, time, timedelta
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import (
    Count,
    F,
    Q,
    QuerySet,
    Value,
    Window,
)
from django.db.models.functions import RowNumber, TruncWeek
from django.utils import timezone

from articles.models import Article, ArticleRevision, IssueCategory
from tickets.aggregates import Percentile
from tickets.models import (
    ArticleLink,
    Inbox,
    ReportArticle,
    ReportDay,
    ReportSlice,
    Resolution,
    ResolutionArticle,
    Ticket,
    TicketEvent,
)
from tickets.reports import article_days, days, moves, reads, shared
from tickets.reports.side_by_side import side_by_side
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
    category_id: int | None = None,
    linked_by_id: int | None = None,
) -> list[ArticleMeasures]:
    """One row per article (or per article revision), articles with no link omitted.
    ``inbox_ids=None`` means every inbox (a manager's view: no join to the tickets);
    ``category_id`` keeps tickets of that issue category, ``linked_by_id`` links by that agent.

    Two queries over the same links: linked and sent from the links themselves,
    the rest from their resolutions' facts (``ResolutionArticle``), not a join."""
    now = now or timezone.now()
    held_before = now - hold_window()

    def scoped(qs: QuerySet, *, link: str, created: str) -> QuerySet:
        if inbox_ids is not None:
            qs = qs.filter(ticket__inbox_id__in=inbox_ids)
        if article_ids is not None:
            qs = qs.filter(article_id__in=article_ids)
        if category_id is not None:
            qs = qs.filter(ticket__category_id=category_id)
        if linked_by_id is not None:
            qs = qs.filter(**{f"{link}linked_by_id": linked_by_id})
        if since is not None:
            qs = qs.filter(**{f"{created}__gte": since})
        if until is not None:
            qs = qs.filter(**{f"{created}__lt": until})
        return qs.order_by()

    group = ["article_id", "revision_id"] if by_revision else ["article_id"]
    links = (
        scoped(ArticleLink.objects.all(), link="", created="created_at")
        .values(*group)
        .annotate(
            linked=Count("ticket_id", distinct=True),
            sent=Count("ticket_id", distinct=True, filter=Q(sent_at__isnull=False)),
        )
        .order_by(*group)
    )
    facts = (
        scoped(ResolutionArticle.objects.all(), link="link__", created="linked_at")
        .values(*group)
        .annotate(
            resolved=Count("ticket_id", distinct=True),
            held=Count(
                "ticket_id",
                distinct=True,
                filter=Q(reopened_at__isnull=True, solved_at__lte=held_before),
            ),
            not_held=Count("ticket_id", distinct=True, filter=Q(reopened_at__isnull=False)),
            # Creation to solve, stored on the fact (from the copied creation time): no join.
            median=Percentile("resolution_seconds", 0.5),
        )
    )
    # The two scans of the period (its links, their resolutions) are the report's
    # longest part: each on its own connection, side by side.
    link_rows, fact_rows = side_by_side(lambda: list(links), lambda: list(facts))
    resolved = {tuple(row.pop(key) for key in group): row for row in fact_rows}
    measures = []
    for row in link_rows:
        facts = resolved.get(tuple(row[key] for key in group), {})
        measures.append(
            ArticleMeasures(
                article_id=row["article_id"],
                revision_id=row.get("revision_id"),
                linked=row["linked"],
                sent=row["sent"],
                resolved=facts.get("resolved", 0),
                held=facts.get("held", 0),
                not_held=facts.get("not_held", 0),
                median_resolution_seconds=facts.get("median"),
            )
        )
    return measures


# == The resolution report (issue 6) ==


@dataclass(frozen=True)
class Scope:
    """What a report covers. ``inbox_ids`` must already be limited to the
    inboxes the viewer may see (``Inbox.objects.visible_to``)."""

    inbox_ids: tuple[int, ...]
    since: datetime
    until: datetime
    category_id: int | None = None
    agent_id: int | None = None
    now: datetime = field(default_factory=timezone.now)
    # True when inbox_ids are all the inboxes there are (a manager, no inbox
    # chosen): queries then skip the inbox condition and the joins it needs.
    every_inbox: bool = False

    def inbox_filter(self, lookup: str) -> Q:
        return Q() if self.every_inbox else Q(**{f"{lookup}__in": self.inbox_ids})

    def within(self, where: reads.Where, table: str = "") -> reads.Where:
        """``where`` (SQL, ``reads``) limited to the scope's inboxes and category,
        as ``inbox_filter`` and the category filter limit the ORM's queries;
        ``table``: the alias that holds the inbox and category columns."""
        if not self.every_inbox:
            where = where.also(f"{table}inbox_id = ANY(%s)", list(self.inbox_ids))
        if self.category_id is not None:
            where = where.also(f"{table}category_id = %s", self.category_id)
        return where

    def previous(self) -> "Scope":
        """The period of equal length just before."""
        return replace(self, since=self.since - (self.until - self.since), until=self.since)

    @property
    def held_before(self) -> datetime:
        return self.now - hold_window()

    @property
    def last_day(self) -> date:
        """The period's last whole local day (``until`` is the midnight after it)."""
        return timezone.localtime(self.until - timedelta(microseconds=1)).date()


def category_name(category: IssueCategory | None) -> str:
    return category.name if category else "Uncategorised"


SOLVE_KINDS = (Resolution.Kind.ARTICLE, Resolution.Kind.NO_ARTICLE)


def solves(scope: Scope) -> QuerySet:
    """The period's solves."""
    qs = Resolution.objects.filter(
        scope.inbox_filter("inbox_id"),
        solved_at__gte=scope.since,
        solved_at__lt=scope.until,
        kind__in=SOLVE_KINDS,
    )
    if scope.category_id is not None:
        qs = qs.filter(category_id=scope.category_id)
    if scope.agent_id is not None:
        qs = qs.filter(solved_by_id=scope.agent_id)
    return qs.order_by()


def solve_facts(scope: Scope) -> QuerySet:
    """The (solve, resolving article link) facts of the period's solves of kind
    "article": the same filters as ``solves``, on the copies the facts carry."""
    qs = ResolutionArticle.objects.filter(
        scope.inbox_filter("inbox_id"), solved_at__gte=scope.since, solved_at__lt=scope.until
    )
    if scope.category_id is not None:
        qs = qs.filter(category_id=scope.category_id)
    if scope.agent_id is not None:
        qs = qs.filter(solved_by_id=scope.agent_id)
    return qs.order_by()


def created_tickets(scope: Scope) -> QuerySet:
    qs = Ticket.objects.filter(
        scope.inbox_filter("inbox_id"),
        created_at__gte=scope.since,
        created_at__lt=scope.until,
    )
    if scope.category_id is not None:
        qs = qs.filter(category_id=scope.category_id)
    if scope.agent_id is not None:
        qs = qs.filter(assignee_id=scope.agent_id)
    return qs.order_by()


def created_count(scope: Scope) -> int:
    """How many tickets the period created: summed from the day roll-up when it
    answers the scope (``answer``), else counted."""

    def rolled_up(rolled: RollUp) -> int | None:
        rows = _day_sums(rolled)  # shared with the other parts; none: count the rows
        return sum(row.created for row in rows) if rows else None

    return answer(scope, rolled_up, lambda: created_tickets(scope).count())


def inbox_moves(scope: Scope) -> QuerySet:
    """The period's moves between inboxes, each with its ticket's current inbox
    as ``moved_inbox``: the copy the move event carries (``moves``), so the
    count per inbox reads one small index and no ticket (PostgreSQL)."""
    events = TicketEvent.objects.order_by()
    inbox = moves.inbox_lookup(events.db)
    qs = events.alias(moved_inbox=F(inbox)).filter(
        scope.inbox_filter("moved_inbox"),
        kind=TicketEvent.Kind.INBOX,
        created_at__gte=scope.since,
        created_at__lt=scope.until,
    )
    if scope.category_id is not None:
        qs = qs.filter(ticket__category_id=scope.category_id)
    if scope.agent_id is not None:
        qs = qs.filter(ticket__assignee_id=scope.agent_id)
    return qs.order_by()


@dataclass(frozen=True)
class RollUp:
    """The roll-ups' rows of a scope (``roll_up``), read as SQL (``reads``):
    ``day_rows`` picks its ``ReportDay`` rows (its days, inboxes and category),
    ``slices`` the ``ReportSlice`` rows of its days (by blocks of days), sliced
    by ``sliced``."""

    scope: Scope
    using: str
    first: date
    end: date
    day_rows: reads.Where
    slices: reads.Slices

    @property
    def days(self) -> QuerySet:
        """The ``ReportDay`` rows, as a QuerySet."""
        rows = days.rows(self.scope.since, self.scope.until, using=self.using)
        rows = rows.filter(self.scope.inbox_filter("inbox_id"))
        if self.scope.category_id is not None:
            rows = rows.filter(category_id=self.scope.category_id)
        return rows

    @property
    def category_key(self) -> int:
        """The sliced roll-ups' category of the scope: its own, or every category."""
        return days.EVERY if self.scope.category_id is None else self.scope.category_id

    def in_inboxes[R: (reads.Where, reads.Slices)](self, rows: R, *, by_inbox: bool = False) -> R:
        """Sliced roll-up ``rows`` of every inbox together, or of each of the scope's
        inboxes (``by_inbox``, or when the viewer may not see them all: they are
        then summed)."""
        if self.scope.every_inbox and not by_inbox:
            return rows.also("inbox_id = %s", days.EVERY)
        return rows.also("inbox_id = ANY(%s)", list(self.scope.inbox_ids))

    def sliced(self, *measures: str, by_inbox: bool = False) -> reads.Slices | None:
        """The rows of ``measures`` in the scope's slice: its category (or every
        category) and its inboxes (``in_inboxes``). None for the per-agent
        measures of one category, which are not kept (``days``)."""
        scope = self.scope
        if scope.category_id is not None and any(m.isupper() for m in measures):
            return None
        rows = self.slices.also("measure = ANY(%s)", list(measures))
        return self.in_inboxes(rows.also("category_id = %s", self.category_key), by_inbox=by_inbox)


def roll_up(scope: Scope) -> RollUp | None:
    """The one rule for reading the roll-ups: they answer a scope of whole local
    days without an agent filter, on PostgreSQL; otherwise None, and the figures
    are counted from the rows (``answer``). Their counts are exactly those of
    ``created_tickets`` and ``solves``; their percentiles those of the rows
    within ``days.PERCENTILE_ERROR``."""
    if scope.agent_id is not None:
        return None  # the day rows have no agent; an agent's report counts the rows
    using = router.db_for_read(ReportDay)
    # Each part asks once or twice: built once per computation (``shared``); the
    # parts only derive new reads from it.
    return shared.once(("roll_up", using, scope), lambda: _roll_up(scope, using))


def _roll_up(scope: Scope, using: str) -> RollUp | None:
    whole = days.whole_days(scope.since, scope.until, using=using)
    if whole is None:
        return None
    first, end = whole
    slices = reads.Slices.of(using, first, end)
    if slices is None:
        return None
    return RollUp(scope, using, first, end, scope.within(reads.days_in(first, end)), slices)


def answer[T](
    scope: Scope, rolled_up: Callable[[RollUp], T | None], counted: Callable[[], T]
) -> T:
    """Read the roll-up or count the rows: ``rolled_up`` when the roll-ups answer
    the scope and hold rows for it, else ``counted``. ``rolled_up`` returns None
    when its rows are empty: either the roll-ups await a rebuild (a new
    ``TIME_ZONE``, see ``days.rows``) or the period holds nothing, which is
    cheap to count."""
    rolled = roll_up(scope)
    result = None if rolled is None else rolled_up(rolled)
    return counted() if result is None else result


class DaySums(NamedTuple):
    """``ReportDay`` summed per inbox, category and week, the days before the
    turning day (``settled``: their solves are past the hold window) apart."""

    inbox_id: int
    category_id: int
    week: date
    settled: bool
    created: int
    solved: int
    by_article: int
    gaps: int
    reopened: int
    one_touch: int


def _day_sums(rolled: RollUp) -> list[DaySums]:
    """The scope's day rows summed per inbox, category and week: one read that
    the headline, inboxes, weekly trend, matrix and gaps parts share
    (``shared.once``), a few hundred rows they each add up their own way."""
    scope = rolled.scope
    turning = timezone.localtime(scope.held_before).date()
    key = ("day_sums", rolled.using, scope.since, scope.until, scope.every_inbox,
           scope.inbox_ids, scope.category_id, turning)  # fmt: skip
    # The Monday of the day's week, as TruncWeek gives it, in date arithmetic: a
    # third cheaper than truncating a timestamp.
    sql = (
        "SELECT inbox_id, category_id, day - (EXTRACT(ISODOW FROM day)::int - 1), day < %s, "
        "sum(created), sum(solved), sum(by_article), sum(gaps), sum(reopened), sum(one_touch) "
        f"FROM tickets_reportday WHERE {rolled.day_rows.sql} GROUP BY 1, 2, 3, 4"
    )

    def read() -> list[DaySums]:
        rows = reads.rows(rolled.using, sql, (turning, *rolled.day_rows.params))
        return [DaySums(*row) for row in rows]

    return shared.once(key, read)


def report_days_of(scope: Scope) -> QuerySet | None:
    """The scope's ``ReportDay`` rows, or None when the roll-up cannot answer (``roll_up``)."""
    rolled = roll_up(scope)
    return None if rolled is None else rolled.days


def _buckets(rows: list[tuple]) -> dict:
    """{key: {bucket: (n, total ms)}} from (key..., bucket, n, total) rows."""
    out: dict = {}
    for *key, bucket, n, total in rows:
        out.setdefault(tuple(key), {})[bucket] = (n, int(total))
    return out


def _category(pk: int) -> int | None:
    return pk or None  # the roll-up's 0: uncategorised


def _per_category(rolled: RollUp, *names: str, kept: str | None = None) -> dict | None:
    """{category id (None: uncategorised): {name: sum}} of the day sums' columns
    ``names``, categories whose ``kept`` (the first name) sums to 0 left out;
    None when none is left."""
    kept = kept or names[0]
    totals: dict = {}
    for row in _day_sums(rolled):
        sums = totals.setdefault(_category(row.category_id), dict.fromkeys(names, 0))
        for name in names:
            sums[name] += getattr(row, name)
    return {pk: sums for pk, sums in totals.items() if sums[kept] > 0} or None


def _solve_figures(scope: Scope, where: Q | None = None) -> dict:
    """The solve figures of the solves matching ``where`` (all of them: None)."""
    resolution_time = F("resolution_seconds")

    def only(condition: Q | None = None) -> Q | None:
        if where is None:
            return condition
        return where if condition is None else where & condition

    return {
        "solved": Count("solved_at", filter=only()),
        "by_article": Count("solved_at", filter=only(Q(kind=Resolution.Kind.ARTICLE))),
        "gaps": Count("solved_at", filter=only(Q(kind=Resolution.Kind.NO_ARTICLE))),
        "held": Count(
            "solved_at",
            filter=only(Q(reopened_at__isnull=True, solved_at__lte=scope.held_before)),
        ),
        "not_held": Count("solved_at", filter=only(Q(reopened_at__isnull=False))),
        "one_touch": Count("solved_at", filter=only(Q(agent_replies=1))),
        "resolution_median": Percentile(resolution_time, 0.5, filter=only()),
        "resolution_p90": Percentile(resolution_time, 0.9, filter=only()),
    }


def _ticket_figures(where: Q | None = None) -> dict:
    first_response = F("first_response_seconds")
    return {
        "created": Count("created_at", filter=where),
        "first_response_median": Percentile(first_response, 0.5, filter=where),
        "first_response_p90": Percentile(first_response, 0.9, filter=where),
    }


@dataclass(frozen=True)
class Figures:
    """The headline figures of one period (or one inbox)."""

    created: int = 0
    solved: int = 0
    by_article: int = 0
    gaps: int = 0
    held: int = 0
    not_held: int = 0
    one_touch: int = 0
    moved: int = 0
    first_response_median: float | None = None
    first_response_p90: float | None = None
    resolution_median: float | None = None
    resolution_p90: float | None = None

    @property
    def article_share(self) -> float | None:
        return rate(self.by_article, self.solved)

    @property
    def hold_rate(self) -> float | None:
        return rate(self.held, self.held + self.not_held)

    @property
    def reopen_rate(self) -> float | None:
        return rate(self.not_held, self.solved)

    @property
    def one_touch_rate(self) -> float | None:
        return rate(self.one_touch, self.solved)


def _grouped_figures(scope: Scope, groups: dict) -> dict:
    """Figures per group; ``groups`` maps each key to its (solve, ticket, move)
    conditions. One query per source, each group's figures as filtered
    aggregates: a single pass over the rows, no sort by group before the
    percentiles sort their own values."""
    values: dict = {key: {} for key in groups}

    def collect(qs: QuerySet, figures) -> None:
        aggregates = {}
        for i, conditions in enumerate(groups.values()):
            for name, aggregate in figures(conditions).items():
                aggregates[f"{name}__{i}"] = aggregate
        row = qs.aggregate(**aggregates)
        for i, key in enumerate(groups):
            values[key].update(
                {name.rsplit("__", 1)[0]: v for name, v in row.items() if name.endswith(f"__{i}")}
            )

    collect(solves(scope), lambda c: _solve_figures(scope, c[0]))
    collect(created_tickets(scope), lambda c: _ticket_figures(c[1]))
    collect(
        inbox_moves(scope),
        lambda c: {"moved": Count("ticket_id", distinct=True, filter=c[2])},
    )
    return {key: Figures(**figures) for key, figures in values.items()}


def _rolled_figures(
    rolled: RollUp, *, by_inbox: bool = False, shared_days: bool | None = None
) -> dict | None:
    """{inbox id (None: all together): Figures} from the roll-ups, None if empty.

    Counts sum the day rows: the read the parts share (``_day_sums``) when they
    are computed together (``shared_days`` None) or told to, else a plain sum
    (False: a period no other part reads, or this part alone); percentiles merge
    the slices' buckets. "Held" needs
    the solve time against the hold window's end (``Scope.held_before``): the
    solves of days before the day it falls in are all past it (held unless
    reopened), those of later days none; only that one day's solves are counted
    from the rows (an index range of one day). "Moved" counts distinct tickets
    over the period, which days do not add up to: it counts the moves."""
    scope = rolled.scope
    turning = timezone.localtime(scope.held_before).date()
    key = ["inbox_id"] if by_inbox else []
    names = ("created", "solved", "by_article", "gaps", "one_touch", "not_held", "held")
    counts: dict = {}
    if shared_days or (shared_days is None and shared.together()):
        for row in _day_sums(rolled):
            figures = counts.setdefault(row.inbox_id if by_inbox else None,
                                        dict.fromkeys(names, 0))  # fmt: skip
            figures["created"] += row.created
            figures["solved"] += row.solved
            figures["by_article"] += row.by_article
            figures["gaps"] += row.gaps
            figures["one_touch"] += row.one_touch
            figures["not_held"] += row.reopened
            # Solves of the days before the turning day, less those reopened: held.
            if row.settled:
                figures["held"] += row.solved - row.reopened
    else:
        sums = (
            "coalesce(sum(created), 0), coalesce(sum(solved), 0), "
            "coalesce(sum(by_article), 0), coalesce(sum(gaps), 0), "
            "coalesce(sum(one_touch), 0), coalesce(sum(reopened), 0), "
            "coalesce(sum(solved - reopened) FILTER (WHERE day < %s), 0), count(day)"
        )
        group = " GROUP BY inbox_id" if by_inbox else ""
        sql = (f"SELECT {'inbox_id, ' if by_inbox else ''}{sums} FROM tickets_reportday "
               f"WHERE {rolled.day_rows.sql}{group}")  # fmt: skip
        for row in reads.rows(rolled.using, sql, (turning, *rolled.day_rows.params)):
            pk, *row = row if by_inbox else (None, *row)
            if row.pop():  # the rows summed: none, no figures
                counts[pk] = dict(zip(names, row, strict=True))
    if not counts:
        return None
    values: dict = counts
    if by_inbox:
        values |= {pk: {} for pk in scope.inbox_ids if pk not in values}
    for what, pk, n in _rolled_counts(rolled, turning, by_inbox=by_inbox):
        figures = values.setdefault(pk if by_inbox else None, {})
        figures[what] = figures.get(what, 0) + n
    buckets = _buckets(
        rolled.sliced(ReportSlice.Measure.FIRST_RESPONSE, ReportSlice.Measure.RESOLUTION,
                      by_inbox=by_inbox).sums(*key, "measure", "bucket")
    )  # fmt: skip
    for k, figures in values.items():
        first_response = buckets.get((k, "f") if by_inbox else ("f",), {})
        resolution = buckets.get((k, "r") if by_inbox else ("r",), {})
        figures["first_response_median"] = days.percentile(first_response, 0.5)
        figures["first_response_p90"] = days.percentile(first_response, 0.9)
        figures["resolution_median"] = days.percentile(resolution, 0.5)
        figures["resolution_p90"] = days.percentile(resolution, 0.9)
    return {k: Figures(**figures) for k, figures in values.items()}


def _rolled_counts(rolled: RollUp, turning: date, *, by_inbox: bool) -> list[tuple]:
    """(what, inbox id or 0, n) rows of what the day rows do not hold, in one
    query: "held", the turning day's solves up to the hold window's end that
    were not reopened (an index range of one day), and "moved" (``_rolled_moves``)."""
    scope = rolled.scope
    group = "inbox_id" if by_inbox else "0"
    queries = [_rolled_moves(rolled, by_inbox=by_inbox)]
    turning_start = timezone.make_aware(datetime.combine(turning, time.min))
    if scope.since <= turning_start < scope.until:
        held = reads.Where(
            ("kind = ANY(%s)", "solved_at >= %s AND solved_at < %s",
             "solved_at >= %s AND solved_at <= %s", "reopened_at IS NULL"),
            ([kind.value for kind in SOLVE_KINDS], scope.since, scope.until,
             turning_start, scope.held_before),
        )  # fmt: skip
        held = scope.within(held)
        queries.insert(0, (
            f"SELECT 'held', {group}, count(solved_at) FROM tickets_resolution "
            f"WHERE {held.sql} GROUP BY 1, 2", held.params))  # fmt: skip
    sql = " UNION ALL ".join(f"({query})" for query, _ in queries)
    return reads.rows(rolled.using, sql, [param for _, params in queries for param in params])


def _rolled_moves(rolled: RollUp, *, by_inbox: bool) -> tuple[str, tuple]:
    """A query (SQL, parameters) of ("moved", inbox id or 0, distinct tickets
    moved in the period) rows: the period's ``ReportMove`` rows whose ticket's
    move before falls before the period (each ticket on its first move in it,
    see ``moves``), a few rows per day and inbox; one category's counted from
    the move events (the roll-up has no category)."""
    scope = rolled.scope
    if scope.category_id is None:
        where = reads.days_in(rolled.first, rolled.end).also("previous_day < %s", rolled.first)
        where = scope.within(where)  # the inboxes only: no category here
        group = "inbox_id" if by_inbox else "0"
        return (
            f"SELECT 'moved', {group}, coalesce(sum(moves), 0) FROM tickets_reportmove "
            f"WHERE {where.sql} GROUP BY 1, 2",
            where.params,
        )
    group = {"group_key": F("moved_inbox") if by_inbox else Value(0)}
    counted = (
        inbox_moves(scope)
        .annotate(what=Value("moved"), **group)
        .values_list("what", "group_key")
        .annotate(n=Count("ticket_id", distinct=True))
        .order_by()
    )
    return counted.query.get_compiler(rolled.using).as_sql()


def period_figures(scope: Scope) -> Figures:
    """The headline figures of the scope's period, from the roll-ups or counted
    (``answer``)."""
    return answer(scope, lambda rolled: (_rolled_figures(rolled) or {}).get(None),
                  lambda: _counted_period_figures(scope))  # fmt: skip


def _counted_period_figures(scope: Scope) -> Figures:
    """The headline figures counted from the rows: three plain aggregate queries.
    (One pass over both periods with filtered aggregates was a third slower: each
    row then feeds every period's aggregates, and PostgreSQL evaluates them all.)"""
    values = solves(scope).aggregate(**_solve_figures(scope))
    values |= created_tickets(scope).aggregate(**_ticket_figures())
    values |= inbox_moves(scope).aggregate(moved=Count("ticket_id", distinct=True))
    return Figures(**values)


def headline_figures(scope: Scope) -> tuple[Figures, Figures]:
    """(this period, the period before: read by no other part, summed apart)."""
    previous = scope.previous()
    return period_figures(scope), answer(
        previous,
        lambda rolled: (_rolled_figures(rolled, shared_days=False) or {}).get(None),
        lambda: _counted_period_figures(previous),
    )


def inbox_figures(scope: Scope) -> list[tuple[Inbox, Figures]]:
    """The headline figures of each inbox in scope, side by side."""
    inboxes = list(Inbox.objects.filter(pk__in=scope.inbox_ids))

    def counted() -> dict:
        conditions = {
            inbox.pk: (Q(inbox_id=inbox.pk), Q(inbox_id=inbox.pk), Q(moved_inbox=inbox.pk))
            for inbox in inboxes
        }  # fmt: skip
        return _grouped_figures(scope, conditions)

    groups = answer(scope, lambda rolled: _rolled_figures(rolled, by_inbox=True), counted)
    return [(inbox, groups.get(inbox.pk, Figures())) for inbox in inboxes]


@dataclass(frozen=True)
class Week:
    start: date
    created: int = 0
    solved: int = 0
    by_article: int = 0

    @property
    def article_share(self) -> float | None:
        return rate(self.by_article, self.solved)


def _week_of(value: datetime | date) -> date:
    if isinstance(value, datetime):
        value = timezone.localtime(value).date()
    return value - timedelta(days=value.weekday())


def weekly_trend(scope: Scope) -> list[Week]:
    """Created and solved per calendar week of the period, weeks without any included."""

    def rolled_up(rolled: RollUp) -> tuple[dict, dict] | None:
        created: dict = {}
        solved: dict = {}
        for row in _day_sums(rolled):
            week = _week_of(row.week)
            created[week] = created.get(week, 0) + row.created
            counts = solved.setdefault(week, {"n": 0, "by_article": 0})
            counts["n"] += row.solved
            counts["by_article"] += row.by_article
        return (created, solved) if created else None

    def counted() -> tuple[dict, dict]:
        created = {
            _week_of(row["week"]): row["n"]
            for row in created_tickets(scope)
            .annotate(week=TruncWeek("created_at"))
            .values("week")
            .annotate(n=Count("created_at"))
        }
        solved = {
            _week_of(row["week"]): row
            for row in solves(scope)
            .annotate(week=TruncWeek("solved_at"))
            .values("week")
            .annotate(
                n=Count("solved_at"),
                by_article=Count("solved_at", filter=Q(kind=Resolution.Kind.ARTICLE)),
            )
        }
        return created, solved

    created, solved = answer(scope, rolled_up, counted)
    weeks = []
    start = _week_of(scope.since)
    last = scope.last_day
    while start <= last:
        row = solved.get(start, {})
        weeks.append(
            Week(
                start=start,
                created=created.get(start, 0),
                solved=row.get("n", 0),
                by_article=row.get("by_article", 0),
            )
        )
        start += timedelta(days=7)
    return weeks


@dataclass(frozen=True)
class CategoryRow:
    category: IssueCategory | None
    solved: int
    gaps: int
    cells: dict  # article id -> solves naming the article

    def rate(self, article_id: int) -> float | None:
        return rate(self.cells.get(article_id, 0), self.solved)


@dataclass(frozen=True)
class Matrix:
    articles: list  # Article, most resolving first
    rows: list[CategoryRow]  # by category position; uncategorised last


def category_matrix(scope: Scope) -> Matrix:
    """Solves per issue category, and per category × resolving article."""
    totals = answer(
        scope,
        lambda rolled: _per_category(rolled, "solved", "gaps", kept="solved"),
        lambda: {
            row["category_id"]: row
            for row in solves(scope)
            .values("category_id")
            .annotate(
                solved=Count("solved_at"),
                gaps=Count("solved_at", filter=Q(kind=Resolution.Kind.NO_ARTICLE)),
            )
        },
    )

    def rolled_cells(rolled: RollUp) -> list | None:
        slices = rolled.slices.also("measure = %s", ReportSlice.Measure.ARTICLE_SOLVED)
        if scope.category_id is not None:
            slices = slices.also("category_id = %s", scope.category_id)
        else:
            slices = slices.also("category_id > %s", days.EVERY)
        slices = rolled.in_inboxes(slices)
        rows = slices.sums("category_id", "subject_id")
        return [(_category(c), a, n) for c, a, n, _ in rows if n] or None

    cells: dict = {}
    for category_id, article_id, n in answer(
        scope,
        # No solve named an article (or the roll-up awaits a rebuild): the rows.
        lambda rolled: rolled_cells(rolled) if totals else None,
        lambda: (
            solve_facts(scope)
            .values_list("category_id", "article_id")
            .annotate(n=Count("resolution_id", distinct=True))
        ),
    ):
        cells.setdefault(category_id, {})[article_id] = n
    article_totals: dict = {}
    for per_article in cells.values():
        for article_id, n in per_article.items():
            article_totals[article_id] = article_totals.get(article_id, 0) + n
    articles = sorted(
        Article.objects.filter(pk__in=article_totals).only("id", "title", "slug"),
        key=lambda a: (-article_totals[a.pk], a.title),
    )
    categories = {c.pk: c for c in IssueCategory.objects.filter(pk__in=totals)}
    ordered = sorted(totals, key=lambda pk: (pk is None, categories[pk].position if pk else 0,
                                             categories[pk].name if pk else ""))  # fmt: skip
    rows = [
        CategoryRow(
            category=categories.get(pk),
            solved=totals[pk]["solved"],
            gaps=totals[pk]["gaps"],
            cells=cells.get(pk, {}),
        )
        for pk in ordered
    ]
    return Matrix(articles=articles, rows=rows)


@dataclass(frozen=True)
class ArticleRow:
    article: Article
    measures: ArticleMeasures
    revisions: list  # (ArticleRevision, ArticleMeasures)


def _counted_article_measures(scope: Scope) -> tuple[list, list]:
    """(per revision, per article) ``ArticleMeasures`` counted from the links and facts."""
    common = {
        "inbox_ids": None if scope.every_inbox else scope.inbox_ids,
        "since": scope.since,
        "until": scope.until,
        "now": scope.now,
        "category_id": scope.category_id,
        "linked_by_id": scope.agent_id,
    }
    per_revision = article_measures(**common, by_revision=True)
    # An article linked at one revision only in scope has exactly that revision's
    # figures (the same links); only articles linked at several need their own
    # totals, whose distinct tickets and median do not add up from the revisions.
    revision_rows = Counter(m.article_id for m in per_revision)
    several = [pk for pk, n in revision_rows.items() if n > 1]
    totals = [
        replace(m, revision_id=None) for m in per_revision if revision_rows[m.article_id] == 1
    ]
    if several:
        totals += article_measures(**common, article_ids=several)
    return per_revision, totals


def _rolled_article_measures(rolled: RollUp) -> tuple[list, list] | None:
    """(per revision, per article) ``ArticleMeasures`` from the article roll-up
    (``ReportArticle``), None when it holds nothing for the scope.

    One query: a grouped read of the scope's slice; held, as for the headline,
    from the held pairs' solve days before the day the hold window's end falls
    in, and for that one day from the facts (``_turning_day_held``)."""
    scope = rolled.scope
    using = router.db_for_read(ReportArticle)
    whole = days.whole_days(scope.since, scope.until, using=using)
    if whole is None:
        return None
    where = reads.in_periods(article_days.periods(*whole), span=True)
    where = rolled.in_inboxes(where.also("category_id = %s", rolled.category_key))
    measure = ReportArticle.Measure
    turning = timezone.localtime(scope.held_before).date()
    # Held pairs keyed 1 when solved before the turning day, times by their bucket.
    read = (
        "SELECT measure, article_id, revision_id, "
        "CASE WHEN measure = %s AND day + bucket < %s THEN 1 WHEN measure = %s THEN bucket "
        "ELSE 0 END, sum(n), sum(total_ms)::bigint "
        f"FROM tickets_reportarticle WHERE {where.sql} GROUP BY 1, 2, 3, 4"
    )
    held, held_params = _turning_day_held(scope, turning)
    params = (measure.HELD, turning, measure.TIME, *where.params, *held_params)
    figures: dict = {}
    buckets: dict = {}
    turning_held = []
    for code, article_id, revision_id, k, n, total in reads.rows(
        using, f"{read} UNION ALL {held}", params
    ):
        if not n:
            continue
        if code == _TURNING_HELD:
            turning_held.append(((article_id, revision_id), n))
            continue
        if code == measure.TIME:
            # Per revision only: an article's times are its revisions' together.
            for pair in ((article_id, revision_id), (article_id, days.EVERY)):
                n0, total0 = buckets.setdefault(pair, {}).get(k, (0, 0))
                buckets[pair][k] = (n0 + n, total0 + total)
            continue
        if code == measure.HELD and not k:
            continue  # solved on or after the turning day: counted below, or not yet held
        row = figures.setdefault((article_id, revision_id), {})
        row[code] = row.get(code, 0) + n
    for pair in buckets:
        figures.setdefault(pair, {})
    if not figures:
        return None
    for pair, n in turning_held:
        row = figures.setdefault(pair, {})
        row[measure.HELD] = row.get(measure.HELD, 0) + n
    per_revision, totals = [], []
    for (article_id, revision_id), row in sorted(figures.items()):
        m = ArticleMeasures(
            article_id=article_id,
            revision_id=None if revision_id == days.EVERY else revision_id,
            linked=row.get(measure.LINKED, 0),
            sent=row.get(measure.SENT, 0),
            resolved=row.get(measure.RESOLVED, 0),
            held=row.get(measure.HELD, 0),
            not_held=row.get(measure.NOT_HELD, 0),
            median_resolution_seconds=days.percentile(
                buckets.get((article_id, revision_id), {}), 0.5
            ),
        )
        (totals if m.revision_id is None else per_revision).append(m)
    return per_revision, totals


# The turning day's held pairs, read in the same query as the roll-up's rows.
_TURNING_HELD = "H"


def _turning_day_held(scope: Scope, turning: date) -> tuple[str, tuple]:
    """The pairs of the scope held by a solve on the turning day, up to the hold
    window's end, that is their earliest solve not reopened (the one the
    roll-up keys "held" by): a query (SQL, parameters) of rows shaped as the
    roll-up's read, (``_TURNING_HELD``, article, revision or -1, 0, n, 0).
    Each fact looks once for the earlier solves of its (ticket, article) pair,
    those of its revision among them."""
    turning_start = timezone.make_aware(datetime.combine(turning, time.min))
    where = reads.Where(
        ("f.linked_at >= %s AND f.linked_at < %s", "f.solved_at >= %s AND f.solved_at <= %s",
         "f.reopened_at IS NULL"),
        (scope.since, scope.until, turning_start, scope.held_before),
    )  # fmt: skip
    where = scope.within(where, table="t.")
    ticket = "" if scope.every_inbox and scope.category_id is None else (
        "JOIN tickets_ticket t ON t.id = f.ticket_id")  # fmt: skip
    sql = f"""
SELECT %s, article_id, rev, 0, count(*), 0 FROM (
  SELECT f.article_id, g.rev
    FROM tickets_resolutionarticle f {ticket}
   CROSS JOIN LATERAL (
         SELECT count(*) AS pair, count(*) FILTER (WHERE u.revision_id = f.revision_id) AS rev
           FROM tickets_resolutionarticle u
          WHERE u.ticket_id = f.ticket_id AND u.article_id = f.article_id
            AND u.reopened_at IS NULL
            AND (u.solved_at, u.linked_at, u.id) < (f.solved_at, f.linked_at, f.id)) AS earlier
   CROSS JOIN LATERAL (VALUES (-1::bigint, earlier.pair), (f.revision_id, earlier.rev))
         AS g (rev, before)
   WHERE {where.sql} AND g.before = 0) AS firsts
 GROUP BY article_id, rev"""
    return sql, (_TURNING_HELD, *where.params)


def article_table(scope: Scope) -> list[ArticleRow]:
    """Article effectiveness over the links made in the period, with revision rows:
    from the article roll-up (``article_days``) when it answers the scope, else counted."""
    per_revision, totals = answer(
        scope, _rolled_article_measures, lambda: _counted_article_measures(scope)
    )
    # Only what the table shows: the figures may be cached (reports.cache).
    articles = Article.objects.only("id", "title", "slug").in_bulk([m.article_id for m in totals])
    revisions = ArticleRevision.objects.only("id", "number", "article_id").in_bulk(
        [m.revision_id for m in per_revision]
    )
    by_article: dict = {}
    for m in per_revision:
        by_article.setdefault(m.article_id, []).append((revisions[m.revision_id], m))
    rows = [
        ArticleRow(
            article=articles[m.article_id],
            measures=m,
            revisions=sorted(by_article.get(m.article_id, []), key=lambda r: r[0].number),
        )
        for m in totals
    ]
    return sorted(rows, key=lambda r: (-r.measures.resolved, -r.measures.linked, r.article.title))


@dataclass(frozen=True)
class GapRow:
    category: IssueCategory | None
    gaps: int
    examples: list  # (ticket id, subject, agent's note), latest first


EXAMPLES = 3
# A ticket solved as a gap, reopened and solved as a gap again has two such
# resolutions: read a few more than shown, so distinct tickets fill the examples.
GAPS_READ = EXAMPLES * 3


def _latest_gaps(scope: Scope, category_ids: list) -> list[tuple]:
    """(category id, ticket id, resolution id) of each category's latest
    ``EXAMPLES`` gaps, latest first. On PostgreSQL one query of a few short
    index walks back from the period's end, one per category; where compound
    queries cannot be sliced (SQLite), one ranking of the period's gaps."""
    using = router.db_for_read(Resolution)
    if not connections[using].features.supports_slicing_ordering_in_compound:
        gaps = solves(scope).filter(kind=Resolution.Kind.NO_ARTICLE)
        latest = [F("solved_at").desc(), F("id").desc()]
        return list(
            gaps.annotate(rank=Window(RowNumber(), partition_by=F("category_id"), order_by=latest))
            .filter(rank__lte=GAPS_READ)
            .values_list("category_id", "ticket_id", "id")
            .order_by("category_id", "rank")
        )
    if not category_ids:
        return []
    # Written out: one branch per category, which the ORM built and compiled
    # one by one. The conditions are ``solves``'s, for kind "no_article".
    where = reads.Where(
        ("kind = %s", "solved_at >= %s AND solved_at < %s"),
        (Resolution.Kind.NO_ARTICLE.value, scope.since, scope.until),
    )
    where = scope.within(where)
    if scope.agent_id is not None:
        where = where.also("solved_by_id = %s", scope.agent_id)
    branches, params = [], []
    for pk in category_ids:
        branches.append(
            "(SELECT category_id, ticket_id, id, solved_at FROM tickets_resolution "
            f"WHERE {where.sql} AND category_id {'= %s' if pk is not None else 'IS NULL'} "
            "ORDER BY solved_at DESC, id DESC LIMIT %s)"
        )
        params += [*where.params, *([pk] if pk is not None else []), GAPS_READ]
    rows = reads.rows(using, " UNION ALL ".join(branches), params)
    ordered = sorted(rows, key=lambda r: (r[3], r[2]), reverse=True)
    return [row[:3] for row in ordered]


def content_gaps(scope: Scope) -> list[GapRow]:
    """Solves without an article per issue category, most first, with the latest
    subjects as examples (only of tickets still in the viewer's inboxes)."""
    counts = answer(
        scope,
        lambda rolled: (
            {pk: row["gaps"] for pk, row in (_per_category(rolled, "gaps") or {}).items()} or None
        ),
        lambda: dict(
            solves(scope)
            .filter(kind=Resolution.Kind.NO_ARTICLE)
            .values_list("category_id")
            .annotate(n=Count("solved_at"))
        ),
    )
    categories = IssueCategory.objects.in_bulk([pk for pk in counts if pk is not None])
    # The latest few of each category, found index-only (``resolution_gaps``);
    # then their notes, and the subjects of those tickets still in the scope's
    # inboxes (a ticket moved to another inbox after it was solved lends none).
    ranked = _latest_gaps(scope, list(counts))
    details = {
        pk: (subject, note)
        for pk, subject, note in Resolution.objects.filter(
            Q(pk__in=[pk for _, _, pk in ranked]), scope.inbox_filter("ticket__inbox_id")
        ).values_list("pk", "ticket__subject", "note")
    }
    examples: dict = {}
    for category_id, ticket_id, pk in ranked:
        shown = examples.setdefault(category_id, [])
        # Each ticket once (its latest gap), at most EXAMPLES of them.
        if pk in details and len(shown) < EXAMPLES and all(t != ticket_id for t, _, _ in shown):
            subject, note = details[pk]
            shown.append((ticket_id, subject, note))
    rows = [
        GapRow(category=categories.get(pk), gaps=n, examples=examples.get(pk, []))
        for pk, n in counts.items()
    ]
    return sorted(rows, key=lambda r: (-r.gaps, r.category is None,
                                       r.category.position if r.category else 0,
                                       r.category.name if r.category else ""))  # fmt: skip


@dataclass(frozen=True)
class AgentRow:
    agent: object
    solved: int = 0
    by_article: int = 0
    resolution_median: float | None = None
    created: int = 0
    first_response_median: float | None = None

    @property
    def article_share(self) -> float | None:
        return rate(self.by_article, self.solved)


def agent_table(scope: Scope) -> list[AgentRow]:
    """Per agent: their solves (as solver) and their assigned tickets' first response."""
    figures = answer(scope, _rolled_agent_figures, lambda: _counted_agent_figures(scope))
    users = (
        get_user_model()
        .objects.only("id", "username", "first_name", "last_name")
        .in_bulk(list(figures))
    )
    rows = [AgentRow(agent=users[pk], **values) for pk, values in figures.items() if pk in users]
    return sorted(rows, key=lambda r: (-r.solved, r.agent.get_full_name() or r.agent.username))


def _rolled_agent_figures(rolled: RollUp) -> dict | None:
    """{agent id: AgentRow values} from the per-agent slices, None if empty."""
    measure = ReportSlice.Measure
    rows = rolled.sliced(measure.AGENT_CREATED, measure.AGENT_SOLVED,
                         measure.AGENT_FIRST_RESPONSE, measure.AGENT_RESOLUTION)  # fmt: skip
    if rows is None:
        return None
    buckets = _buckets(rows.sums("subject_id", "measure", "bucket"))
    figures: dict = {}
    for (agent_id, code), cells in buckets.items():
        row = figures.setdefault(agent_id, {})
        if code == measure.AGENT_SOLVED:
            row["solved"] = sum(n for n, _ in cells.values())
            row["by_article"] = cells.get(1, (0, 0))[0]
        elif code == measure.AGENT_CREATED:
            row["created"] = sum(n for n, _ in cells.values())
        elif code == measure.AGENT_RESOLUTION:
            row["resolution_median"] = days.percentile(cells, 0.5)
        else:
            row["first_response_median"] = days.percentile(cells, 0.5)
    # An agent with only zeroed rows (counts moved away) is not in the table.
    return {
        pk: row for pk, row in figures.items() if row.get("solved") or row.get("created")
    } or None


def _counted_agent_figures(scope: Scope) -> dict:
    resolution_time = F("resolution_seconds")
    figures: dict = {}
    for row in (
        solves(scope)
        .filter(solved_by__isnull=False)
        .values("solved_by_id")
        .annotate(
            solved=Count("solved_at"),
            by_article=Count("solved_at", filter=Q(kind=Resolution.Kind.ARTICLE)),
            resolution_median=Percentile(resolution_time, 0.5),
        )
    ):
        figures.setdefault(row.pop("solved_by_id"), {}).update(row)
    for row in (
        created_tickets(scope)
        .filter(assignee__isnull=False)
        .values("assignee_id")
        .annotate(
            created=Count("created_at"),
            first_response_median=Percentile("first_response_seconds", 0.5),
        )
    ):
        figures.setdefault(row.pop("assignee_id"), {}).update(row)
    return figures
