"""The report's roll-ups, ``ReportDay`` and ``ReportSlice``: kept by PostgreSQL
triggers, read by the report.

Every insert, delete, and change of what a count is keyed by or counts (day,
inbox, category, assignee or solver, kind, first response, reopening, agent
replies) of a ticket or a solve (a resolution of kind "article" or
"no_article") moves its counts from the old keys to the new ones, in the
writer's own transaction: the roll-ups cannot drift from the rows, whatever
writes them (services, mail intake, the admin, ``QuerySet.update``). A day is
a calendar day in ``TIME_ZONE``, which the trigger functions are built for;
``migrate`` rebuilds them and the rows when the setting changed, and until then
the report counts the rows themselves (``rows``).

``ReportDay``'s counts live in one of ``STRIPES`` rows per day, inbox and
category, chosen by the counted row's id: two transactions creating tickets in
the same inbox (two mail workers) then update different rows and neither waits
for the other's commit. Days before yesterday are folded into one row
(``fold``, daily; a recount writes them so). ``ReportSlice`` is not striped: only agents' actions
(a first reply, an assignment, a solve) move its rows, never a new ticket
without an assignee, so two agents replying at the same moment may wait for
each other's commit for a few milliseconds, mail intake never.

Durations go into fixed buckets (``bucket``): 0 for under a second, then
``PER_DOUBLING`` buckets per doubling from 1 s to 2^26 s (777 days), the last
bucket holding anything longer. Each bucket keeps its values' count and sum,
so a percentile read from merged buckets (``percentile``) is exact where the
values around it are equal, and otherwise off by less than one bucket's width:
under 2^(1/8) - 1 = 9.05 % of the true value (under 1 s below 1 s).

Per agent, the slices are of every category only: by category they would hold
an agent's few values a day in as many rows. A report of one category counts
its agent table from the rows (``RollUp.sliced``).
"""

import math
from datetime import date, time

from django.conf import settings
from django.db import connections, transaction
from django.db.models import CharField, Func, Q
from django.utils import timezone

from tickets.reports import article_days, moves

STRIPES = 16
PER_DOUBLING = 8
LAST_BUCKET = 26 * PER_DOUBLING + 1  # 2^26 s and longer
EVERY = -1  # ReportSlice: every inbox, category or agent
# Relative error bound of a percentile read from the buckets (see the docstring).
PERCENTILE_ERROR = 2 ** (1 / PER_DOUBLING) - 1

FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION tickets_report_zone() RETURNS text
LANGUAGE sql IMMUTABLE AS $$ SELECT %(zone)s::text $$;

CREATE OR REPLACE FUNCTION tickets_report_day(at timestamptz) RETURNS date
LANGUAGE sql IMMUTABLE AS $$ SELECT (at AT TIME ZONE %(zone)s)::date $$;

CREATE OR REPLACE FUNCTION tickets_report_bucket(seconds double precision) RETURNS smallint
LANGUAGE sql IMMUTABLE AS $$
    SELECT (CASE WHEN seconds < 1 THEN 0
                 ELSE least(floor(ln(seconds) / ln(2) * %(per_doubling)s) + 1, %(last)s)
            END)::smallint
$$;

CREATE OR REPLACE FUNCTION tickets_report_bump(
    at timestamptz, inbox bigint, category bigint, row_id bigint,
    created int, solved int, by_article int, gaps int, reopened int, one_touch int
) RETURNS void LANGUAGE sql AS $$
    INSERT INTO tickets_reportday AS r
           (day, inbox_id, category_id, stripe, created, solved, by_article, gaps,
            reopened, one_touch)
    VALUES (tickets_report_day(at), inbox, coalesce(category, 0), row_id % %(stripes)s,
            created, solved, by_article, gaps, reopened, one_touch)
    ON CONFLICT (day, inbox_id, category_id, stripe) DO UPDATE
       SET created = r.created + excluded.created,
           solved = r.solved + excluded.solved,
           by_article = r.by_article + excluded.by_article,
           gaps = r.gaps + excluded.gaps,
           reopened = r.reopened + excluded.reopened,
           one_touch = r.one_touch + excluded.one_touch
$$;

