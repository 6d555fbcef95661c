import pytest
from django.urls import reverse

from tests.factories import CustomerFactory, MessageFactory, TicketFactory
from tickets.models import Ticket
from tickets.search.query import search_tickets

QUEUE = reverse("tickets:queue")


@pytest.fixture
def tickets(general_inbox, billing_inbox):
    video = TicketFactory(inbox=general_inbox, subject="Video stuck")
    MessageFactory(ticket=video, body_text="The rendering freezes at ninety percent every time")
    upscale = TicketFactory(inbox=general_inbox, subject="Upscaler broken")
    MessageFactory(ticket=upscale, body_text="Upscaling fails after a minute")
    billing = TicketFactory(
        inbox=billing_inbox, subject="Refund please", customer__email="payer@bank.example"
    )
    MessageFactory(ticket=billing, body_text="I was charged twice, the rendering was fine")
    return video, upscale, billing


def found(query, user=None):
    base = Ticket.objects.visible_to(user) if user else Ticket.objects.all()
    return set(search_tickets(base, query))


def test_words_in_message_text_are_found_with_stemming(tickets):
    video, upscale, billing = tickets

    assert found("freezing") == {video}  # "freezes" and "freezing" share a stem
    assert found("rendering") == {video, billing}


def test_words_in_the_subject_are_found(tickets):
    assert found("upscaler") == {tickets[1]}


def test_number_finds_that_ticket(tickets):
    video = tickets[0]

    assert found(f"#{video.pk}") == {video}
    assert video in found(str(video.pk))


def test_customer_email_finds_their_tickets_case_insensitively(tickets):
    assert found("Payer@Bank.example") == {tickets[2]}


def test_search_never_widens_visibility(tickets, general_agent):
    video, upscale, billing = tickets

    assert found("rendering", general_agent) == {video}
    assert found("payer@bank.example", general_agent) == set()
    assert found(f"#{billing.pk}", general_agent) == set()


def test_queue_search_box(client, general_agent, tickets):
    client.force_login(general_agent)

    response = client.get(QUEUE, {"view": "all", "q": "freezes"})

    assert response.context["page"].rows == [tickets[0]]


def test_top_bar_search_shows_visible_tickets(client, general_agent, tickets):
    client.force_login(general_agent)

    response = client.get(reverse("search"), {"q": "rendering"})

    assert "Video stuck" in response.text
    assert "Refund please" not in response.text


def test_top_bar_search_without_match_says_so(client, general_agent, tickets):
    client.force_login(general_agent)

    response = client.get(reverse("search"), {"q": "zebra"})

    assert "No ticket you can see matches." in response.text


def test_editors_get_no_ticket_section(client, editor, tickets):
    client.force_login(editor)

    response = client.get(reverse("search"), {"q": "rendering"})

    assert "Video stuck" not in response.text
    assert "No ticket you can see" not in response.text


def test_customer_filter_takes_an_email(client, general_agent, general_inbox):
    mine = TicketFactory(inbox=general_inbox, customer=CustomerFactory(email="a@b.example"))
    TicketFactory(inbox=general_inbox)
    client.force_login(general_agent)

    response = client.get(QUEUE, {"view": "all", "customer": "A@B.example"})

    assert response.context["page"].rows == [mine]


def test_messages_added_later_are_found(general_inbox):
    from tickets.services import add_note, add_reply

    ticket = TicketFactory(inbox=general_inbox, subject="Question")
    add_reply(ticket, body_text="Please clear the browser cache", by=None)
    add_note(ticket, body_text="Escalated to the render cluster team", by=None)

    assert found("cache") == {ticket}
    assert found("cluster") == {ticket}


def test_edited_subject_and_message_are_found_and_the_old_words_are_not(general_inbox):
    ticket = TicketFactory(inbox=general_inbox, subject="Gallery empty")
    message = MessageFactory(ticket=ticket, body_text="Where are my pictures")
    ticket.subject = "Download broken"
    ticket.save(update_fields=["subject"])
    message.body_text = "The download button does nothing"
    message.save(update_fields=["body_text"])

    assert found("download") == {ticket}
    assert found("gallery") == set() and found("pictures") == set()


def test_moved_and_deleted_messages_leave_the_document(general_inbox):
    first = TicketFactory(inbox=general_inbox, subject="One")
    second = TicketFactory(inbox=general_inbox, subject="Two")
    message = MessageFactory(ticket=first, body_text="watermark appears on exports")
    message.ticket = second
    message.save(update_fields=["ticket"])

    assert found("watermark") == {second}
    message.delete()
    assert found("watermark") == set()
