"""The moves between inboxes as the report counts them: each "moved to inbox"
event (``TicketEvent.Kind.INBOX``) carries its ticket's current inbox
(``TicketEvent.ticket_inbox``), so the report counts the period's moved tickets
per inbox from one small index (``event_moves``) without joining the tickets.

PostgreSQL triggers keep the copy right whatever writes the rows, in the
writer's transaction: a new move event takes its ticket's inbox, and when a
ticket changes inbox (a transfer, a bulk edit, ``QuerySet.update``, the admin)
its earlier move events follow it. Elsewhere (the SQLite demo) the column is
left empty and the report reads the ticket's inbox through the join
(``inbox_lookup``)."""

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
    """Set every move event's copy of its ticket's inbox afresh."""
    cursor.execute(REFRESH_SQL)


def install(apps, schema_editor) -> None:
    """Migration: (re)create the functions and triggers, fill the copies."""
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
    """(event id, ticket id, copied inbox, ticket's inbox) of every move event
    whose copy is wrong: empty unless the triggers were off while rows changed."""
    with connections[using].cursor() as cursor:
        cursor.execute(DRIFT_SQL)
        return cursor.fetchall()
