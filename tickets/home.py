"""The tickets panel of the home page: agents their work, managers an overview."""

from datetime import timedelta

from django.db.models import Count, Q
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.utils import timezone

from supportdesk.roles import is_agent, is_manager
from tickets.models import Ticket
from tickets.nav import inbox_counts, visible_inboxes

OPEN = list(Ticket.OPEN_STATUSES)
LIST_SIZE = 8


def _open_tickets(user):
    return (
        Ticket.objects.visible_to(user)
        .filter(status__in=OPEN)
        .annotate(waiting_since=Coalesce("last_customer_message_at", "created_at"))
        .select_related("customer", "inbox")
    )


def agent_panel(user) -> dict:
    inboxes = visible_inboxes(user)
    counts = inbox_counts(user, inboxes)
    return {
        "kind": "agent",
        "mine": list(
            _open_tickets(user).filter(assignee=user).order_by("-updated_at", "-id")[:LIST_SIZE]
        ),
        "unassigned": [(inbox, counts[inbox.pk]["unassigned"]) for inbox in inboxes],
        "oldest": list(_open_tickets(user).order_by("waiting_since", "id")[:LIST_SIZE]),
    }


def manager_panel(user) -> dict:
    week_ago = timezone.now() - timedelta(days=7)
    inboxes = visible_inboxes(user)
    rows = (
        Ticket.objects.visible_to(user)
        .filter(Q(status__in=OPEN) | Q(created_at__gte=week_ago) | Q(solved_at__gte=week_ago))
        .order_by()
        .values("inbox")
        .annotate(
            open=Count("pk", filter=Q(status__in=OPEN)),
            unassigned=Count("pk", filter=Q(status__in=OPEN, assignee__isnull=True)),
            created=Count("pk", filter=Q(created_at__gte=week_ago)),
            solved=Count("pk", filter=Q(solved_at__gte=week_ago)),
        )
    )
    by_inbox = {row.pop("inbox"): row for row in rows}
    empty = {"open": 0, "unassigned": 0, "created": 0, "solved": 0}
    return {
        "kind": "manager",
        "overview": [(inbox, by_inbox.get(inbox.pk, empty)) for inbox in inboxes],
    }


def home_panel(request: HttpRequest) -> dict | None:
    user = request.user
    if is_agent(user):
        return agent_panel(user)
    if is_manager(user):
        return manager_panel(user)
    return None
