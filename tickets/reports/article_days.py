"""The article table's roll-up, ``ReportArticle``: kept by PostgreSQL triggers,
read by ``measures.article_table``.

What a (ticket, article) pair, or a (ticket, revision) pair, adds to the
roll-up is a function of its links, its resolution facts (``ResolutionArticle``)
and the ticket's current inbox and category (``_LINK_FIGURES``,
``_FACT_FIGURES``). A statement that
writes links or facts subtracts what the pairs it touched added before (the
table without the statement's new rows, with its old ones) and adds what they
add now; a ticket moved to another inbox or category moves what its pairs add
from the old keys to the new; a deleted ticket takes it away. So the roll-up
cannot drift from the rows, whatever writes them, and equals a recount
(``REFRESH_SQL``, ``drift``).

Days and buckets are those of ``tickets.reports.days`` (its SQL functions
``tickets_report_day`` and ``tickets_report_bucket``, built for ``TIME_ZONE``);
the functions here only call them, so a rebuild for a new zone recounts this
roll-up too (``days.rebuild``).

Where the roll-up and the rows differ: a pair is counted in a figure on the day
of the link that first makes it (see ``ReportArticle``; for "held", the link of
its earliest solve not reopened). When a pair has such links both before a
period and inside it, the rows count the ticket in that period and the roll-up
in the earlier one only (so an article linked in the period only on such
tickets is missing from the period's table, and a figure counted by a later
link, e.g. "resolved", may exceed "linked"); the period's end never differs
(a pair first linked inside the period is counted there by both). Resolution
times and their median are every fact's, as counted, within
``days.PERCENTILE_ERROR``.
"""

from datetime import date, timedelta

from django.db import connections

# Each figure is kept per day, and again per block of 8 and of 64 days (blocks
# aligned on EPOCH): a period reads its whole blocks and only its edge days,
# at most 2 x 14 units and one per 64 days instead of one per day (``periods``).
SPANS = (1, 8, 64)
EPOCH = date(2000, 1, 3)


def periods(first: date, end: date) -> list[tuple[int, date, date]]:
    """[(span, start, stop)]: the fewest aligned blocks covering the days
    [first, end) exactly, consecutive blocks of one span as one range."""
    ranges: list[tuple[int, date, date]] = []
    day = first
    while day < end:
        offset = (day - EPOCH).days
        span = next(s for s in reversed(SPANS)
                    if offset % s == 0 and day + timedelta(days=s) <= end)  # fmt: skip
        if ranges and ranges[-1][0] == span and ranges[-1][2] == day:
            ranges[-1] = (span, ranges[-1][1], day + timedelta(days=span))
        else:
            ranges.append((span, day, day + timedelta(days=span)))
        day += timedelta(days=span)
    return ranges


# Each figure a pair adds, from ``{rows}`` (links) and ``{facts}``: one row per
# (figure, pair, level), with the pair's ticket for its inbox and category.
# ``rev`` is the revision, or -1 for the article's own pair.
_LINK_FIGURES = """
SELECT 'l'::text AS measure, tickets_report_day(created_at) AS day, ticket_id, article_id,
       rev AS revision_id, 0 AS bucket, 1 AS n, 0::bigint AS ms
  FROM (SELECT DISTINCT ON (l.ticket_id, l.article_id, g.rev) l.*, g.rev
          FROM {links} AS l CROSS JOIN LATERAL (VALUES (l.revision_id), (-1::bigint)) AS g (rev)
         ORDER BY l.ticket_id, l.article_id, g.rev, l.created_at, l.id) AS firsts
UNION ALL
SELECT 's', tickets_report_day(created_at), ticket_id, article_id, rev, 0, 1, 0
  FROM (SELECT DISTINCT ON (l.ticket_id, l.article_id, g.rev) l.*, g.rev
          FROM {links} AS l CROSS JOIN LATERAL (VALUES (l.revision_id), (-1::bigint)) AS g (rev)
         WHERE l.sent_at IS NOT NULL
         ORDER BY l.ticket_id, l.article_id, g.rev, l.created_at, l.id) AS firsts
"""

