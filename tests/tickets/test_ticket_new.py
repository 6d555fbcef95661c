import pytest
from django.urls import reverse

from supportdesk.roles import AGENT
from tests.factories import CustomerFactory, UserFactory
from tickets.models import Message, Ticket

pytestmark = pytest.mark.django_db

URL = reverse("tickets:new")


def form(**extra) -> dict:
    return {
        "inbox": "",
        "channel": "phone",
        "customer_email": "Caller@Mail.example",
        "customer_name": "Cal Ler",
        "subject": "Cannot download my video",
        "body": "Called at 10:40, the download button does nothing.",
    } | extra


def test_agent_creates_a_phone_ticket_in_their_inbox(client, general_agent, general_inbox):
    client.force_login(general_agent)

    response = client.post(URL, form(inbox=general_inbox.pk))

    ticket = Ticket.objects.get()
    assert response["Location"] == reverse("tickets:detail", args=[ticket.pk])
    assert ticket.inbox == general_inbox and ticket.channel == "phone"
    assert ticket.customer.email == "Caller@Mail.example" and ticket.customer.name == "Cal Ler"
    message = ticket.messages.get()
    assert message.kind == Message.Kind.CUSTOMER and message.author == general_agent


def test_an_existing_customer_is_reused_whatever_the_case(client, general_agent, general_inbox):
    customer = CustomerFactory(email="caller@mail.example")
    client.force_login(general_agent)

    client.post(URL, form(inbox=general_inbox.pk))

    assert Ticket.objects.get().customer == customer


def test_only_my_inboxes_are_offered_and_accepted(
    client, general_agent, general_inbox, billing_inbox
):
    client.force_login(general_agent)

    page = client.get(URL).content.decode()
    response = client.post(URL, form(inbox=billing_inbox.pk))

    assert "General support" in page and "Billing" not in page
    assert response.status_code == 400 and not Ticket.objects.exists()
    assert "Select a valid choice" in response.content.decode()


def test_bad_input_keeps_what_was_typed(client, general_agent, general_inbox):
    client.force_login(general_agent)

    response = client.post(URL, form(inbox=general_inbox.pk, customer_email="not-an-email"))

    page = response.content.decode()
    assert response.status_code == 400 and "Enter a valid email address." in page
    assert "the download button does nothing.</textarea>" in page


def test_an_agent_without_inbox_is_told_why(client):
    client.force_login(UserFactory(role=AGENT))

    assert "not a member of any inbox" in client.get(URL).content.decode()


def test_managers_and_editors_are_refused(client, manager, editor):
    client.force_login(manager)
    assert client.get(URL).status_code == 403
    client.force_login(editor)
    assert client.post(URL, form()).status_code == 403


def test_put_is_not_allowed(client, general_agent):
    client.force_login(general_agent)

    assert client.put(URL).status_code == 405


def test_a_ticket_typed_in_by_an_agent_is_theirs(client, general_agent, general_inbox):
    client.force_login(general_agent)

    client.post(URL, form(inbox=general_inbox.pk))

    ticket = Ticket.objects.get()
    assert ticket.assignee == general_agent
    mine = client.get(reverse("tickets:inbox_queue", args=["general"]) + "?view=mine")
    assert [row.pk for row in mine.context["page"].rows] == [ticket.pk]
