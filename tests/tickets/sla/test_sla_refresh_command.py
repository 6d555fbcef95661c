"""`manage.py sla_refresh`: the data step for tickets from before SLAs."""

import io

import pytest
from django.core.management import CommandError, call_command

from tests.factories import TicketFactory
from tickets.models import TicketSla
from tickets.sla.policies import ensure_default_policies

pytestmark = pytest.mark.django_db


def test_it_gives_live_tickets_of_inboxes_with_policies_a_due_time(general_inbox, billing_inbox):
    ensure_default_policies(general_inbox)
    general = TicketFactory(inbox=general_inbox, status="open")
    billing = TicketFactory(inbox=billing_inbox, status="open")  # billing has no policy
    out = io.StringIO()

    call_command("sla_refresh", stdout=out)

    general.refresh_from_db()
    billing.refresh_from_db()
    assert general.sla_due_at is not None and billing.sla_due_at is None
    assert TicketSla.objects.get(ticket=general).measured
    assert "General support: 1 live tickets recomputed." in out.getvalue()


def test_an_unknown_inbox_is_an_error(db):
    with pytest.raises(CommandError, match="No inbox with the slug 'nope'"):
        call_command("sla_refresh", inbox="nope")