_FACT_FIGURES = """
SELECT 'r'::text AS measure, tickets_report_day(linked_at) AS day, ticket_id, article_id,
       rev AS revision_id, 0 AS bucket, 1 AS n, 0::bigint AS ms
  FROM (SELECT DISTINCT ON (f.ticket_id, f.article_id, g.rev) f.*, g.rev
          FROM {facts} AS f CROSS JOIN LATERAL (VALUES (f.revision_id), (-1::bigint)) AS g (rev)
         ORDER BY f.ticket_id, f.article_id, g.rev, f.linked_at, f.id) AS firsts
UNION ALL
SELECT 'n', tickets_report_day(linked_at), ticket_id, article_id, rev, 0, 1, 0
  FROM (SELECT DISTINCT ON (f.ticket_id, f.article_id, g.rev) f.*, g.rev
          FROM {facts} AS f CROSS JOIN LATERAL (VALUES (f.revision_id), (-1::bigint)) AS g (rev)
         WHERE f.reopened_at IS NOT NULL
         ORDER BY f.ticket_id, f.article_id, g.rev, f.linked_at, f.id) AS firsts
UNION ALL
-- Held once its earliest solve not reopened is past the hold window: the
-- bucket says when (days from the link's day to that solve's).
SELECT 'h', tickets_report_day(linked_at), ticket_id, article_id, rev,
       greatest(least(tickets_report_day(solved_at) - tickets_report_day(linked_at),
                      32000), -32000),
       1, 0
  FROM (SELECT DISTINCT ON (f.ticket_id, f.article_id, g.rev) f.*, g.rev
          FROM {facts} AS f CROSS JOIN LATERAL (VALUES (f.revision_id), (-1::bigint)) AS g (rev)
         WHERE f.reopened_at IS NULL
         ORDER BY f.ticket_id, f.article_id, g.rev, f.solved_at, f.linked_at, f.id) AS firsts
UNION ALL
SELECT 't', tickets_report_day(linked_at), ticket_id, article_id, revision_id,
       tickets_report_bucket(resolution_seconds), 1, round(resolution_seconds * 1000)::bigint
  FROM {facts} AS f
 WHERE resolution_seconds IS NOT NULL
"""

# ``{figures}`` (with a ``sign``) into the four inbox x category slices of the
# ticket (``{inbox}``, ``{category}``): one upsert of the net changes, in key
# order so that two writers take the rows' locks in the same order.
_SLICED = """
SELECT sl.c, sl.i, sp.span, sp.day, f.measure, f.article_id, f.revision_id,
       CASE WHEN f.measure = 'h' THEN f.bucket + (f.day - sp.day) ELSE f.bucket END,
       sum({sign} * f.n), sum({sign} * f.ms)
  FROM ({figures}) AS f {join}
 CROSS JOIN LATERAL (VALUES ({inbox}, coalesce({category}, 0)), (-1, coalesce({category}, 0)),
                            ({inbox}, -1), (-1, -1)) AS sl (i, c)
 CROSS JOIN LATERAL (
       SELECT span, f.day - (((f.day - DATE '<epoch>') % span) + span) % span AS day
         FROM (VALUES <spans>) AS spans (span)) AS sp
 GROUP BY 1, 2, 3, 4, 5, 6, 7, 8
HAVING sum({sign} * f.n) <> 0 OR sum({sign} * f.ms) <> 0
 ORDER BY 1, 2, 3, 4, 5, 6, 7, 8
""".replace("<epoch>", EPOCH.isoformat()).replace("<spans>", ", ".join(f"({s})" for s in SPANS))
_KEY = "category_id, inbox_id, span, day, measure, article_id, revision_id, bucket"
_APPLY = (
    f"INSERT INTO tickets_reportarticle AS s ({_KEY}, n, total_ms) {_SLICED} "
    f"ON CONFLICT ({_KEY}) DO UPDATE SET n = s.n + excluded.n, "
    "total_ms = s.total_ms + excluded.total_ms"
)

