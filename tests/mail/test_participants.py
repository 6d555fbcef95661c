"""Participants: a Cc'd colleague the agent adds gets every reply on Cc (never Bcc),
their own mail threads into the ticket and shows as theirs, and automatic mail never
makes anyone a participant. Billing stays in Billing."""

import pytest
from django.urls import reverse

from tests.mail.test_threading import reply, ticket_for
from tickets.mail import outbound
from tickets.mail.inbound import ingest
from tickets.mail.participants import ParticipantError, add_participant
from tickets.models import Message, Participant
from tickets.services import add_reply


def page(client, agent, ticket) -> str:
    client.force_login(agent)
    return client.get(reverse("tickets:detail", args=[ticket.pk])).content.decode()


def add(client, ticket, email, *, htmx=True):
    headers = {"HX-Request": "true", "HX-Target": "participants"} if htmx else {}
    url = reverse("tickets:participant_add", args=[ticket.pk])
    return client.post(url, {"email": email}, headers=headers)


@pytest.fixture
def copied_ticket(support):
    """A ticket whose customer's mail copied a colleague, who then wrote too."""
    ticket = ticket_for(support)
    ingest(
        reply(
            mid="<ana-2@customer.example>",
            irt="<first@customer.example>",
            sender="Ana Customer <ana@customer.example>",
            extra="Cc: Bob Colleague <bob@customer.example>, support@example.com\r\n",
        ),
        source="t",
    )
    return ticket


def test_the_cc_is_recorded_and_offered_but_not_ours_or_the_customer(
    copied_ticket, client, general_agent
):
    message = copied_ticket.messages.get(message_id="<ana-2@customer.example>")
    assert message.copied == "bob@customer.example"

    html = page(client, general_agent, copied_ticket)

    assert 'id="participants"' in html
    assert 'value="bob@customer.example"' in html
    assert 'name="email" value="support@example.com"' not in html
    assert 'name="email" value="ana@customer.example"' not in html


def test_an_agent_adds_a_colleague_and_replies_go_to_them_on_cc(
    copied_ticket, client, general_agent, smtp_server
):
    client.force_login(general_agent)

    response = add(client, copied_ticket, "bob@customer.example")

    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="participants"' in body and "<html" not in body
    assert "bob@customer.example" in body and "Remove" in body
    participant = Participant.objects.get(ticket=copied_ticket)
    # The name the colleague's address carried is not known from a Cc alone.
    assert participant.added_by == general_agent
    message = add_reply(copied_ticket, body_text="Fixed.", by=general_agent)
    assert outbound.deliver_message(message.pk) == "sent"
    [mail] = smtp_server.messages
    [envelope] = smtp_server.handler.envelopes
    assert [a.addr_spec for a in mail["To"].addresses] == ["ana@customer.example"]
    assert [a.addr_spec for a in mail["Cc"].addresses] == ["bob@customer.example"]
    assert mail["Bcc"] is None
    assert sorted(envelope.rcpt_tos) == ["ana@customer.example", "bob@customer.example"]


def test_a_removed_participant_gets_no_more_replies(
    copied_ticket, client, general_agent, smtp_server
):
    client.force_login(general_agent)
    add(client, copied_ticket, "bob@customer.example", htmx=False)

    response = client.post(
        reverse("tickets:participant_remove", args=[copied_ticket.pk]),
        {"email": "BOB@customer.example"},
    )

    assert response.status_code == 302 and response.url.endswith("#participants")
    assert not Participant.objects.filter(ticket=copied_ticket).exists()
    message = add_reply(copied_ticket, body_text="Fixed.", by=general_agent)
    outbound.deliver_message(message.pk)
    [mail] = smtp_server.messages
    assert mail["Cc"] is None
    assert smtp_server.handler.envelopes[0].rcpt_tos == ["ana@customer.example"]


def test_a_typed_address_with_a_name_goes_out_as_name_and_address(support, agent, smtp_server):
    ticket = ticket_for(support)
    add_participant(
        ticket, email="  cleo@partner.example ", name="Cl\u202eéo Partner\r\n", by=agent
    )

    message = add_reply(ticket, body_text="Done.", by=agent)
    outbound.deliver_message(message.pk)

    [mail] = smtp_server.messages
    assert mail["Cc"].addresses[0].display_name == "Cléo Partner"
    assert mail["Cc"].addresses[0].addr_spec == "cleo@partner.example"


