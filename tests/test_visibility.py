import pytest

from tests.factories import TicketFactory, UserFactory
from tickets.models import Inbox, Ticket


@pytest.fixture
def two_tickets(general_inbox, billing_inbox):
    return TicketFactory(inbox=general_inbox), TicketFactory(inbox=billing_inbox)


def test_members_see_only_their_inboxes(two_tickets, general_agent, billing_agent):
    general, billing = two_tickets

    assert list(Ticket.objects.visible_to(general_agent)) == [general]
    assert list(Ticket.objects.visible_to(billing_agent)) == [billing]
    assert list(Inbox.objects.visible_to(general_agent).values_list("slug", flat=True)) == [
        "general"
    ]


def test_managers_and_admins_see_all(two_tickets, manager, admin_user):
    assert Ticket.objects.visible_to(manager).count() == 2
    assert Ticket.objects.visible_to(admin_user).count() == 2


def test_everyone_else_sees_none(two_tickets, editor, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    assert not Ticket.objects.visible_to(editor).exists()
    assert not Ticket.objects.visible_to(UserFactory()).exists()
    assert not Ticket.objects.visible_to(AnonymousUser()).exists()
