"""The members of a queue's inboxes: the assignee filter, the bulk bar's
"assign to" and the rows' assignee names.

Every queue page asks; building the ORM's query (its agent test is a subquery)
cost ten times what PostgreSQL takes to answer it, so its SQL is compiled once
per number of inboxes and run again with the inboxes' ids.
"""

from functools import lru_cache
from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import connections, router
from django.db.models import QuerySet

from tickets.assignment.rules import is_agent_expression


class Member(NamedTuple):
    """A member as the queue names them (``user_label`` reads it as a user)."""

    pk: int
    first_name: str
    last_name: str
    username: str
    agent: bool  # may be given tickets

    def get_full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()  # as AbstractUser's

    def get_username(self) -> str:
        return self.username


def members_query(inboxes) -> QuerySet:
    """Active members of ``inboxes`` (inboxes or their ids), by name; ``agent``
    marks those who can be given tickets."""
    return (
        get_user_model()
        .objects.filter(inboxes__in=inboxes, is_active=True)
        .annotate(agent=is_agent_expression())
        .distinct()
        .order_by("first_name", "last_name", "username")
    )


# Stand-ins for the inboxes' ids while compiling: no inbox has a negative id.
def _stand_ins(count: int) -> list[int]:
    return [-1 - i for i in range(count)]


@lru_cache(maxsize=32)
def _compiled(count: int, alias: str) -> tuple[str, tuple, tuple[int, ...]] | None:
    """The SQL for ``count`` inboxes, its parameters and where the ids go; None
    when a stand-in does not come back exactly once."""
    query = members_query(_stand_ins(count)).values_list(*Member._fields).query
    sql, params = query.get_compiler(alias).as_sql()
    if any(params.count(stand_in) != 1 for stand_in in _stand_ins(count)):
        return None
    return sql, tuple(params), tuple(params.index(s) for s in _stand_ins(count))


def members(inboxes) -> list[Member]:
    ids = [inbox.pk for inbox in inboxes]
    if not ids:  # someone in no inbox yet
        return []
    alias = router.db_for_read(get_user_model())
    compiled = _compiled(len(ids), alias)
    if compiled is None:
        rows = members_query(ids).values_list(*Member._fields)
    else:
        sql, params, positions = compiled
        params = list(params)
        for position, inbox_id in zip(positions, ids, strict=True):
            params[position] = inbox_id
        with connections[alias].cursor() as cursor:
            cursor.execute(sql, params)
            rows = cursor.fetchall()
    # bool(): SQLite answers the agent test with 0 or 1.
    return [Member(*row[:4], bool(row[4])) for row in rows]
