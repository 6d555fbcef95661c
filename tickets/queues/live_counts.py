"""Live ticket counts for the sidebar and the home panel, from ``LiveCount``.

PostgreSQL triggers on ``tickets_ticket`` move a ticket's count from its old
(inbox, status, assignee) to its new one in the writer's own transaction, so
the roll-up cannot drift from the rows, whatever writes them (services, mail
intake, bulk updates, the admin). Only the statuses the sidebar shows are
counted. SQLite, the demo's database, has no triggers: there the same figures
are counted from the tickets.
"""

from django.db import connections
from django.db.models import Count, Q

from tickets.models import LiveCount, Ticket

STRIPES = 16
COUNTED = ("new", "open", "pending", "solved")

TRIGGERS_SQL = f"""
CREATE OR REPLACE FUNCTION tickets_live_count_add(
    p_inbox bigint, p_status text, p_assignee bigint, p_stripe int, p_n int
) RETURNS void
LANGUAGE sql AS $$
    INSERT INTO tickets_livecount (inbox_id, status, assignee_id, stripe, n)
    VALUES (p_inbox, p_status, coalesce(p_assignee, 0), p_stripe, p_n)
    ON CONFLICT (inbox_id, status, assignee_id, stripe)
    DO UPDATE SET n = tickets_livecount.n + EXCLUDED.n;
$$;

CREATE OR REPLACE FUNCTION tickets_live_count_move() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    stripe int := coalesce(NEW.id, OLD.id) % {STRIPES};
    was boolean := TG_OP IN ('UPDATE', 'DELETE') AND OLD.status IN {COUNTED};
    now_is boolean := TG_OP IN ('UPDATE', 'INSERT') AND NEW.status IN {COUNTED};
BEGIN
    -- Both rows of a move are written in the order of their keys, so two tickets
    -- moving opposite ways at once (open -> pending, pending -> open) cannot
    -- deadlock on each other's rows.
    IF was AND now_is
       AND (NEW.inbox_id, NEW.status, coalesce(NEW.assignee_id, 0))
           < (OLD.inbox_id, OLD.status, coalesce(OLD.assignee_id, 0)) THEN
        PERFORM tickets_live_count_add(NEW.inbox_id, NEW.status, NEW.assignee_id, stripe, 1);
        PERFORM tickets_live_count_add(OLD.inbox_id, OLD.status, OLD.assignee_id, stripe, -1);
        RETURN NULL;
    END IF;
    IF was THEN
        PERFORM tickets_live_count_add(OLD.inbox_id, OLD.status, OLD.assignee_id, stripe, -1);
    END IF;
    IF now_is THEN
        PERFORM tickets_live_count_add(NEW.inbox_id, NEW.status, NEW.assignee_id, stripe, 1);
    END IF;
    RETURN NULL;
END $$;

DROP TRIGGER IF EXISTS tickets_live_count_write ON tickets_ticket;
CREATE TRIGGER tickets_live_count_write
AFTER INSERT OR DELETE ON tickets_ticket
FOR EACH ROW EXECUTE FUNCTION tickets_live_count_move();

DROP TRIGGER IF EXISTS tickets_live_count_change ON tickets_ticket;
CREATE TRIGGER tickets_live_count_change
AFTER UPDATE OF inbox_id, status, assignee_id ON tickets_ticket
FOR EACH ROW
WHEN (OLD.inbox_id IS DISTINCT FROM NEW.inbox_id OR OLD.status IS DISTINCT FROM NEW.status
      OR OLD.assignee_id IS DISTINCT FROM NEW.assignee_id)
EXECUTE FUNCTION tickets_live_count_move();
"""

FILL_SQL = f"""
DELETE FROM tickets_livecount;
INSERT INTO tickets_livecount (inbox_id, status, assignee_id, stripe, n)
SELECT inbox_id, status, coalesce(assignee_id, 0), id % {STRIPES}, count(*)
FROM tickets_ticket WHERE status IN {COUNTED}
GROUP BY 1, 2, 3, 4;
"""

# Per table, the triggers a bulk load may pause (then ``refresh`` counts afresh).
TRIGGERS = {"tickets_ticket": ["tickets_live_count_write", "tickets_live_count_change"]}

DROP_SQL = """
DROP TRIGGER IF EXISTS tickets_live_count_write ON tickets_ticket;
DROP TRIGGER IF EXISTS tickets_live_count_change ON tickets_ticket;
DROP FUNCTION IF EXISTS tickets_live_count_move();
DROP FUNCTION IF EXISTS tickets_live_count_add(bigint, text, bigint, int, int);
"""


DRIFT_SQL = f"""
SELECT inbox_id, status, assignee_id, coalesce(r.n, 0), coalesce(t.n, 0)
FROM (SELECT inbox_id, status, assignee_id, sum(n) AS n FROM tickets_livecount
      GROUP BY 1, 2, 3 HAVING sum(n) <> 0) AS r
FULL JOIN (SELECT inbox_id, status, coalesce(assignee_id, 0) AS assignee_id, count(*) AS n
           FROM tickets_ticket WHERE status IN {COUNTED} GROUP BY 1, 2, 3) AS t
USING (inbox_id, status, assignee_id)
WHERE coalesce(r.n, 0) <> coalesce(t.n, 0)
ORDER BY 1, 2, 3
"""

# What the sidebar reads on every page: written out once, as the ORM's version of
# it took longer to build (1 ms) than PostgreSQL takes to answer it.
COUNTS_SQL = """
SELECT inbox_id, status, sum(n),
       coalesce(sum(n) FILTER (WHERE assignee_id = 0), 0),
       coalesce(sum(n) FILTER (WHERE assignee_id = %s), 0)
FROM tickets_livecount WHERE inbox_id = ANY(%s)
GROUP BY inbox_id, status
"""


def drift(cursor) -> list[tuple]:
    """(inbox id, status, assignee id or 0, rolled up, counted) wherever they differ."""
    cursor.execute(DRIFT_SQL)
    return cursor.fetchall()


def refresh(cursor) -> None:
    """Count every live ticket afresh (after a load that paused the triggers)."""
    cursor.execute(FILL_SQL)  # no parameters: "%" is the modulo operator here


def install(apps, schema_editor) -> None:
    """Migration: the triggers, then every live ticket counted once."""
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(TRIGGERS_SQL)
            refresh(cursor)


def uninstall(apps, schema_editor) -> None:
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(DROP_SQL)


def counts(user, inbox_ids: list[int]) -> list[tuple[int, str, int, int, int]]:
    """(inbox id, status, tickets, of them unassigned, of them the user's) for the
    given inboxes, which the caller took from ``Inbox.objects.visible_to(user)``:
    the visibility rule for tickets is membership of their inbox, so these are
    exactly the counts of ``Ticket.objects.visible_to(user)``."""
    if connections[LiveCount.objects.db].vendor != "postgresql":
        return list(
            Ticket.objects.visible_to(user)
            .filter(inbox__in=inbox_ids, status__in=COUNTED)
            .order_by()
            .values_list("inbox", "status")
            .annotate(
                n=Count("pk"),
                unassigned=Count("pk", filter=Q(assignee__isnull=True)),
                mine=Count("pk", filter=Q(assignee=user)),
            )
        )
    with connections[LiveCount.objects.db].cursor() as cursor:
        cursor.execute(COUNTS_SQL, [user.pk, list(inbox_ids)])
        return cursor.fetchall()
