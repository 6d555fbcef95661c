"""The report's reads written out as SQL: of its roll-ups, and of the few rows
it still counts (the turning day's solves, the latest content gaps).

A new filter state makes about fifteen reads. Built and compiled with the ORM,
they cost more CPU than PostgreSQL spends answering them, and the report's
parts run on threads that share one interpreter: so they are written as SQL
over plain columns of our own tables, every value a parameter (``Where``).
``measures`` says what each read means; SQLite (the demo) keeps the ORM's
queries, as do the figures counted for scopes the roll-ups do not answer.

Each read of a roll-up carries the condition that the triggers count days in
``TIME_ZONE`` (see ``days.rows``): after a change of zone none match until
``migrate`` rebuilds them, and the report counts the tickets instead.
"""

from dataclasses import dataclass, replace
from datetime import date

from django.conf import settings
from django.db import connections

from tickets.reports import article_days


@dataclass(frozen=True)
class Where:
    """Conditions joined by AND, and their parameters in order."""

    conditions: tuple[str, ...] = ()
    params: tuple = ()

    def also(self, condition: str, *params) -> "Where":
        return Where((*self.conditions, condition), (*self.params, *params))

    @property
    def sql(self) -> str:
        return " AND ".join(f"({c})" for c in self.conditions) or "TRUE"


def _any_of(ranges: list[str], params: list) -> Where:
    return Where((" OR ".join(f"({r})" for r in ranges),), tuple(params))


def days_in(first: date, end: date) -> Where:
    """Rows of the days [first, end), counted in this ``TIME_ZONE``."""
    return Where(("day >= %s AND day < %s", "tickets_report_zone() = %s"),
                 (first, end, settings.TIME_ZONE))  # fmt: skip


def in_periods(periods: list[tuple[int, date, date]], *, span: bool) -> Where | None:
    """Rows of ``periods`` (``article_days.periods``: span, start, stop), counted in
    this ``TIME_ZONE``; ``span``: of a table kept per block of days, whose ``span``
    column says which. None for no periods."""
    if not periods:
        return None
    each = "span = %s AND day >= %s AND day < %s" if span else "day >= %s AND day < %s"
    params = [v for s, start, stop in periods for v in ((s,) if span else ()) + (start, stop)]
    return _any_of([each] * len(periods), params).also(
        "tickets_report_zone() = %s", settings.TIME_ZONE
    )


def rows(using: str, sql: str, params) -> list[tuple]:
    """The rows of ``sql`` with ``params``, on the database ``using``."""
    with connections[using].cursor() as cursor:
        cursor.execute(sql, list(params))
        return cursor.fetchall()


@dataclass(frozen=True)
class Slices:
    """The ``ReportSlice`` rows of a period: those of its edge days, and the
    ``ReportSliceBlock`` rows of its whole blocks of days (``article_days.periods``),
    which hold the same counts per block. Filtered alike, summed together (``sums``)."""

    using: str
    parts: tuple[tuple[str, Where], ...]  # (table, its rows in the period)

    @classmethod
    def of(cls, using: str, first: date, end: date) -> "Slices | None":
        periods = article_days.periods(first, end)
        days = in_periods([p for p in periods if p[0] == 1], span=False)
        blocks = in_periods([p for p in periods if p[0] != 1], span=True)
        tables = (("tickets_reportslice", days), ("tickets_reportsliceblock", blocks))
        parts = tuple((table, where) for table, where in tables if where)
        return cls(using, parts) if parts else None

    def also(self, condition: str, *params) -> "Slices":
        """The rows that also meet ``condition`` (SQL over the tables' columns), as
        ``Where.also``."""
        parts = tuple((table, where.also(condition, *params)) for table, where in self.parts)
        return replace(self, parts=parts)

    def sums(self, *keys: str) -> list[tuple]:
        """(key..., n, total ms) per distinct ``keys`` (column names): one grouped
        query over the edge days' and the blocks' rows together."""
        columns = ", ".join(keys)
        union = " UNION ALL ".join(
            f"SELECT {columns}, n, total_ms FROM {table} WHERE {where.sql}"
            for table, where in self.parts
        )
        return rows(
            self.using,
            f"SELECT {columns}, sum(n), sum(total_ms) FROM ({union}) AS slices GROUP BY {columns}",
            [param for _, where in self.parts for param in where.params],
        )
