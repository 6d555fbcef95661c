"""The report migration fills the copies on resolutions recorded before it."""

import importlib
from datetime import timedelta

from django.apps import apps
from django.utils import timezone

from tests.factories import MessageFactory, TicketFactory
from tickets.models import Resolution
from tickets.resolution import solve_ticket

migration = importlib.import_module("tickets.migrations.0006_report_indexes")


def test_backfill_copies_creation_time_and_replies_up_to_the_solve(general_agent, general_inbox):
    now = timezone.now()
    ticket = TicketFactory(inbox=general_inbox, status="open", created_at=now - timedelta(days=3))
    MessageFactory(ticket=ticket, kind="reply", created_at=now - timedelta(days=2))
    MessageFactory(ticket=ticket, kind="note", created_at=now - timedelta(days=2))
    MessageFactory(ticket=ticket, kind="reply", created_at=now - timedelta(hours=1))  # after
    resolution = solve_ticket(
        ticket, kind="no_article", note="by hand", by=general_agent, at=now - timedelta(days=1)
    )
    Resolution.objects.update(ticket_created_at=None, agent_replies=0)

    migration.backfill_resolutions(apps, None)

    resolution.refresh_from_db()
    assert resolution.ticket_created_at == ticket.created_at
    assert resolution.agent_replies == 1
