"""The ``ReportDay`` roll-up: kept by PostgreSQL triggers, read by the report.

Every insert, delete, and change of day, inbox or category of a ticket or a
solve (a resolution of kind "article" or "no_article") moves one count from
its old (day, inbox, category) row to its new one, in the writer's own
transaction: the roll-up cannot drift from the rows, whatever writes them
(services, mail intake, the admin, ``QuerySet.update``). A day is a calendar
day in ``TIME_ZONE``, which the trigger functions are built for; ``migrate``
rebuilds them and the rows when the setting changed, and until then the
report counts the rows themselves (``rows``).

A count lives in one of ``STRIPES`` rows per day, inbox and category, chosen
by the counted row's id: two transactions creating tickets in the same inbox
(two mail workers) then update different rows and neither waits for the
other's commit; a bulk edit of many tickets may still make one writer wait.
"""

from datetime import time

from django.conf import settings
from django.db import connections, transaction
from django.db.models import CharField, Func
from django.utils import timezone

STRIPES = 16

FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION tickets_report_zone() RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT %(zone)s::text $$;

CREATE OR REPLACE FUNCTION tickets_report_day(at timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE AS $$ SELECT (at AT TIME ZONE %(zone)s)::date $$;

CREATE OR REPLACE FUNCTION tickets_report_bump(
    at timestamptz, inbox bigint, category bigint, row_id bigint,
    created int, solved int, by_article int, gaps int
) RETURNS void LANGUAGE sql AS $$
    INSERT INTO tickets_reportday AS r
           (day, inbox_id, category_id, stripe, created, solved, by_article, gaps)
    VALUES (tickets_report_day(at), inbox, coalesce(category, 0), row_id % %(stripes)s,
            created, solved, by_article, gaps)
    ON CONFLICT (day, inbox_id, category_id, stripe) DO UPDATE
       SET created = r.created + excluded.created,
           solved = r.solved + excluded.solved,
           by_article = r.by_article + excluded.by_article,
           gaps = r.gaps + excluded.gaps
$$;

CREATE OR REPLACE FUNCTION tickets_ticket_report_day() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM tickets_report_bump(OLD.created_at, OLD.inbox_id, OLD.category_id, OLD.id,
            -1, 0, 0, 0);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM tickets_report_bump(NEW.created_at, NEW.inbox_id, NEW.category_id, NEW.id,
            1, 0, 0, 0);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tickets_resolution_report_day() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.kind IN ('article', 'no_article') THEN
        PERFORM tickets_report_bump(OLD.solved_at, OLD.inbox_id, OLD.category_id, OLD.id, 0, -1,
            -(OLD.kind = 'article')::int, -(OLD.kind = 'no_article')::int);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.kind IN ('article', 'no_article') THEN
        PERFORM tickets_report_bump(NEW.solved_at, NEW.inbox_id, NEW.category_id, NEW.id, 0, 1,
            (NEW.kind = 'article')::int, (NEW.kind = 'no_article')::int);
    END IF;
    RETURN NULL;
END $$;
"""

# Saving a ticket writes every column; only a changed key moves a count.
TRIGGERS_SQL = """
CREATE TRIGGER tickets_ticket_report_day_write
    AFTER INSERT OR DELETE ON tickets_ticket
    FOR EACH ROW EXECUTE FUNCTION tickets_ticket_report_day();
CREATE TRIGGER tickets_ticket_report_day_change
    AFTER UPDATE OF created_at, inbox_id, category_id ON tickets_ticket
    FOR EACH ROW WHEN (OLD.created_at IS DISTINCT FROM NEW.created_at
                       OR OLD.inbox_id IS DISTINCT FROM NEW.inbox_id
                       OR OLD.category_id IS DISTINCT FROM NEW.category_id)
    EXECUTE FUNCTION tickets_ticket_report_day();
CREATE TRIGGER tickets_resolution_report_day_write
    AFTER INSERT OR DELETE ON tickets_resolution
    FOR EACH ROW EXECUTE FUNCTION tickets_resolution_report_day();
CREATE TRIGGER tickets_resolution_report_day_change
    AFTER UPDATE OF solved_at, inbox_id, category_id, kind ON tickets_resolution
    FOR EACH ROW WHEN (OLD.solved_at IS DISTINCT FROM NEW.solved_at
                       OR OLD.inbox_id IS DISTINCT FROM NEW.inbox_id
                       OR OLD.category_id IS DISTINCT FROM NEW.category_id
                       OR OLD.kind IS DISTINCT FROM NEW.kind)
    EXECUTE FUNCTION tickets_resolution_report_day();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS tickets_ticket_report_day_write ON tickets_ticket;
DROP TRIGGER IF EXISTS tickets_ticket_report_day_change ON tickets_ticket;
DROP TRIGGER IF EXISTS tickets_resolution_report_day_write ON tickets_resolution;
DROP TRIGGER IF EXISTS tickets_resolution_report_day_change ON tickets_resolution;
DROP FUNCTION IF EXISTS tickets_ticket_report_day();
DROP FUNCTION IF EXISTS tickets_resolution_report_day();
DROP FUNCTION IF EXISTS tickets_report_bump(
    timestamptz, bigint, bigint, bigint, int, int, int, int);
DROP FUNCTION IF EXISTS tickets_report_day(timestamptz);
DROP FUNCTION IF EXISTS tickets_report_zone();
"""

# One row per counted ticket or solve, keyed as the triggers key them.
_COUNTED = f"""
SELECT tickets_report_day(created_at) AS day, inbox_id,
       coalesce(category_id, 0) AS category_id, id % {STRIPES} AS stripe,
       1 AS created, 0 AS solved, 0 AS by_article, 0 AS gaps
  FROM tickets_ticket
UNION ALL
SELECT tickets_report_day(solved_at), inbox_id, coalesce(category_id, 0),
       id % {STRIPES}, 0, 1, (kind = 'article')::int, (kind = 'no_article')::int
  FROM tickets_resolution WHERE kind IN ('article', 'no_article')
"""

# Every row counted afresh (the migration, a change of TIME_ZONE, the bench's load).
REFRESH_SQL = f"""
DELETE FROM tickets_reportday;
INSERT INTO tickets_reportday
       (day, inbox_id, category_id, stripe, created, solved, by_article, gaps)
SELECT day, inbox_id, category_id, stripe,
       sum(created), sum(solved), sum(by_article), sum(gaps)
  FROM ({_COUNTED}) AS counted
 GROUP BY day, inbox_id, category_id, stripe
"""

# The (day, inbox, category) keys whose stored counts differ from a recount.
DRIFT_SQL = f"""
WITH stored AS (
    SELECT day, inbox_id, category_id, sum(created) AS created, sum(solved) AS solved,
           sum(by_article) AS by_article, sum(gaps) AS gaps
      FROM tickets_reportday GROUP BY day, inbox_id, category_id),
counted AS (
    SELECT day, inbox_id, category_id, sum(created) AS created, sum(solved) AS solved,
           sum(by_article) AS by_article, sum(gaps) AS gaps
      FROM ({_COUNTED}) AS rows GROUP BY day, inbox_id, category_id)
SELECT day, inbox_id, category_id
  FROM stored FULL JOIN counted USING (day, inbox_id, category_id)
 WHERE (coalesce(stored.created, 0), coalesce(stored.solved, 0),
        coalesce(stored.by_article, 0), coalesce(stored.gaps, 0))
       IS DISTINCT FROM
       (coalesce(counted.created, 0), coalesce(counted.solved, 0),
        coalesce(counted.by_article, 0), coalesce(counted.gaps, 0))
 ORDER BY day, inbox_id, category_id
"""

# Triggers to pause during a bulk load (REFRESH_SQL runs after it).
TRIGGERS = {
    "tickets_ticket": ["tickets_ticket_report_day_write", "tickets_ticket_report_day_change"],
    "tickets_resolution": [
        "tickets_resolution_report_day_write",
        "tickets_resolution_report_day_change",
    ],
}


def build(cursor) -> None:
    """(Re)create the trigger functions for ``TIME_ZONE`` and recount every row."""
    zone = settings.TIME_ZONE
    functions = FUNCTIONS_SQL.replace("%(zone)s", _literal(zone))
    cursor.execute(functions.replace("%(stripes)s", str(STRIPES)))
    refresh(cursor)


def refresh(cursor) -> None:
    """Count every row afresh with the trigger functions as they are."""
    cursor.execute(REFRESH_SQL)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def install(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        build(cursor)
        cursor.execute(TRIGGERS_SQL)


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


def built_zone(using: str = "default") -> str | None:
    """The time zone the trigger functions count days in (None: not installed)."""
    with connections[using].cursor() as cursor:
        cursor.execute("SELECT to_regproc('tickets_report_zone') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return None
        cursor.execute("SELECT tickets_report_zone()")
        return cursor.fetchone()[0]


def rebuild_if_zone_changed(using: str = "default", **kwargs) -> bool:
    """After ``migrate``: rebuild for a new ``TIME_ZONE``. True when it rebuilt."""
    if connections[using].vendor != "postgresql":
        return False
    zone = built_zone(using)
    if zone is None or zone == settings.TIME_ZONE:
        return False
    rebuild(using)
    return True


def drift(using: str = "default") -> list[tuple]:
    """(day, inbox id, category id) of every key whose counts differ from the rows:
    empty unless the triggers were off while rows changed (or a bug)."""
    with connections[using].cursor() as cursor:
        cursor.execute(DRIFT_SQL)
        return cursor.fetchall()


def rebuild(using: str = "default") -> None:
    """Build the trigger functions for ``TIME_ZONE`` and count every row afresh."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        build(cursor)


def rows(since, until, *, using: str):
    """The roll-up rows of [since, until) as a QuerySet, or None when the roll-up
    cannot answer: not PostgreSQL, or a period of other than whole local days.

    The rows carry a condition that the triggers count days in ``TIME_ZONE``:
    after a change of zone no row matches until ``migrate`` rebuilds them, and
    the caller counts the tickets instead (see ``reports``)."""
    from tickets.models import ReportDay

    if connections[using].vendor != "postgresql":
        return None
    since, until = timezone.localtime(since), timezone.localtime(until)
    if since.time() != time(0) or until.time() != time(0):
        return None
    zone = Func(function="tickets_report_zone", output_field=CharField())
    return (
        ReportDay.objects.using(using)
        .alias(zone=zone)
        .filter(zone=settings.TIME_ZONE, day__gte=since.date(), day__lt=until.date())
        .order_by()
    )
