"""The members of a queue's inboxes: the assignee filter, the bulk bar's
"assign to" and the rows' assignee names.

Every queue page asks; building the ORM's query (its agent test is a subquery)
cost ten times what PostgreSQL takes to answer it, so its SQL is compiled once
per number of inboxes and run again with the inboxes' ids (``kept_rows``).
"""

from typing import NamedTuple

from django.contrib.auth import get_user_model
from django.db import router
from django.db.models import QuerySet

from supportdesk.db.kept import kept_rows
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


def members(inboxes) -> list[Member]:
    ids = [inbox.pk for inbox in inboxes]
    if not ids:  # someone in no inbox yet
        return []
    rows = kept_rows(
        "members",
        lambda ids: members_query(ids).values_list(*Member._fields),
        ids,
        alias=router.db_for_read(get_user_model()),
    )
    # bool(): SQLite answers the agent test with 0 or 1.
    return [Member(*row[:4], bool(row[4])) for row in rows]