-- One bucket of one measure, in the four inbox x category slices of the row;
-- per agent only those of every category, per article only each category's;
-- and the same into the row's blocks of 8 and 64 days (``ReportSliceBlock``).
-- PL/pgSQL, whose statements are planned when first run: the migration that
-- creates the blocks' table comes after the one that first built this.
CREATE OR REPLACE FUNCTION tickets_report_slice(
    day date, measure text, inbox bigint, category bigint, subject bigint, bucket smallint,
    n int, total_ms bigint
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tickets_reportslice AS s
           (measure, category_id, inbox_id, day, subject_id, bucket, n, total_ms)
    SELECT $2, sl.c, sl.i, $1, $5, $6, $7, $8
      FROM (VALUES ($3, $4), (-1, $4), ($3, -1), (-1, -1)) AS sl (i, c)
     WHERE CASE WHEN $2 IN ('F', 'R', 'C', 'S') THEN sl.c = -1
                WHEN $2 = 'a' THEN sl.c <> -1 ELSE true END
    ON CONFLICT ON CONSTRAINT report_slice_unique DO UPDATE
       SET n = s.n + excluded.n, total_ms = s.total_ms + excluded.total_ms;
    INSERT INTO tickets_reportsliceblock AS s
           (measure, category_id, inbox_id, span, day, subject_id, bucket, n, total_ms)
    SELECT $2, sl.c, sl.i, sp.span, $1 - ((($1 - DATE '<epoch>') % sp.span) + sp.span) % sp.span,
           $5, $6, $7, $8
      FROM (VALUES ($3, $4), (-1, $4), ($3, -1), (-1, -1)) AS sl (i, c)
     CROSS JOIN (VALUES <block_spans>) AS sp (span)
     WHERE CASE WHEN $2 IN ('F', 'R', 'C', 'S') THEN sl.c = -1
                WHEN $2 = 'a' THEN sl.c <> -1 ELSE true END
    ON CONFLICT ON CONSTRAINT report_slice_block_unique DO UPDATE
       SET n = s.n + excluded.n, total_ms = s.total_ms + excluded.total_ms;
END $$;

-- A ticket's or a solve's duration (``timed``: 'f' or 'r'), also per agent
-- ('F', 'R'), and its per-agent count (``counted``: 'C' or 'S').
CREATE OR REPLACE FUNCTION tickets_report_slices(
    at timestamptz, timed text, inbox bigint, category bigint, agent bigint,
    seconds double precision, counted text, counted_bucket int, sign int
) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
    d date := tickets_report_day(at);
    c bigint := coalesce(category, 0);
    b smallint := tickets_report_bucket(seconds);
    ms bigint := sign * round(seconds * 1000)::bigint;
BEGIN
    IF seconds IS NOT NULL THEN
        PERFORM tickets_report_slice(d, timed, inbox, c, -1, b, sign, ms);
        IF agent IS NOT NULL THEN
            PERFORM tickets_report_slice(d, upper(timed), inbox, c, agent, b, sign, ms);
        END IF;
    END IF;
    IF agent IS NOT NULL THEN
        PERFORM tickets_report_slice(d, counted, inbox, c, agent, counted_bucket::smallint,
                                     sign, 0);
    END IF;
END $$;

CREATE OR REPLACE FUNCTION tickets_ticket_report_day() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') THEN
        PERFORM tickets_report_bump(OLD.created_at, OLD.inbox_id, OLD.category_id, OLD.id,
            -1, 0, 0, 0, 0, 0);
        PERFORM tickets_report_slices(OLD.created_at, 'f', OLD.inbox_id, OLD.category_id,
            OLD.assignee_id, OLD.first_response_seconds, 'C', 0, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') THEN
        PERFORM tickets_report_bump(NEW.created_at, NEW.inbox_id, NEW.category_id, NEW.id,
            1, 0, 0, 0, 0, 0);
        PERFORM tickets_report_slices(NEW.created_at, 'f', NEW.inbox_id, NEW.category_id,
            NEW.assignee_id, NEW.first_response_seconds, 'C', 0, 1);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tickets_resolution_report_day() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.kind IN ('article', 'no_article') THEN
        PERFORM tickets_report_bump(OLD.solved_at, OLD.inbox_id, OLD.category_id, OLD.id, 0, -1,
            -(OLD.kind = 'article')::int, -(OLD.kind = 'no_article')::int,
            -(OLD.reopened_at IS NOT NULL)::int, -(OLD.agent_replies = 1)::int);
        PERFORM tickets_report_slices(OLD.solved_at, 'r', OLD.inbox_id, OLD.category_id,
            OLD.solved_by_id, OLD.resolution_seconds, 'S', (OLD.kind = 'article')::int, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.kind IN ('article', 'no_article') THEN
        PERFORM tickets_report_bump(NEW.solved_at, NEW.inbox_id, NEW.category_id, NEW.id, 0, 1,
            (NEW.kind = 'article')::int, (NEW.kind = 'no_article')::int,
            (NEW.reopened_at IS NOT NULL)::int, (NEW.agent_replies = 1)::int);
        PERFORM tickets_report_slices(NEW.solved_at, 'r', NEW.inbox_id, NEW.category_id,
            NEW.solved_by_id, NEW.resolution_seconds, 'S', (NEW.kind = 'article')::int, 1);
    END IF;
    RETURN NULL;
END $$;
"""

# The matrix's count ('a'): one per (resolution, article) pair, keyed by the pair's
# first fact (lowest id). A statement moves each pair it touched from its first
# fact before (the table without the statement's new rows, with its old ones)
# to its first fact after.
_PAIRS_SQL = """
CREATE OR REPLACE FUNCTION tickets_resolution_article_report_%(op)s() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    PERFORM tickets_report_slice(tickets_report_day(solved_at), 'a', inbox_id,
                                 coalesce(category_id, 0), article_id, 0::smallint,
                                 sign, 0::bigint)
       FROM (WITH pairs AS (
                 SELECT resolution_id, article_id FROM %(new)s
                 UNION SELECT resolution_id, article_id FROM %(old)s),
             kept AS (
                 SELECT t.* FROM tickets_resolutionarticle t
                   JOIN pairs USING (resolution_id, article_id)),
             before AS (
                 SELECT DISTINCT ON (resolution_id, article_id) *, -1 AS sign
                   FROM (SELECT * FROM kept WHERE id NOT IN (SELECT id FROM %(new)s)
                         UNION ALL SELECT * FROM %(old)s) AS rows
                  ORDER BY resolution_id, article_id, id),
             after AS (
                 SELECT DISTINCT ON (resolution_id, article_id) *, 1 AS sign
                   FROM kept ORDER BY resolution_id, article_id, id)
             SELECT * FROM before UNION ALL SELECT * FROM after) AS moves;
    RETURN NULL;
END $$;
"""
# Blocks of days as the article roll-up's (``article_days.SPANS``), the single days aside.
BLOCK_SPANS = tuple(span for span in article_days.SPANS if span > 1)
FUNCTIONS_SQL = FUNCTIONS_SQL.replace("<epoch>", article_days.EPOCH.isoformat()).replace(
    "<block_spans>", ", ".join(f"({span})" for span in BLOCK_SPANS)
)
_NONE = "(SELECT * FROM tickets_resolutionarticle WHERE false) AS no_rows"
for _op, _new, _old in (("insert", "new_rows", _NONE), ("delete", _NONE, "old_rows"),
                        ("update", "new_rows", "old_rows")):  # fmt: skip
    FUNCTIONS_SQL += (
        _PAIRS_SQL.replace("%(op)s", _op).replace("%(new)s", _new).replace("%(old)s", _old)
    )

# Saving a ticket writes every column; only a change of what is counted moves a count.
TRIGGERS_SQL = """
CREATE TRIGGER tickets_ticket_report_day_write
    AFTER INSERT OR DELETE ON tickets_ticket
    FOR EACH ROW EXECUTE FUNCTION tickets_ticket_report_day();
CREATE TRIGGER tickets_ticket_report_day_change
    AFTER UPDATE OF created_at, inbox_id, category_id, assignee_id, first_response_at
    ON tickets_ticket
    FOR EACH ROW WHEN (OLD.created_at IS DISTINCT FROM NEW.created_at
                       OR OLD.inbox_id IS DISTINCT FROM NEW.inbox_id
                       OR OLD.category_id IS DISTINCT FROM NEW.category_id
                       OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id
                       OR OLD.first_response_at IS DISTINCT FROM NEW.first_response_at)
    EXECUTE FUNCTION tickets_ticket_report_day();
CREATE TRIGGER tickets_resolution_report_day_write
    AFTER INSERT OR DELETE ON tickets_resolution
    FOR EACH ROW EXECUTE FUNCTION tickets_resolution_report_day();
CREATE TRIGGER tickets_resolution_report_day_change
    AFTER UPDATE OF solved_at, inbox_id, category_id, kind, reopened_at, agent_replies,
                    solved_by_id, ticket_created_at
    ON tickets_resolution
    FOR EACH ROW WHEN (OLD.solved_at IS DISTINCT FROM NEW.solved_at
                       OR OLD.inbox_id IS DISTINCT FROM NEW.inbox_id
                       OR OLD.category_id IS DISTINCT FROM NEW.category_id
                       OR OLD.kind IS DISTINCT FROM NEW.kind
                       OR OLD.reopened_at IS DISTINCT FROM NEW.reopened_at
                       OR OLD.agent_replies IS DISTINCT FROM NEW.agent_replies
                       OR OLD.solved_by_id IS DISTINCT FROM NEW.solved_by_id
                       OR OLD.ticket_created_at IS DISTINCT FROM NEW.ticket_created_at)
    EXECUTE FUNCTION tickets_resolution_report_day();
CREATE TRIGGER tickets_resolution_article_report_insert
    AFTER INSERT ON tickets_resolutionarticle REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tickets_resolution_article_report_insert();
CREATE TRIGGER tickets_resolution_article_report_delete
    AFTER DELETE ON tickets_resolutionarticle REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tickets_resolution_article_report_delete();
CREATE TRIGGER tickets_resolution_article_report_update
    AFTER UPDATE ON tickets_resolutionarticle
    REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tickets_resolution_article_report_update();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS tickets_resolution_article_report_insert ON tickets_resolutionarticle;
DROP TRIGGER IF EXISTS tickets_resolution_article_report_delete ON tickets_resolutionarticle;
DROP TRIGGER IF EXISTS tickets_resolution_article_report_update ON tickets_resolutionarticle;
DROP FUNCTION IF EXISTS tickets_resolution_article_report_insert();
DROP FUNCTION IF EXISTS tickets_resolution_article_report_delete();
DROP FUNCTION IF EXISTS tickets_resolution_article_report_update();
DROP TRIGGER IF EXISTS tickets_ticket_report_day_write ON tickets_ticket;
DROP TRIGGER IF EXISTS tickets_ticket_report_day_change ON tickets_ticket;
DROP TRIGGER IF EXISTS tickets_resolution_report_day_write ON tickets_resolution;
DROP TRIGGER IF EXISTS tickets_resolution_report_day_change ON tickets_resolution;
DROP FUNCTION IF EXISTS tickets_ticket_report_day();
DROP FUNCTION IF EXISTS tickets_resolution_report_day();
DROP FUNCTION IF EXISTS tickets_report_bump(
    timestamptz, bigint, bigint, bigint, int, int, int, int);
DROP FUNCTION IF EXISTS tickets_report_bump(
    timestamptz, bigint, bigint, bigint, int, int, int, int, int, int);
DROP FUNCTION IF EXISTS tickets_report_slices(
    timestamptz, text, bigint, bigint, bigint, double precision, text, int, int);
DROP FUNCTION IF EXISTS tickets_report_slice(
    date, text, bigint, bigint, bigint, smallint, int, bigint);
DROP FUNCTION IF EXISTS tickets_report_bucket(double precision);
DROP FUNCTION IF EXISTS tickets_report_day(timestamptz);
DROP FUNCTION IF EXISTS tickets_report_zone();
"""

# One row per counted ticket or solve, keyed as the triggers key them.
_COUNTED = f"""
SELECT tickets_report_day(created_at) AS day, inbox_id,
       coalesce(category_id, 0) AS category_id, id % {STRIPES} AS stripe,
       1 AS created, 0 AS solved, 0 AS by_article, 0 AS gaps, 0 AS reopened, 0 AS one_touch
  FROM tickets_ticket
UNION ALL
SELECT tickets_report_day(solved_at), inbox_id, coalesce(category_id, 0),
       id % {STRIPES}, 0, 1, (kind = 'article')::int, (kind = 'no_article')::int,
       (reopened_at IS NOT NULL)::int, (agent_replies = 1)::int
  FROM tickets_resolution WHERE kind IN ('article', 'no_article')
"""

_COUNTS = "created, solved, by_article, gaps, reopened, one_touch"

# One row per measured value, keyed as the triggers key them (before slicing).
_MEASURED = """
SELECT v.measure, tickets_report_day(t.created_at) AS day, t.inbox_id,
       coalesce(t.category_id, 0) AS category_id, v.subject_id, v.bucket, v.ms
  FROM tickets_ticket t
 CROSS JOIN LATERAL (VALUES
       ('f', -1::bigint, tickets_report_bucket(t.first_response_seconds),
        round(t.first_response_seconds * 1000)::bigint, t.first_response_seconds IS NOT NULL),
       ('F', t.assignee_id, tickets_report_bucket(t.first_response_seconds),
        round(t.first_response_seconds * 1000)::bigint,
        t.first_response_seconds IS NOT NULL AND t.assignee_id IS NOT NULL),
       ('C', t.assignee_id, 0::smallint, 0::bigint, t.assignee_id IS NOT NULL)
       ) AS v (measure, subject_id, bucket, ms, counted)
 WHERE v.counted
UNION ALL
SELECT v.measure, tickets_report_day(r.solved_at), r.inbox_id, coalesce(r.category_id, 0),
       v.subject_id, v.bucket, v.ms
  FROM tickets_resolution r
 CROSS JOIN LATERAL (VALUES
       ('r', -1::bigint, tickets_report_bucket(r.resolution_seconds),
        round(r.resolution_seconds * 1000)::bigint, r.resolution_seconds IS NOT NULL),
       ('R', r.solved_by_id, tickets_report_bucket(r.resolution_seconds),
        round(r.resolution_seconds * 1000)::bigint,
        r.resolution_seconds IS NOT NULL AND r.solved_by_id IS NOT NULL),
       ('S', r.solved_by_id, (r.kind = 'article')::int::smallint, 0::bigint,
        r.solved_by_id IS NOT NULL)
       ) AS v (measure, subject_id, bucket, ms, counted)
 WHERE r.kind IN ('article', 'no_article') AND v.counted
UNION ALL
SELECT 'a', tickets_report_day(solved_at), inbox_id, coalesce(category_id, 0), article_id,
       0::smallint, 0::bigint
  FROM (SELECT DISTINCT ON (resolution_id, article_id) *
          FROM tickets_resolutionarticle ORDER BY resolution_id, article_id, id) AS first_facts
"""

# Each measured value in its four inbox x category slices (per agent: two).
_SLICED = f"""
SELECT measure,
       CASE WHEN grouping(category_id) = 1 THEN -1 ELSE category_id END AS category_id,
       CASE WHEN grouping(inbox_id) = 1 THEN -1 ELSE inbox_id END AS inbox_id,
       day, subject_id, bucket, count(*)::int AS n, sum(ms)::bigint AS total_ms
  FROM ({_MEASURED}) AS measured
 GROUP BY measure, day, subject_id, bucket,
          GROUPING SETS ((inbox_id, category_id), (category_id), (inbox_id), ())
HAVING CASE WHEN measure IN ('F', 'R', 'C', 'S') THEN grouping(category_id) = 1
            WHEN measure = 'a' THEN grouping(category_id) = 0 ELSE true END
"""

_SLICE_KEY = "measure, category_id, inbox_id, day, subject_id, bucket"

# Every row counted afresh (the migration, a change of TIME_ZONE, the bench's load).
REFRESH_SQL = f"""
DELETE FROM tickets_reportday;
INSERT INTO tickets_reportday (day, inbox_id, category_id, stripe, {_COUNTS})
SELECT day, inbox_id, category_id, folded_stripe, sum(created), sum(solved), sum(by_article),
       sum(gaps), sum(reopened), sum(one_touch)
  FROM ({_COUNTED}) AS counted
 CROSS JOIN LATERAL (  -- past days in one row, as ``FOLD_SQL`` leaves them
       SELECT CASE WHEN day < tickets_report_day(now()) - 1 THEN 0 ELSE stripe END
       ) AS f (folded_stripe)
 GROUP BY day, inbox_id, category_id, folded_stripe;
DELETE FROM tickets_reportslice;
INSERT INTO tickets_reportslice ({_SLICE_KEY}, n, total_ms)
SELECT {_SLICE_KEY}, n, total_ms FROM ({_SLICED}) AS sliced
 ORDER BY measure, category_id, inbox_id, day  -- a slice's days side by side on disk
"""

# The stripes of days before yesterday folded into stripe 0: a past day is
# rarely written (a late reopening, a moved ticket), so its counts need no
# stripes, and the report reads a day's cell in one row instead of up to
# ``STRIPES`` (a 90-day report's day rows: 12,000 -> 1,600 at a million tickets).
# One statement: a writer that bumps a folded day meanwhile adds a row to its
# stripe again (the sums stay right), folded the next time.
FOLD_SQL = f"""
WITH folded AS (
    DELETE FROM tickets_reportday
     WHERE stripe <> 0 AND day < tickets_report_day(now()) - 1
 RETURNING day, inbox_id, category_id, {_COUNTS})
INSERT INTO tickets_reportday AS r (day, inbox_id, category_id, stripe, {_COUNTS})
SELECT day, inbox_id, category_id, 0, {", ".join(f"sum({c})" for c in _COUNTS.split(", "))}
  FROM folded
 GROUP BY day, inbox_id, category_id
    ON CONFLICT (day, inbox_id, category_id, stripe) DO UPDATE
   SET {", ".join(f"{c} = r.{c} + excluded.{c}" for c in _COUNTS.split(", "))}
"""

_DAY_SUMS = ", ".join(f"sum({c}) AS {c}" for c in _COUNTS.split(", "))
_STORED = ", ".join(f"coalesce(stored.{c}, 0)" for c in _COUNTS.split(", "))
_RECOUNTED = ", ".join(f"coalesce(counted.{c}, 0)" for c in _COUNTS.split(", "))

# The (day, inbox, category) keys whose stored counts differ from a recount.
DRIFT_SQL = f"""
WITH stored AS (
    SELECT day, inbox_id, category_id, {_DAY_SUMS}
      FROM tickets_reportday GROUP BY day, inbox_id, category_id),
counted AS (
    SELECT day, inbox_id, category_id, {_DAY_SUMS}
      FROM ({_COUNTED}) AS rows GROUP BY day, inbox_id, category_id)
SELECT day, inbox_id, category_id
  FROM stored FULL JOIN counted USING (day, inbox_id, category_id)
 WHERE ({_STORED}) IS DISTINCT FROM ({_RECOUNTED})
 ORDER BY day, inbox_id, category_id
"""

# The slice rows whose stored bucket differs from a recount.
SLICE_DRIFT_SQL = f"""
SELECT {_SLICE_KEY}
  FROM (SELECT * FROM tickets_reportslice WHERE n <> 0 OR total_ms <> 0) AS stored
  FULL JOIN ({_SLICED}) AS counted USING ({_SLICE_KEY})
 WHERE (coalesce(stored.n, 0), coalesce(stored.total_ms, 0))
       IS DISTINCT FROM (coalesce(counted.n, 0), coalesce(counted.total_ms, 0))
 ORDER BY day, measure, category_id, inbox_id, subject_id, bucket
"""

# ReportSlice's rows summed per block of days: ``ReportSliceBlock`` as the
# trigger function keeps it (the blocks' table came after REFRESH_SQL's, so
# the blocks are counted apart: ``refresh_blocks``).
_BLOCKS = f"""
SELECT measure, category_id, inbox_id, sp.span,
       day - (((day - DATE '{article_days.EPOCH.isoformat()}') % sp.span) + sp.span) % sp.span
           AS day,
       subject_id, bucket, sum(n)::int AS n, sum(total_ms)::bigint AS total_ms
  FROM tickets_reportslice
 CROSS JOIN (VALUES {", ".join(f"({span})" for span in BLOCK_SPANS)}) AS sp (span)
 GROUP BY 1, 2, 3, 4, 5, 6, 7
"""
_BLOCK_KEY = "measure, category_id, inbox_id, span, day, subject_id, bucket"
BLOCKS_REFRESH_SQL = f"""
DELETE FROM tickets_reportsliceblock;
INSERT INTO tickets_reportsliceblock ({_BLOCK_KEY}, n, total_ms)
SELECT {_BLOCK_KEY}, n, total_ms FROM ({_BLOCKS}) AS blocks
 WHERE n <> 0 OR total_ms <> 0
 ORDER BY measure, category_id, inbox_id, span, day  -- a slice's blocks side by side
"""
# The block rows whose count or total differs from their days' (``ReportSlice``).
BLOCK_DRIFT_SQL = f"""
SELECT {_BLOCK_KEY}
  FROM (SELECT * FROM tickets_reportsliceblock WHERE n <> 0 OR total_ms <> 0) AS stored
  FULL JOIN ({_BLOCKS}) AS counted USING ({_BLOCK_KEY})
 WHERE (coalesce(stored.n, 0), coalesce(stored.total_ms, 0))
       IS DISTINCT FROM (coalesce(counted.n, 0), coalesce(counted.total_ms, 0))
 ORDER BY day, span, measure, category_id, inbox_id, subject_id, bucket
"""

# Triggers to pause during a bulk load (REFRESH_SQL runs after it).
TRIGGERS = {
    "tickets_ticket": ["tickets_ticket_report_day_write", "tickets_ticket_report_day_change"],
    "tickets_resolution": [
        "tickets_resolution_report_day_write",
        "tickets_resolution_report_day_change",
    ],
    "tickets_resolutionarticle": [
        "tickets_resolution_article_report_insert",
        "tickets_resolution_article_report_delete",
        "tickets_resolution_article_report_update",
    ],
}


def build(cursor) -> None:
    """(Re)create the trigger functions for ``TIME_ZONE`` and recount every row."""
    build_functions(cursor)
    refresh(cursor)


def refresh(cursor) -> None:
    """Count every row afresh with the trigger functions as they are (the
    blocks apart: ``refresh_blocks``), past days in one row each (as ``fold``)."""
    cursor.execute(REFRESH_SQL)


def fold(cursor) -> int:
    """Fold the stripes of the days before yesterday into one row per day, inbox
    and category (``FOLD_SQL``); daily (cron: ``manage.py report_days --fold``).
    Returns how many (day, inbox, category) rows took folded counts."""
    cursor.execute(FOLD_SQL)
    return cursor.rowcount


def fold_existing(apps, schema_editor) -> None:
    """The migration's step: fold the rows counted so far (PostgreSQL only)."""
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            fold(cursor)


def build_functions(cursor) -> None:
    """(Re)create the trigger functions for ``TIME_ZONE``, counting nothing."""
    functions = FUNCTIONS_SQL.replace("%(zone)s", _literal(settings.TIME_ZONE))
    for name, value in (("stripes", STRIPES), ("per_doubling", PER_DOUBLING),
                        ("last", LAST_BUCKET)):  # fmt: skip
        functions = functions.replace(f"%({name})s", str(value))
    cursor.execute(functions)


def refresh_blocks(cursor) -> None:
    """Sum ``ReportSlice``'s rows into ``ReportSliceBlock`` afresh."""
    cursor.execute(BLOCKS_REFRESH_SQL)


# The slice function as it was before the blocks (``uninstall_blocks``).
_SLICE_WITHOUT_BLOCKS_SQL = """
CREATE OR REPLACE FUNCTION tickets_report_slice(
    day date, measure text, inbox bigint, category bigint, subject bigint, bucket smallint,
    n int, total_ms bigint
) RETURNS void LANGUAGE plpgsql AS $$
BEGIN
    INSERT INTO tickets_reportslice AS s
           (measure, category_id, inbox_id, day, subject_id, bucket, n, total_ms)
    SELECT $2, sl.c, sl.i, $1, $5, $6, $7, $8
      FROM (VALUES ($3, $4), (-1, $4), ($3, -1), (-1, -1)) AS sl (i, c)
     WHERE CASE WHEN $2 IN ('F', 'R', 'C', 'S') THEN sl.c = -1
                WHEN $2 = 'a' THEN sl.c <> -1 ELSE true END
    ON CONFLICT ON CONSTRAINT report_slice_unique DO UPDATE
       SET n = s.n + excluded.n, total_ms = s.total_ms + excluded.total_ms;
END $$;
"""


def uninstall_blocks(apps, schema_editor) -> None:
    """Migration backwards: the slice function stops writing the blocks' table."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(_SLICE_WITHOUT_BLOCKS_SQL)


def install_blocks(apps, schema_editor) -> None:
    """Migration: the trigger function that keeps the blocks too, and the blocks."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        build_functions(cursor)
        refresh_blocks(cursor)


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def install(apps, schema_editor) -> None:
    """Migration: (re)create the functions and triggers, count every row afresh."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(DROP_SQL)  # an earlier version's, whose signatures differ
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
    """(day, inbox id, category id) of every ``ReportDay`` key whose counts differ
    from the rows: empty unless the triggers were off while rows changed (or a bug)."""
    with connections[using].cursor() as cursor:
        cursor.execute(DRIFT_SQL)
        return cursor.fetchall()


def slice_drift(using: str = "default") -> list[tuple]:
    """(measure, category, inbox, day, agent, bucket) of every ``ReportSlice`` row
    whose count or total differs from the rows (empty, as for ``drift``)."""
    with connections[using].cursor() as cursor:
        cursor.execute(SLICE_DRIFT_SQL)
        return cursor.fetchall()


def block_drift(using: str = "default") -> list[tuple]:
    """(measure, category, inbox, span, first day, agent, bucket) of every
    ``ReportSliceBlock`` row whose count or total differs from its days' rows."""
    with connections[using].cursor() as cursor:
        cursor.execute(BLOCK_DRIFT_SQL)
        return cursor.fetchall()


def rebuild(using: str = "default") -> None:
    """Build the trigger functions for ``TIME_ZONE`` and count every row afresh,
    the article table's roll-up too (its days are these functions'), and the
    move events' copies of their tickets' inboxes, their days of the move
    before and the moves' roll-up (``moves``: its days are these functions')."""
    with transaction.atomic(using=using), connections[using].cursor() as cursor:
        build(cursor)
        refresh_blocks(cursor)
        article_days.refresh(cursor)
        moves.refresh(cursor)


def rows(since, until, *, using: str, model=None, days: Q | None = None):
    """The roll-up rows of [since, until) as a QuerySet (of ``ReportDay``, or the
    ``model`` given: ``ReportSlice``, ``ReportArticle``), or None when the roll-up
    cannot answer: not PostgreSQL, or a period of other than whole local days.
    ``days``: the condition that picks the period's rows, when not their ``day``
    (``ReportArticle``'s blocks of days).

    The rows carry a condition that the triggers count days in ``TIME_ZONE``:
    after a change of zone no row matches until ``migrate`` rebuilds them, and
    the caller counts the tickets instead (see ``measures.roll_up``)."""
    from tickets.models import ReportDay

    whole = whole_days(since, until, using=using)
    if whole is None:
        return None
    zone = Func(function="tickets_report_zone", output_field=CharField())
    return (
        (model or ReportDay)
        .objects.using(using)
        .alias(zone=zone)
        .filter(days or Q(day__gte=whole[0], day__lt=whole[1]), zone=settings.TIME_ZONE)
        .order_by()
    )


def whole_days(since, until, *, using: str) -> tuple[date, date] | None:
    """The local days [first, end) of [since, until), or None when the roll-ups
    cannot answer it: not PostgreSQL, or a period of other than whole local days."""
    if connections[using].vendor != "postgresql":
        return None
    since, until = timezone.localtime(since), timezone.localtime(until)
    if since.time() != time(0) or until.time() != time(0):
        return None
    return since.date(), until.date()


def percentile(buckets: dict[int, tuple[int, int]], fraction: float) -> float | None:
    """The ``fraction`` percentile, in seconds, of the values counted in
    ``buckets`` ({bucket: (count, total ms)}), interpolated between the two
    nearest ranks as PostgreSQL's ``percentile_cont`` does; each rank's value is
    its bucket's mean (exact when the bucket's values are equal, else within
    ``PERCENTILE_ERROR`` of it, which the interpolation keeps). None: no values."""
    counted = sorted((b, n, total) for b, (n, total) in buckets.items() if n > 0)
    count = sum(n for _, n, _ in counted)
    if not count:
        return None
    rank = fraction * (count - 1)
    low, high = math.floor(rank), math.ceil(rank)
    values, seen = {}, 0
    for _, n, total in counted:
        for wanted in (low, high):
            if seen <= wanted < seen + n:
                values[wanted] = total / n / 1000
        seen += n
        if high in values:
            break
    return values[low] + (rank - low) * (values[high] - values[low])
