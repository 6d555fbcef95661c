from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone

from tests.factories import TicketFactory
from tickets.models import Ticket
from tickets.tasks import close_solved_tickets_task

pytestmark = pytest.mark.django_db


@pytest.fixture
def quiet_and_recent(general_inbox):
    long_ago = timezone.now() - timedelta(days=40)
    quiet = TicketFactory(inbox=general_inbox, status="solved", updated_at=long_ago)
    recent = TicketFactory(inbox=general_inbox, status="solved", updated_at=timezone.now())
    return quiet, recent


def test_command_closes_only_quiet_solved_tickets(quiet_and_recent, capsys):
    quiet, recent = quiet_and_recent

    call_command("close_solved_tickets")

    assert "Closed 1 ticket(s)" in capsys.readouterr().out
    assert Ticket.objects.get(pk=quiet.pk).status == "closed"
    assert Ticket.objects.get(pk=recent.pk).status == "solved"


def test_task_does_the_same(quiet_and_recent):
    quiet, _ = quiet_and_recent

    assert close_solved_tickets_task.call() == 1
    assert Ticket.objects.get(pk=quiet.pk).closed_at is not None
