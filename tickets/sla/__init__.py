"""Service levels (issue 15): business-hours arithmetic (``hours``), each
ticket's SLA clock kept by the ticket services (``clock``), and the
managers' settings page (``views``).

This module stays free of model imports (the models import ``hours``), so
anyone may call ``breaching_soon`` without pulling in the rest.
"""

from datetime import UTC, datetime, timedelta

from django.utils import timezone

# What the "due" sort puts in place of "nothing due", so those tickets sort
# last and keyset cursors never hold a NULL.
NOTHING_DUE = datetime(9999, 1, 1, tzinfo=UTC)
# Statuses whose SLA clock runs (pending, solved and closed pause or stop it).
RUNNING_STATUSES = ("new", "open")
BREACHING_WITHIN = timedelta(hours=1)


def breaching_soon(queryset, within: timedelta = BREACHING_WITHIN, *, now: datetime | None = None):
    """The tickets of ``queryset`` whose next SLA target falls due within
    ``within`` from now, or is already overdue; soonest first. Pass a queryset
    already limited by ``Ticket.objects.visible_to(user)`` (or to one
    assignee, for "about to breach on my ticket" notifications)."""
    limit = (now or timezone.now()) + within
    return queryset.filter(
        status__in=RUNNING_STATUSES, sla_due_at__isnull=False, sla_due_at__lte=limit
    ).order_by("sla_due_at", "pk")
