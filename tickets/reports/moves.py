"""The moves between inboxes as the report counts them: each "moved to inbox"
event (``TicketEvent.Kind.INBOX``) carries its ticket's current inbox
(``TicketEvent.ticket_inbox``), so the report counts the period's moved tickets
per inbox from one small index (``event_moves``) without joining the tickets.

PostgreSQL triggers keep the copy right whatever writes the rows, in the
writer's transaction: a new move event takes its ticket's inbox, and when a
ticket changes inbox (a transfer, a bulk edit, ``QuerySet.update``, the admin)
its earlier move events follow it. Elsewhere (the SQLite demo) the column is
left empty and the report reads the ticket's inbox through the join
(``inbox_lookup``).

The figure counts each moved ticket once: on its first move of the period. So
each move event also carries the local day of its ticket's move before
(``TicketEvent.previous_move_day``; ``NO_MOVE_BEFORE`` for a first move), and
the move events are rolled up per (day, ticket's inbox, day of the move
before) in ``ReportMove``: a period's moved tickets are its days' rows whose
move before falls before the period. Triggers keep both: a move event's own
write sets its day before; any insert, delete, or change of a move event's time
or ticket recounts that ticket's chain (a ticket has few moves), which also
puts events inserted out of time order (imports, the bench's data) right; each
change of a move event's day, inbox or day before moves one count in
``ReportMove``. A ticket moving on (or moved by ``QuerySet.update``) takes its
counts along through the copies the follow-trigger rewrites."""

from django.db import connections

FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION tickets_event_ticket_inbox() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.ticket_inbox_id := (SELECT inbox_id FROM tickets_ticket WHERE id = NEW.ticket_id);
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION tickets_ticket_moves_follow() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tickets_ticketevent SET ticket_inbox_id = NEW.inbox_id
     WHERE ticket_id = NEW.id AND kind = 'inbox'
       AND ticket_inbox_id IS DISTINCT FROM NEW.inbox_id;
    RETURN NULL;
END $$;
"""

# Only the move events pay for the look-up (WHEN); any write of the copy itself
# (a full ``save()`` of an event writes it back as loaded) is corrected too.
TRIGGERS_SQL = """
CREATE TRIGGER tickets_event_ticket_inbox
    BEFORE INSERT OR UPDATE OF ticket_id, kind, ticket_inbox_id ON tickets_ticketevent
    FOR EACH ROW WHEN (NEW.kind = 'inbox') EXECUTE FUNCTION tickets_event_ticket_inbox();
CREATE TRIGGER tickets_ticket_moves_follow
    AFTER UPDATE OF inbox_id ON tickets_ticket
    FOR EACH ROW WHEN (OLD.inbox_id IS DISTINCT FROM NEW.inbox_id)
    EXECUTE FUNCTION tickets_ticket_moves_follow();
"""

# Triggers to pause during a bulk load (``REFRESH_SQL`` runs after it).
TRIGGERS = {
    "tickets_ticketevent": ["tickets_event_ticket_inbox"],
    "tickets_ticket": ["tickets_ticket_moves_follow"],
}

DROP_SQL = """
DROP TRIGGER IF EXISTS tickets_event_ticket_inbox ON tickets_ticketevent;
DROP TRIGGER IF EXISTS tickets_ticket_moves_follow ON tickets_ticket;
DROP FUNCTION IF EXISTS tickets_event_ticket_inbox();
DROP FUNCTION IF EXISTS tickets_ticket_moves_follow();
"""

# Every move event's copy set afresh: one statement, rewriting only the rows that differ.
REFRESH_SQL = """
UPDATE tickets_ticketevent AS e SET ticket_inbox_id = t.inbox_id
  FROM tickets_ticket AS t
 WHERE t.id = e.ticket_id AND e.kind = 'inbox'
   AND e.ticket_inbox_id IS DISTINCT FROM t.inbox_id
"""

# The move events whose copy differs from their ticket's inbox.
DRIFT_SQL = """
SELECT e.id, e.ticket_id, e.ticket_inbox_id, t.inbox_id
  FROM tickets_ticketevent AS e JOIN tickets_ticket AS t ON t.id = e.ticket_id
 WHERE e.kind = 'inbox' AND e.ticket_inbox_id IS DISTINCT FROM t.inbox_id
 ORDER BY e.id
