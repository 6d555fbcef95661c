"""Aggregates and expressions for the reports that run on PostgreSQL and SQLite."""

from django.db import models
from django.db.backends.signals import connection_created
from django.dispatch import receiver


class Percentile(models.Aggregate):
    """``percentile_cont(fraction) WITHIN GROUP (ORDER BY expression)``.

    Durations are aggregated as seconds (float) so both databases agree.
    """

    function = "percentile_cont"
    name = "Percentile"
    output_field = models.FloatField()
    template = "%(function)s(%(fraction)s) WITHIN GROUP (ORDER BY %(expressions)s)%(filter)s"

    def __init__(self, expression, fraction: float, **extra):
        if not 0 <= fraction <= 1:
            raise ValueError("fraction must be between 0 and 1")
        super().__init__(expression, fraction=repr(float(fraction)), **extra)

    def as_sqlite(self, compiler, connection, **extra_context):
        # SQLite has no ordered-set aggregates; the demo database gets a small
        # Python aggregate registered on connect (see below).
        return self.as_sql(
            compiler,
            connection,
            template="percentile_cont(%(expressions)s, %(fraction)s)%(filter)s",
            **extra_context,
        )


class _SQLitePercentile:
    def __init__(self):
        self.values: list[float] = []
        self.fraction = 0.5

    def step(self, value, fraction):
        self.fraction = fraction
        if value is not None:
            self.values.append(float(value))

    def finalize(self):
        if not self.values:
            return None
        if len(self.values) == 1:
            return self.values[0]
        # Same interpolation as PostgreSQL's percentile_cont.
        ordered = sorted(self.values)
        position = self.fraction * (len(ordered) - 1)
        low = int(position)
        high = min(low + 1, len(ordered) - 1)
        return ordered[low] + (ordered[high] - ordered[low]) * (position - low)


@receiver(connection_created)
def _register_sqlite_percentile(sender, connection, **kwargs):
    if connection.vendor == "sqlite":
        connection.connection.create_aggregate("percentile_cont", 2, _SQLitePercentile)


class SecondsBetween(models.Func):
    """Seconds from the first datetime column to the second, as a float, in an
    expression the database accepts for a stored generated column (immutable):
    the reports sort a stored float instead of computing each row's duration,
    which halves the time their percentiles take."""

    output_field = models.FloatField()
    arity = 2

    def __init__(self, start: str, end: str, **extra):
        super().__init__(models.F(end), models.F(start), **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="(EXTRACT(EPOCH FROM (%(expressions)s)))::double precision",
            arg_joiner=" - ",
            **extra_context,
        )

    def as_sqlite(self, compiler, connection, **extra_context):
        return self.as_sql(
            compiler,
            connection,
            template="((julianday(%(expressions)s)) * 86400.0)",
            arg_joiner=") - julianday(",
            **extra_context,
        )
