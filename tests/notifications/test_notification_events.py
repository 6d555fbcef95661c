"""Each notification event, made by the ticket services (never by views)."""

from datetime import timedelta

import pytest
from django.utils import timezone

from supportdesk.roles import AGENT, EDITOR
from tests.factories import CustomerFactory, TicketFactory, UserFactory
from tickets.models import AgentSettings, Notification, Ticket
from tickets.notifications.events import mentioned_usernames, notify_sla_breaches
from tickets.notifications.tasks import email_notifications
from tickets.queues.bulk import assign_tickets
from tickets.services import add_customer_message, assign_ticket, create_ticket, write_note

Kind = Notification.Kind


def kinds(user) -> list[tuple[int, str]]:
    return list(Notification.objects.filter(recipient=user).values_list("ticket_id", "kind"))


@pytest.fixture
def colleague(general_inbox):
    user = UserFactory(role=AGENT, username="carla", first_name="Carla")
    general_inbox.members.add(user)
    return user


def test_assigned_to_me_by_a_colleague(general_agent, colleague, general_inbox):
    ticket = TicketFactory(inbox=general_inbox)

    assign_ticket(ticket, assignee=general_agent, by=colleague)

    notification = Notification.objects.get(recipient=general_agent)
    assert (notification.ticket_id, notification.kind) == (ticket.pk, Kind.ASSIGNED)
    assert notification.actor == colleague and notification.read_at is None
    assert kinds(colleague) == []


def test_taking_a_ticket_myself_notifies_nobody(general_agent, general_inbox):
    ticket = TicketFactory(inbox=general_inbox)

    assign_ticket(ticket, assignee=general_agent, by=general_agent)

    assert Notification.objects.count() == 0


def test_bulk_assign_notifies_the_assignee_once_per_ticket(
    general_agent, colleague, general_inbox
):
    tickets = TicketFactory.create_batch(2, inbox=general_inbox)

    assign_tickets([t.pk for t in tickets], assignee=general_agent, by=colleague)

    assert sorted(kinds(general_agent)) == sorted((t.pk, Kind.ASSIGNED) for t in tickets)


def test_my_tickets_customer_replied(general_agent, general_inbox):
    ticket = TicketFactory(inbox=general_inbox, assignee=general_agent)

    message = add_customer_message(ticket, body_text="Still broken, sorry.")

    notification = Notification.objects.get(recipient=general_agent)
    assert (notification.kind, notification.message) == (Kind.CUSTOMER_REPLY, message)
    assert notification.actor is None


def test_an_auto_reply_notifies_nobody(general_agent, general_inbox):
    ticket = TicketFactory(inbox=general_inbox, assignee=general_agent)

    add_customer_message(ticket, body_text="I am out of office.", may_reopen=False)

    assert kinds(general_agent) == []


def test_a_reply_on_an_unassigned_ticket_notifies_nobody(general_agent, general_inbox):
    ticket = TicketFactory(inbox=general_inbox)

    add_customer_message(ticket, body_text="Hello?")

    assert Notification.objects.count() == 0


def test_mention_of_a_member_in_a_note(general_agent, colleague, general_inbox):
    ticket = TicketFactory(inbox=general_inbox)

    note = write_note(ticket, body_text="@Carla can you check the invoice?", by=general_agent)

    notification = Notification.objects.get(recipient=colleague)
    assert (notification.kind, notification.message, notification.actor) == (
        Kind.MENTION,
        note,
        general_agent,
    )


def test_mentioning_myself_notifies_nobody(general_agent, general_inbox):
    ticket = TicketFactory(inbox=general_inbox)

    write_note(ticket, body_text=f"Note to self @{general_agent.username}", by=general_agent)

    assert Notification.objects.count() == 0


def test_mention_of_a_non_member_does_nothing(general_agent, billing_agent, general_inbox):
    ticket = TicketFactory(inbox=general_inbox)

    write_note(ticket, body_text=f"@{billing_agent.username} look", by=general_agent)

    assert Notification.objects.count() == 0


def test_an_email_address_is_not_a_mention(general_agent, colleague, general_inbox):
    ticket = TicketFactory(inbox=general_inbox)

    write_note(ticket, body_text="Customer wrote from x@carla and mail@carla.", by=general_agent)

    assert Notification.objects.count() == 0


def test_mentioned_usernames_end_at_punctuation():
    assert mentioned_usernames("Thanks @ana. And @bo-b, @c.d!") == {"ana", "bo-b", "c.d"}