"""


def inbox_lookup(using: str) -> str:
    """The lookup, from a ``TicketEvent``, of the moved ticket's current inbox:
    the copy the triggers keep on PostgreSQL, the ticket's own elsewhere."""
    return "ticket_inbox_id" if connections[using].vendor == "postgresql" else "ticket__inbox_id"


def refresh(cursor) -> None:
    """Set every move event's copy of its ticket's inbox and day of the move
    before afresh, and count ``ReportMove`` afresh from them."""
    cursor.execute(REFRESH_SQL)
    cursor.execute(CHAIN_REFRESH_SQL)
    cursor.execute(ROLL_UP_REFRESH_SQL)


def install(apps, schema_editor) -> None:
    """Migration: (re)create the functions and triggers, fill the copies."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(DROP_SQL)
        cursor.execute(FUNCTIONS_SQL)
        cursor.execute(REFRESH_SQL)  # the copies only: the chain came after (``install_chain``)
        cursor.execute(TRIGGERS_SQL)


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_SQL)


def drift(using: str = "default") -> list[tuple]:
    """(event id, ticket id, copied inbox, ticket's inbox) of every move event
    whose copy is wrong: empty unless the triggers were off while rows changed."""
    with connections[using].cursor() as cursor:
        cursor.execute(DRIFT_SQL)
        return cursor.fetchall()


# The local day of a ticket's move event before the one at (at, event), or
# NO_MOVE_BEFORE. Days are those of the report's roll-ups (``tickets_report_day``,
# rebuilt for a new TIME_ZONE by ``days.rebuild``, which then calls ``refresh``).
CHAIN_FUNCTIONS_SQL = """
CREATE OR REPLACE FUNCTION tickets_event_previous_move() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.previous_move_day := coalesce(
        (SELECT tickets_report_day(e.created_at) FROM tickets_ticketevent AS e
          WHERE e.ticket_id = NEW.ticket_id AND e.kind = 'inbox' AND e.id <> NEW.id
            AND (e.created_at, e.id) < (NEW.created_at, NEW.id)
          ORDER BY e.created_at DESC, e.id DESC LIMIT 1),
        DATE '0001-01-01');
    RETURN NEW;
END $$;

-- One ticket's move events, each with the day of the one before set afresh
-- where it differs (the rows' own BEFORE trigger computes the same value).
CREATE OR REPLACE FUNCTION tickets_move_chain(ticket bigint) RETURNS void
LANGUAGE plpgsql AS $$
BEGIN
    UPDATE tickets_ticketevent AS e SET previous_move_day = c.previous_day
      FROM (SELECT id, coalesce(lag(tickets_report_day(created_at))
                                    OVER (ORDER BY created_at, id),
                                DATE '0001-01-01') AS previous_day
              FROM tickets_ticketevent WHERE ticket_id = ticket AND kind = 'inbox') AS c
     WHERE e.id = c.id AND e.previous_move_day IS DISTINCT FROM c.previous_day;
END $$;

CREATE OR REPLACE FUNCTION tickets_event_move_chain() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.kind = 'inbox' THEN
        PERFORM tickets_move_chain(OLD.ticket_id);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.kind = 'inbox'
       AND (TG_OP = 'INSERT' OR OLD.kind <> 'inbox' OR OLD.ticket_id <> NEW.ticket_id) THEN
        PERFORM tickets_move_chain(NEW.ticket_id);
    END IF;
    RETURN NULL;
END $$;

CREATE OR REPLACE FUNCTION tickets_report_move_bump(
    at timestamptz, inbox bigint, previous_day date, n int
) RETURNS void LANGUAGE sql AS $$
    INSERT INTO tickets_reportmove AS r (day, inbox_id, previous_day, moves)
    VALUES (tickets_report_day(at), coalesce(inbox, 0),
            coalesce(previous_day, DATE '0001-01-01'), n)
    ON CONFLICT (day, inbox_id, previous_day) DO UPDATE SET moves = r.moves + excluded.moves
$$;

CREATE OR REPLACE FUNCTION tickets_event_report_move() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP IN ('UPDATE', 'DELETE') AND OLD.kind = 'inbox' THEN
        PERFORM tickets_report_move_bump(OLD.created_at, OLD.ticket_inbox_id,
                                         OLD.previous_move_day, -1);
    END IF;
    IF TG_OP IN ('UPDATE', 'INSERT') AND NEW.kind = 'inbox' THEN
        PERFORM tickets_report_move_bump(NEW.created_at, NEW.ticket_inbox_id,
                                         NEW.previous_move_day, 1);
    END IF;
    RETURN NULL;
END $$;
"""

# Any write of a move's day before (a full ``save()`` writes it back as loaded)
# is computed afresh; the chain is recounted when a move comes, goes, or changes
# time or ticket; the roll-up moves a count when a move's key changes.
CHAIN_TRIGGERS_SQL = """
CREATE TRIGGER tickets_event_previous_move
    BEFORE INSERT OR UPDATE OF ticket_id, kind, created_at, previous_move_day
    ON tickets_ticketevent
    FOR EACH ROW WHEN (NEW.kind = 'inbox') EXECUTE FUNCTION tickets_event_previous_move();
CREATE TRIGGER tickets_event_move_chain_insert
    AFTER INSERT ON tickets_ticketevent
    FOR EACH ROW WHEN (NEW.kind = 'inbox') EXECUTE FUNCTION tickets_event_move_chain();
CREATE TRIGGER tickets_event_move_chain_delete
    AFTER DELETE ON tickets_ticketevent
    FOR EACH ROW WHEN (OLD.kind = 'inbox') EXECUTE FUNCTION tickets_event_move_chain();
CREATE TRIGGER tickets_event_move_chain_change
    AFTER UPDATE OF ticket_id, kind, created_at ON tickets_ticketevent
    FOR EACH ROW WHEN ((OLD.kind = 'inbox' OR NEW.kind = 'inbox')
                       AND (OLD.ticket_id, OLD.kind, OLD.created_at)
                           IS DISTINCT FROM (NEW.ticket_id, NEW.kind, NEW.created_at))
    EXECUTE FUNCTION tickets_event_move_chain();
CREATE TRIGGER tickets_event_report_move_insert
    AFTER INSERT ON tickets_ticketevent
    FOR EACH ROW WHEN (NEW.kind = 'inbox') EXECUTE FUNCTION tickets_event_report_move();
CREATE TRIGGER tickets_event_report_move_delete
    AFTER DELETE ON tickets_ticketevent
    FOR EACH ROW WHEN (OLD.kind = 'inbox') EXECUTE FUNCTION tickets_event_report_move();
CREATE TRIGGER tickets_event_report_move_change
    AFTER UPDATE OF kind, created_at, ticket_inbox_id, previous_move_day ON tickets_ticketevent
    FOR EACH ROW WHEN ((OLD.kind = 'inbox' OR NEW.kind = 'inbox')
                       AND (OLD.kind, OLD.created_at, OLD.ticket_inbox_id, OLD.previous_move_day)
                           IS DISTINCT FROM
                           (NEW.kind, NEW.created_at, NEW.ticket_inbox_id, NEW.previous_move_day))
    EXECUTE FUNCTION tickets_event_report_move();
"""

CHAIN_TRIGGERS = [
    "tickets_event_previous_move",
    "tickets_event_move_chain_insert",
    "tickets_event_move_chain_delete",
    "tickets_event_move_chain_change",
    "tickets_event_report_move_insert",
    "tickets_event_report_move_delete",
    "tickets_event_report_move_change",
]
TRIGGERS["tickets_ticketevent"] += CHAIN_TRIGGERS

CHAIN_DROP_SQL = (
    "".join(f"DROP TRIGGER IF EXISTS {name} ON tickets_ticketevent;\n" for name in CHAIN_TRIGGERS)
    + """
DROP FUNCTION IF EXISTS tickets_event_previous_move();
DROP FUNCTION IF EXISTS tickets_event_move_chain();
DROP FUNCTION IF EXISTS tickets_move_chain(bigint);
DROP FUNCTION IF EXISTS tickets_event_report_move();
DROP FUNCTION IF EXISTS tickets_report_move_bump(timestamptz, bigint, date, int);
"""
)

# Each move event's day before, as the chain of its ticket's moves has it.
_CHAINED = """
SELECT id, ticket_id, created_at, ticket_inbox_id,
       coalesce(lag(tickets_report_day(created_at))
                    OVER (PARTITION BY ticket_id ORDER BY created_at, id),
                DATE '0001-01-01') AS previous_day
  FROM tickets_ticketevent WHERE kind = 'inbox'
"""

# Every move event's day before set afresh, rewriting only the rows that differ.
CHAIN_REFRESH_SQL = f"""
UPDATE tickets_ticketevent AS e SET previous_move_day = c.previous_day
  FROM ({_CHAINED}) AS c
 WHERE e.id = c.id AND e.kind = 'inbox' AND e.previous_move_day IS DISTINCT FROM c.previous_day
"""

# The move events counted per key, as the triggers count them (from the chain:
# a wrong day before on an event is a difference too).
_MOVES_COUNTED = f"""
SELECT tickets_report_day(created_at) AS day, coalesce(ticket_inbox_id, 0) AS inbox_id,
       previous_day, count(*)::int AS moves
  FROM ({_CHAINED}) AS chained
 GROUP BY 1, 2, 3
"""

ROLL_UP_REFRESH_SQL = f"""
DELETE FROM tickets_reportmove;
INSERT INTO tickets_reportmove (day, inbox_id, previous_day, moves)
SELECT day, inbox_id, previous_day, moves FROM ({_MOVES_COUNTED}) AS counted
 ORDER BY day, inbox_id, previous_day
"""

# The (day, inbox, day before) keys whose stored count differs from a recount.
ROLL_UP_DRIFT_SQL = f"""
SELECT day, inbox_id, previous_day, coalesce(stored.moves, 0), coalesce(counted.moves, 0)
  FROM (SELECT * FROM tickets_reportmove WHERE moves <> 0) AS stored
  FULL JOIN ({_MOVES_COUNTED}) AS counted USING (day, inbox_id, previous_day)
 WHERE coalesce(stored.moves, 0) <> coalesce(counted.moves, 0)
 ORDER BY day, inbox_id, previous_day
"""


# The move events whose stored day before differs from their ticket's chain.
CHAIN_DRIFT_SQL = f"""
SELECT e.id, e.ticket_id, e.previous_move_day, c.previous_day
  FROM tickets_ticketevent AS e JOIN ({_CHAINED}) AS c ON c.id = e.id
 WHERE e.previous_move_day IS DISTINCT FROM c.previous_day
 ORDER BY e.id
"""


def install_chain(apps, schema_editor) -> None:
    """Migration: the move events' days before and their roll-up, with the
    triggers that keep them (after the fill: the fill pays for no trigger)."""
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        cursor.execute(CHAIN_DROP_SQL)
        cursor.execute(CHAIN_FUNCTIONS_SQL)
        cursor.execute(CHAIN_REFRESH_SQL)
        cursor.execute(ROLL_UP_REFRESH_SQL)
        cursor.execute(CHAIN_TRIGGERS_SQL)


def uninstall_chain(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(CHAIN_DROP_SQL)


def roll_up_drift(using: str = "default") -> list[tuple]:
    """(day, inbox id, day of the move before, stored count, recount) of every
    ``ReportMove`` key whose count differs from the move events' (their days
    before taken from each ticket's chain): empty unless triggers were off."""
    with connections[using].cursor() as cursor:
        cursor.execute(ROLL_UP_DRIFT_SQL)
        return cursor.fetchall()


def chain_drift(using: str = "default") -> list[tuple]:
    """(event id, ticket id, stored day before, the chain's) of every move event
    whose day of the move before is wrong: empty unless triggers were off."""
    with connections[using].cursor() as cursor:
        cursor.execute(CHAIN_DRIFT_SQL)
        return cursor.fetchall()
