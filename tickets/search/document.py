"""One full-text document per ticket: its subject and every message's text.

PostgreSQL keeps ``Ticket.search_document`` current with triggers, whatever
writes the rows (services, mail intake, the admin, bulk loads that leave the
triggers on), and a GIN index covers it. With one stored vector per ticket the
planner can either start from the index (rare words) or walk the queue newest
first testing each row's vector (common words), so both stay fast; matching
messages one by one and joining them to tickets made common words take
seconds on a million tickets (docs/benchmarks.md). SQLite, which only runs
the demo, has no triggers here and searches with ``icontains`` instead.
"""

from django.contrib.postgres.indexes import GinIndex

CONFIG = "english"
INDEX = GinIndex(fields=["search_document"], name="ticket_search_document")

# The subject weighs more than the thread (ts_rank, should anyone sort by it).
DOCUMENT_SQL = f"""
CREATE OR REPLACE FUNCTION tickets_search_document(ticket_id bigint, subject text)
RETURNS tsvector LANGUAGE sql STABLE AS $$
    SELECT setweight(to_tsvector('{CONFIG}', coalesce(subject, '')), 'A')
        || coalesce((SELECT to_tsvector('{CONFIG}', string_agg(m.body_text, ' ' ORDER BY m.id))
                     FROM tickets_message m WHERE m.ticket_id = $1), '')
$$;

CREATE OR REPLACE FUNCTION tickets_ticket_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    NEW.search_document := tickets_search_document(NEW.id, NEW.subject);
    RETURN NEW;
END $$;

CREATE OR REPLACE FUNCTION tickets_message_search_trigger() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'INSERT' THEN
        -- The common case, cheap: append the new message's words.
        UPDATE tickets_ticket
           SET search_document = coalesce(search_document, '')
               || to_tsvector('{CONFIG}', coalesce(NEW.body_text, ''))
         WHERE id = NEW.ticket_id;
        RETURN NEW;
    END IF;
    -- An edit, a move or a deletion: rebuild the tickets concerned.
    UPDATE tickets_ticket
       SET search_document = tickets_search_document(id, subject)
     WHERE id = OLD.ticket_id
        OR (TG_OP = 'UPDATE' AND id = NEW.ticket_id);
    RETURN NULL;
END $$;

CREATE TRIGGER tickets_ticket_search
    BEFORE INSERT OR UPDATE OF subject ON tickets_ticket
    FOR EACH ROW EXECUTE FUNCTION tickets_ticket_search_trigger();

CREATE TRIGGER tickets_message_search_insert
    AFTER INSERT ON tickets_message
    FOR EACH ROW EXECUTE FUNCTION tickets_message_search_trigger();

CREATE TRIGGER tickets_message_search_change
    AFTER UPDATE OF body_text, ticket_id OR DELETE ON tickets_message
    FOR EACH ROW EXECUTE FUNCTION tickets_message_search_trigger();
"""

DROP_SQL = """
DROP TRIGGER IF EXISTS tickets_message_search_change ON tickets_message;
DROP TRIGGER IF EXISTS tickets_message_search_insert ON tickets_message;
DROP TRIGGER IF EXISTS tickets_ticket_search ON tickets_ticket;
DROP FUNCTION IF EXISTS tickets_message_search_trigger();
DROP FUNCTION IF EXISTS tickets_ticket_search_trigger();
DROP FUNCTION IF EXISTS tickets_search_document(bigint, text);
"""

# Rebuild every document at once (the migration's backfill, the bench's load).
REFRESH_SQL = f"""
UPDATE tickets_ticket t
   SET search_document = setweight(to_tsvector('{CONFIG}', coalesce(t.subject, '')), 'A')
       || coalesce(m.document, '')
  FROM (SELECT ticket_id,
               to_tsvector('{CONFIG}', string_agg(body_text, ' ' ORDER BY id)) AS document
          FROM tickets_message WHERE ticket_id >= %s GROUP BY ticket_id) m
 WHERE m.ticket_id = t.id AND t.id >= %s
"""

# Triggers to pause during a bulk load (REFRESH_SQL runs after it).
TRIGGERS = {
    "tickets_ticket": ["tickets_ticket_search"],
    "tickets_message": ["tickets_message_search_insert", "tickets_message_search_change"],
}


def install(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(DOCUMENT_SQL)
    schema_editor.execute(REFRESH_SQL, params=[0, 0])
    schema_editor.add_index(apps.get_model("tickets", "ticket"), INDEX)


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.remove_index(apps.get_model("tickets", "ticket"), INDEX)
    schema_editor.execute(DROP_SQL)
