"""The one assignment rule: only active agents of a ticket's inbox can hold it.

Editors and managers may be members of an inbox (to read its tickets) but do
not work them, so giving them one would hide it from every agent's "mine".
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q, QuerySet

from supportdesk.roles import AGENT
from tickets.models import Inbox, Ticket


class NotAnAssignee(ValidationError):
    """The person is not an active agent of the ticket's inbox."""


def _is_agent() -> Q:
    agents = Group.objects.filter(name=AGENT, user=OuterRef("pk"))
    return Q(is_superuser=True) | Q(Exists(agents))


def is_agent_expression() -> ExpressionWrapper:
    """True for users (the outer query's rows) who hold the agent role."""
    return ExpressionWrapper(_is_agent(), output_field=BooleanField())


def agents_of(inbox: Inbox | int) -> QuerySet:
    """The users who can be given tickets of ``inbox``."""
    return get_user_model().objects.filter(_is_agent(), is_active=True, inboxes=inbox)


def is_assignable(user, inbox: Inbox | int) -> bool:
    return agents_of(inbox).filter(pk=user.pk).exists()


def user_label(user) -> str:
    return user.get_full_name() or user.get_username()


def refusal(user, inbox: Inbox | int) -> NotAnAssignee:
    """The error that says why ``user`` cannot hold ``inbox``'s tickets."""
    if not isinstance(inbox, Inbox):
        inbox = Inbox.objects.get(pk=inbox)
    return NotAnAssignee(
        f"{user_label(user)} cannot be given tickets of {inbox.name}: "
        f"only active agents of {inbox.name} can."
    )


def check_assignee(user, inbox: Inbox | int) -> None:
    """Raise NotAnAssignee unless ``user`` (None: nobody) may hold ``inbox``'s
    tickets (one query; the inbox's name is read only to refuse)."""
    if user is not None and not is_assignable(user, inbox):
        raise refusal(user, inbox)


def may_hold(user) -> Exists:
    """For a query of tickets: ``user`` may hold this row's ticket."""
    return Exists(agents_of(OuterRef("inbox_id")).filter(pk=user.pk))


def bad_assignments() -> QuerySet:
    """Open tickets held by someone who is not (or no longer) an agent of their inbox."""
    holder_ok = agents_of(OuterRef("inbox_id")).filter(pk=OuterRef("assignee_id"))
    return (
        Ticket.objects.open()
        .filter(assignee__isnull=False)
        .exclude(Exists(holder_ok))
        .select_related("inbox", "assignee")
        .order_by("inbox__position", "-updated_at", "-id")
    )


def assignable_inboxes(user) -> QuerySet:
    """The inboxes whose tickets ``user`` can be given (none unless an active agent)."""
    if not user.is_active or not (user.is_superuser or user.groups.filter(name=AGENT).exists()):
        return Inbox.objects.none()
    return Inbox.objects.filter(members=user)
