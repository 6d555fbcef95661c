"""Round-robin: when an inbox has it on, each new ticket nobody holds goes to the
agent of the inbox whose turn it is: among those not away and below their cap of
open tickets, the one given a ticket by round-robin longest ago (never: first).
"""

from django.db.models import Count, F
from django.utils import timezone

from tickets.assignment.rules import agents_of
from tickets.models import AgentSettings, Inbox, Ticket
from tickets.services import assign_ticket


def next_agent(inbox: Inbox):
    """Whose turn it is in ``inbox``, or None when every agent is away or full.
    Locks the agents' settings rows, so two tickets arriving at once take turns."""
    agents = list(agents_of(inbox).order_by("pk"))
    if not agents:
        return None
    AgentSettings.objects.bulk_create(
        [AgentSettings(user=agent) for agent in agents], ignore_conflicts=True
    )
    rows = list(
        AgentSettings.objects.select_for_update()
        .filter(user__in=agents, away=False)
        .order_by(F("last_auto_assigned_at").asc(nulls_first=True), "user_id")
    )
    capped = [row.user_id for row in rows if row.max_open_tickets is not None]
    open_counts = dict(
        Ticket.objects.open()
        .filter(assignee__in=capped)
        .values("assignee")
        .annotate(n=Count("pk"))
        .values_list("assignee", "n")
    )
    for row in rows:
        if row.max_open_tickets is None or open_counts.get(row.user_id, 0) < row.max_open_tickets:
            return next(agent for agent in agents if agent.pk == row.user_id)
    return None


def assign_new_ticket(ticket: Ticket) -> None:
    """The services' new-ticket listener: give it out if its inbox does round-robin."""
    inbox = ticket.inbox  # the instance create_ticket was given: no query when off
    if not inbox.round_robin:
        return
    agent = next_agent(inbox)
    if agent is None:
        return  # everyone away or full: it waits in Unassigned
    now = timezone.now()
    assign_ticket(ticket, assignee=agent, by=None, at=ticket.created_at)
    AgentSettings.objects.filter(user=agent).update(last_auto_assigned_at=now)