_TICKET_JOIN = "JOIN tickets_ticket t ON t.id = f.ticket_id"


def _signed(figures: str, source: str, before: str, after: str) -> str:
    """The figures of the rows ``before`` (subtracted) and ``after`` (added)."""
    return (
        f"SELECT *, -1 AS sign FROM ({figures.format(**{source: f'({before})'})}) AS b "
        f"UNION ALL SELECT *, 1 FROM ({figures.format(**{source: f'({after})'})}) AS a"
    )


# A statement on links or facts: the pairs it touched, before and after.
_STATEMENT_SQL = """
CREATE OR REPLACE FUNCTION tickets_{name}_article_report_{op}() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    {apply};
    RETURN NULL;
END $$;
"""

_PAIRS = (
    "(SELECT t.* FROM {table} t JOIN (SELECT ticket_id, article_id FROM {new} "
    "UNION SELECT ticket_id, article_id FROM {old}) AS pairs USING (ticket_id, article_id))"
)
_BEFORE = (
    "SELECT * FROM {kept} k WHERE k.id NOT IN (SELECT id FROM {new}) UNION ALL SELECT * FROM {old}"
)

FUNCTIONS_SQL = ""
for _name, _table, _figures, _source in (
    ("link", "tickets_articlelink", _LINK_FIGURES, "links"),
    ("fact", "tickets_resolutionarticle", _FACT_FIGURES, "facts"),
):
    _none = f"(SELECT * FROM {_table} WHERE false) AS no_rows"
    for _op, _new, _old in (("insert", "new_rows", _none), ("delete", _none, "old_rows"),
                            ("update", "new_rows", "old_rows")):  # fmt: skip
        _kept = _PAIRS.format(table=_table, new=_new, old=_old)
        _apply = _APPLY.format(
            figures=_signed(_figures, _source, _BEFORE.format(kept=_kept, new=_new, old=_old),
                            f"SELECT * FROM {_kept} AS k"),
            join=_TICKET_JOIN, inbox="t.inbox_id", category="t.category_id", sign="f.sign",
        )  # fmt: skip
        FUNCTIONS_SQL += _STATEMENT_SQL.format(name=_name, op=_op, apply=_apply)

# A ticket moved or deleted: its pairs' figures leave the old keys (and, moved,
# reach the new ones), in one statement. A generic plan: the statement is long
# to plan and only the ticket's id changes.
_TICKET_FIGURES = (
    "SELECT * FROM ("
    + _LINK_FIGURES.format(links="(SELECT * FROM tickets_articlelink WHERE ticket_id = OLD.id)")
    + " UNION ALL "
    + _FACT_FIGURES.format(
        facts="(SELECT * FROM tickets_resolutionarticle WHERE ticket_id = OLD.id)"
    )
    + ") AS figures"
)


def _moved(keys: str) -> str:
    return _APPLY.format(
        figures=_TICKET_FIGURES,
        join=f"CROSS JOIN (VALUES {keys}) AS mv (inbox_id, category_id, sign)",
        inbox="mv.inbox_id",
        category="mv.category_id",
        sign="mv.sign",
    )


FUNCTIONS_SQL += f"""
CREATE OR REPLACE FUNCTION tickets_ticket_article_report() RETURNS trigger
LANGUAGE plpgsql SET plan_cache_mode = force_generic_plan AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        {_moved("(OLD.inbox_id, OLD.category_id, -1)")};
    ELSE
        {_moved("(OLD.inbox_id, OLD.category_id, -1), (NEW.inbox_id, NEW.category_id, 1)")};
    END IF;
    RETURN NULL;
END $$;
"""