def test_a_member_who_turned_a_kind_off_is_not_notified(general_agent, colleague, general_inbox):
    AgentSettings.objects.create(user=colleague, notify_mention=False)
    ticket = TicketFactory(inbox=general_inbox)

    write_note(ticket, body_text="@carla see above", by=general_agent)

    assert Notification.objects.count() == 0


def test_a_member_holding_a_bad_old_assignment_still_hears_of_replies(general_inbox):
    editor = UserFactory(role=EDITOR)
    general_inbox.members.add(editor)
    ticket = TicketFactory(inbox=general_inbox, assignee=editor)  # a bad old assignment

    add_customer_message(ticket, body_text="Hello again")

    # The editor is a member, so may read it: the manager's list shows the holder is wrong.
    assert kinds(editor) == [(ticket.pk, Kind.CUSTOMER_REPLY)]


def test_a_general_agent_is_never_notified_about_billing(general_agent, billing_inbox):
    ticket = TicketFactory(inbox=billing_inbox, assignee=general_agent)  # a bad old assignment

    add_customer_message(ticket, body_text="About my invoice")
    write_note(ticket, body_text=f"@{general_agent.username} FYI", by=None)

    assert kinds(general_agent) == []


def test_sla_about_to_breach_warns_the_assignee_once(general_agent, general_inbox):
    # No SLA column on this branch: a fake due time in another datetime column.
    now = timezone.now()
    due = TicketFactory(
        inbox=general_inbox, assignee=general_agent, solved_at=now + timedelta(minutes=30)
    )
    TicketFactory(inbox=general_inbox, assignee=general_agent, solved_at=now + timedelta(hours=3))
    TicketFactory(
        inbox=general_inbox, assignee=general_agent, solved_at=now - timedelta(minutes=5)
    )
    TicketFactory(inbox=general_inbox, solved_at=now + timedelta(minutes=10))  # nobody's

    assert notify_sla_breaches("solved_at", timedelta(hours=1), now=now) == 1
    assert notify_sla_breaches("solved_at", timedelta(hours=1), now=now) == 0

    notification = Notification.objects.get()
    assert (notification.recipient, notification.ticket_id, notification.kind) == (
        general_agent,
        due.pk,
        Kind.SLA,
    )


def test_sla_warning_refuses_a_field_that_is_not_a_due_time():
    with pytest.raises(ValueError, match="no field"):
        notify_sla_breaches("no_such_field", timedelta(hours=1))
    with pytest.raises(ValueError, match="not a date"):
        notify_sla_breaches("subject", timedelta(hours=1))


def test_notify_sla_breaches_command(general_agent, general_inbox):
    from io import StringIO

    from django.core.management import call_command

    TicketFactory(
        inbox=general_inbox,
        assignee=general_agent,
        solved_at=timezone.now() + timedelta(minutes=20),
    )
    out = StringIO()

    call_command("notify_sla_breaches", "--field", "solved_at", "--within", "60", stdout=out)

    assert "1 notification " in out.getvalue()
    assert kinds(general_agent)[0][1] == Kind.SLA


def test_email_when_the_user_asks_for_it(
    general_agent, colleague, general_inbox, mailoutbox, django_capture_on_commit_callbacks
):
    AgentSettings.objects.create(user=general_agent, email_notifications=True)
    ticket = TicketFactory(inbox=general_inbox, subject="Video stuck")

    with django_capture_on_commit_callbacks(execute=True):
        assign_ticket(ticket, assignee=general_agent, by=colleague)
        assign_ticket(ticket, assignee=colleague, by=general_agent)  # colleague: no email

    assert mailoutbox == []  # queued as a task, not sent in the request
    sent = email_notifications.call([n.pk for n in Notification.objects.all()])

    assert sent == 1
    assert mailoutbox[0].to == [general_agent.email]
    assert ticket.number in mailoutbox[0].subject and "Video stuck" in mailoutbox[0].body


def test_round_robin_assignment_notifies_the_agent(general_agent, general_inbox):
    general_inbox.round_robin = True
    general_inbox.save()

    ticket = create_ticket(
        inbox=general_inbox, customer=CustomerFactory(), subject="Hi", body_text="Help"
    )

    assert Ticket.objects.get(pk=ticket.pk).assignee == general_agent
    assert kinds(general_agent) == [(ticket.pk, Kind.ASSIGNED)]