def test_a_participants_mail_threads_in_by_the_subject_token_and_shows_as_theirs(
    support, agent, client, general_agent
):
    ticket = ticket_for(support)
    add_participant(ticket, email="bob@customer.example", by=agent)
    raw = reply(
        mid="<bob-new@customer.example>",
        subject=f"Re: Help [#{ticket.pk}]",
        sender="Bob Colleague <bob@customer.example>",
    )

    result = ingest(raw, source="t")

    assert result.ticket_id == ticket.pk and not result.new_ticket
    message = Message.objects.get(pk=result.message_id)
    assert (message.sender_email, message.sender_name) == ("bob@customer.example", "Bob Colleague")
    html = page(client, general_agent, ticket)
    assert "Bob Colleague" in html and "&lt;bob@customer.example&gt;" in html


def test_a_stranger_with_the_subject_token_starts_their_own_ticket(support):
    ticket = ticket_for(support)
    raw = reply(mid="<eve@x.example>", subject=f"Re: Help [#{ticket.pk}]", sender="eve@x.example")

    result = ingest(raw, source="t")

    assert result.new_ticket and result.ticket_id != ticket.pk


def test_automatic_mail_never_makes_a_participant(support, agent, client, general_agent):
    ticket = ticket_for(support)
    ingest(
        reply(
            mid="<ooo@customer.example>",
            irt="<first@customer.example>",
            sender="Olaf <olaf@customer.example>",
            extra="Auto-Submitted: auto-replied\r\nCc: carl@customer.example\r\n",
        ),
        source="t",
    )

    html = page(client, general_agent, ticket)

    assert 'value="olaf@customer.example"' not in html
    assert 'value="carl@customer.example"' not in html
    with pytest.raises(ParticipantError, match="only ever sent automatic mail"):
        add_participant(ticket, email="olaf@customer.example", by=agent)
    with pytest.raises(ParticipantError, match="automatic sender"):
        add_participant(ticket, email="MAILER-DAEMON@mx.customer.example", by=agent)
    assert not Participant.objects.exists()


@pytest.mark.parametrize(
    ("email", "why"),
    [
        ("ana@customer.example", "That is the customer"),
        ("Support+x@example.com", "our own inbox"),
        ("not an address", "is not an email address"),
        ("no-reply@vendor.example", "automatic sender"),
    ],
)
def test_addresses_that_cannot_be_participants_are_refused_with_why(
    support, client, general_agent, email, why
):
    ticket = ticket_for(support)
    client.force_login(general_agent)

    response = add(client, ticket, email)

    assert response.status_code == 400
    assert why in response.content.decode()
    assert not Participant.objects.exists()


def test_the_same_colleague_twice_is_refused(support, agent):
    ticket = ticket_for(support)
    add_participant(ticket, email="bob@customer.example", by=agent)

    with pytest.raises(ParticipantError, match="already a participant"):
        add_participant(ticket, email="Bob@Customer.example", by=agent)


def test_a_closed_ticket_keeps_its_participants(support, agent, client, general_agent):
    ticket = ticket_for(support)
    ticket.status = "closed"
    ticket.save(update_fields=["status"])
    client.force_login(general_agent)

    response = add(client, ticket, "bob@customer.example", htmx=False)

    assert response.status_code == 302
    assert not Participant.objects.exists()
    assert "closed" in page(client, general_agent, ticket)


def test_general_agents_cannot_touch_a_billing_tickets_participants(
    billing, agent, client, general_agent
):
    ticket = ticket_for(billing)
    add_participant(ticket, email="bob@customer.example", by=agent)
    client.force_login(general_agent)

    added = add(client, ticket, "eve@x.example")
    removed = client.post(
        reverse("tickets:participant_remove", args=[ticket.pk]), {"email": "bob@customer.example"}
    )
    previewed = client.post(reverse("tickets:reply_preview", args=[ticket.pk]), {"body": "hi"})

    assert [added.status_code, removed.status_code, previewed.status_code] == [404, 404, 404]
    assert list(Participant.objects.values_list("email", flat=True)) == ["bob@customer.example"]


def test_editors_see_participants_but_cannot_change_them(support, agent, client, editor):
    ticket = ticket_for(support)
    add_participant(ticket, email="bob@customer.example", by=agent)
    support.members.add(editor)
    client.force_login(editor)

    html = page(client, editor, ticket)
    response = add(client, ticket, "eve@x.example")

    assert "bob@customer.example" in html and "participant-add" not in html
    assert response.status_code == 403


def test_a_follow_up_of_a_closed_ticket_keeps_copying_its_participants(support, agent):
    ticket = ticket_for(support)
    add_participant(ticket, email="bob@customer.example", name="Bob", by=agent)
    ticket.status = "closed"
    ticket.save(update_fields=["status"])

    result = ingest(reply(mid="<again@c>", irt="<first@customer.example>"), source="t")

    assert result.new_ticket and result.ticket_id != ticket.pk
    copied = Participant.objects.filter(ticket_id=result.ticket_id)
    assert list(copied.values_list("email", "name")) == [("bob@customer.example", "Bob")]