TRIGGERS_SQL = (
    "".join(
        f"""
CREATE TRIGGER tickets_{name}_article_report_insert
    AFTER INSERT ON {table} REFERENCING NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tickets_{name}_article_report_insert();
CREATE TRIGGER tickets_{name}_article_report_delete
    AFTER DELETE ON {table} REFERENCING OLD TABLE AS old_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tickets_{name}_article_report_delete();
CREATE TRIGGER tickets_{name}_article_report_update
    AFTER UPDATE ON {table} REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows
    FOR EACH STATEMENT EXECUTE FUNCTION tickets_{name}_article_report_update();
"""
        for name, table in (("link", "tickets_articlelink"), ("fact", "tickets_resolutionarticle"))
    )
    + """
CREATE TRIGGER tickets_ticket_article_report_delete
    AFTER DELETE ON tickets_ticket
    FOR EACH ROW EXECUTE FUNCTION tickets_ticket_article_report();
CREATE TRIGGER tickets_ticket_article_report_move
    AFTER UPDATE OF inbox_id, category_id ON tickets_ticket
    FOR EACH ROW WHEN (OLD.inbox_id IS DISTINCT FROM NEW.inbox_id
                       OR OLD.category_id IS DISTINCT FROM NEW.category_id)
    EXECUTE FUNCTION tickets_ticket_article_report();
"""
)

# Triggers to pause during a bulk load (``REFRESH_SQL`` runs after it).
TRIGGERS = {
    "tickets_articlelink": [
        f"tickets_link_article_report_{op}" for op in ("insert", "delete", "update")
    ],
    "tickets_resolutionarticle": [
        f"tickets_fact_article_report_{op}" for op in ("insert", "delete", "update")
    ],
    "tickets_ticket": [
        "tickets_ticket_article_report_delete",
        "tickets_ticket_article_report_move",
    ],
}

DROP_SQL = (
    "".join(
        f"DROP TRIGGER IF EXISTS {trigger} ON {table};\n"
        for table, names in TRIGGERS.items()
        for trigger in names
    )
    + "".join(
        f"DROP FUNCTION IF EXISTS tickets_{name}_article_report_{op}();\n"
        for name in ("link", "fact")
        for op in ("insert", "delete", "update")
    )
    + "DROP FUNCTION IF EXISTS tickets_ticket_article_report();\n"
)

# Every pair's figures, keyed and sliced as the triggers key them.
_COUNTED = _SLICED.format(
    figures=(
        "SELECT *, 1 AS sign FROM ("
        + _LINK_FIGURES.format(links="tickets_articlelink")
        + " UNION ALL "
        + _FACT_FIGURES.format(facts="tickets_resolutionarticle")
        + ") AS figures"
    ),
    join=_TICKET_JOIN, inbox="t.inbox_id", category="t.category_id", sign="f.sign",
)  # fmt: skip

# Every row counted afresh (the migration, a change of TIME_ZONE, the bench's load);
# a slice's days side by side on disk.
REFRESH_SQL = f"""
DELETE FROM tickets_reportarticle;
INSERT INTO tickets_reportarticle ({_KEY}, n, total_ms) {_COUNTED}
"""

# The rows whose stored figure differs from a recount.
DRIFT_SQL = f"""
SELECT {_KEY}
  FROM (SELECT * FROM tickets_reportarticle WHERE n <> 0 OR total_ms <> 0) AS stored
  FULL JOIN ({_COUNTED}) AS counted ({_KEY}, n, total_ms) USING ({_KEY})
 WHERE (coalesce(stored.n, 0), coalesce(stored.total_ms, 0))
       IS DISTINCT FROM (coalesce(counted.n, 0), coalesce(counted.total_ms, 0))
 ORDER BY {_KEY}
"""


def refresh(cursor) -> None:
    """Count every pair afresh (``days``' SQL functions must exist)."""
    cursor.execute(REFRESH_SQL)


def install(apps, schema_editor) -> None:
    """Migration: (re)create the functions and triggers, count every pair afresh."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(DROP_SQL)
        cursor.execute(FUNCTIONS_SQL)
        refresh(cursor)
        cursor.execute(TRIGGERS_SQL)


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


def drift(using: str = "default") -> list[tuple]:
    """The keys of every ``ReportArticle`` row whose figure differs from the
    rows: empty unless the triggers were off while rows changed (or a bug)."""
    with connections[using].cursor() as cursor:
        cursor.execute(DRIFT_SQL)
        return cursor.fetchall()
