"""The customer's page: reply (with files), "this is solved", rate."""

import re
from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests.customer.conftest import page_url
from tests.factories import ArticleFactory, MessageFactory
from tickets import services
from tickets.models import Attachment, Message, Resolution, Satisfaction, Ticket
from tickets.portal import links
from tickets.resolution import close_solved_tickets, link_article, solve_ticket

pytestmark = pytest.mark.django_db

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00\x00"
    b"\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N\x00"
    b"\x00\x00\x00IEND\xaeB`\x82"
)


def test_a_reply_joins_the_thread_like_a_mail(client, ticket, token):
    shot = SimpleUploadedFile("screen.png", PNG, content_type="image/png")

    response = client.post(page_url(token, "reply"), {"message": "Still stuck", "files": [shot]})

    assert response.status_code == 302 and response["Location"].endswith("?done=reply")
    message = ticket.messages.filter(kind=Message.Kind.CUSTOMER).last()
    assert message.body_text == "Still stuck" and message.sender_email == "ana@customer.example"
    assert message.message_id  # our own, so mail threads back to it
    assert [a.name for a in message.attachments.all()] == ["screen.png"]
    page = client.get(response["Location"]).text
    assert "Your reply is sent" in page and "Still stuck" in page and "screen.png" in page


def test_the_attachment_rules_are_the_agents(client, ticket, token):
    program = SimpleUploadedFile("setup.exe", b"MZ\x90\x00", content_type="image/png")

    response = client.post(page_url(token, "reply"), {"message": "See file", "files": [program]})

    assert response.status_code == 400
    assert "not a file type we accept" in response.text and "See file" in response.text
    assert not Attachment.objects.exists()


def test_an_empty_reply_is_refused_with_a_reason(client, ticket, token):
    response = client.post(page_url(token, "reply"), {"message": "   "})
    assert response.status_code == 400 and "Write a few words" in response.text


def test_replies_are_rate_limited(client, ticket, token):
    for _ in range(10):
        client.post(page_url(token, "reply"), {"message": "again"})
    response = client.post(page_url(token, "reply"), {"message": "one more"})
    assert response.status_code == 429 and "one more" in response.text


def test_a_reply_reopens_a_solved_ticket(client, ticket, token, general_agent):
    solve_ticket(ticket, kind="not_applicable", by=general_agent)

    client.post(page_url(token, "reply"), {"message": "It broke again"})

    ticket.refresh_from_db()
    assert ticket.status == Ticket.Status.OPEN
    assert ticket.resolutions.get().reopened_at is not None


def test_a_reply_to_a_closed_ticket_opens_the_follow_up(client, ticket, token, general_agent):
    resolution = solve_ticket(ticket, kind="not_applicable", by=general_agent)
    close_solved_tickets(now=resolution.solved_at + timedelta(days=60))

    response = client.post(page_url(token, "reply"), {"message": "New problem"})

    follow_up = Ticket.objects.get(follow_up_of=ticket)
    assert response["Location"].endswith("?done=followup")
    new_token = re.search(r"/help/tickets/([^/]+)/", response["Location"])[1]
    assert links.find_access(new_token).ticket == follow_up
    assert "New problem" in client.get(response["Location"]).text


def test_this_is_solved_credits_the_articles_we_sent(client, ticket, token, general_agent):
    reply = MessageFactory(ticket=ticket, kind="reply", author=general_agent)
    link = link_article(ticket, article=ArticleFactory(), by=general_agent, message=reply)

    response = client.post(page_url(token, "solved"))

    resolution = ticket.resolutions.get()
    assert (resolution.kind, list(resolution.links.all())) == (Resolution.Kind.ARTICLE, [link])
    assert resolution.solved_by is None
    page = client.get(response["Location"]).text
    assert "we marked it solved" in page and "How did we do?" in page


def test_this_is_solved_without_articles(client, ticket, token):
    client.post(page_url(token, "solved"))
    client.post(page_url(token, "solved"))  # a second click changes nothing

    resolution = ticket.resolutions.get()
    assert resolution.kind == Resolution.Kind.NOT_APPLICABLE


def test_the_rating_is_stored_on_the_resolution(client, ticket, token, general_agent):
    resolution = solve_ticket(ticket, kind="not_applicable", by=general_agent)

    client.post(page_url(token, "rate"), {"rating": "good"})
    rating = Satisfaction.objects.get()
    assert (rating.resolution, rating.rating, rating.needs_second_look) == (
        resolution,
        "good",
        False,
    )
    assert (rating.inbox_id, rating.solved_by_id) == (ticket.inbox_id, general_agent.pk)

    # Changing one's mind: the new answer wins, and a bad one asks for a second look.
    client.post(page_url(token, "rate"), {"rating": "bad", "comment": "It came back"})
    rating.refresh_from_db()
    assert (rating.rating, rating.comment, rating.needs_second_look) == (
        "bad",
        "It came back",
        True,
    )
    assert list(Satisfaction.objects.second_look()) == [rating]


def test_nothing_to_rate_while_open(client, ticket, token):
    response = client.post(page_url(token, "rate"), {"rating": "good"})
    assert response.status_code == 400 and "nothing to rate" in response.text
    assert not Satisfaction.objects.exists()


def test_a_bad_rating_waits_for_a_second_look(client, ticket, token, general_agent, billing_agent):
    solve_ticket(ticket, kind="not_applicable", by=general_agent)
    client.post(page_url(token, "rate"), {"rating": "bad", "comment": "Rude answer"})
    rating = Satisfaction.objects.get()

    client.force_login(billing_agent)  # another inbox's agent sees nothing of it
    assert "Rude answer" not in client.get("/tickets/satisfaction/").text
    assert client.post(f"/tickets/satisfaction/{rating.pk}/reviewed/").status_code == 404

    client.force_login(general_agent)
    listing = client.get("/tickets/satisfaction/").text
    assert "Rude answer" in listing and f"#{ticket.pk}" in listing
    assert "customer rated it bad" in client.get(f"/tickets/{ticket.pk}/").text
    client.post(f"/tickets/satisfaction/{rating.pk}/reviewed/")
    rating.refresh_from_db()
    assert rating.reviewed_by == general_agent and not rating.needs_second_look
    assert "Rude answer" not in client.get("/tickets/satisfaction/").text
    assert "Rude answer" in client.get("/tickets/satisfaction/?show=bad").text


def test_files_of_the_public_thread_only(client, ticket, token, general_agent):
    reply = services.add_reply(ticket, body_text="Here is a guide", by=general_agent)
    note = services.add_note(ticket, body_text="internal", by=general_agent)
    shown, hidden = (
        services.attach_files(m, [SimpleUploadedFile(name, PNG, content_type="image/png")])[0]
        for m, name in ((reply, "guide.png"), (note, "secret.png"))
    )

    download = client.get(page_url(token, f"files/{shown.pk}"))
    assert download.status_code == 200 and download["X-Content-Type-Options"] == "nosniff"
    assert b"".join(download.streaming_content) == PNG  # read whole: the file closes
    assert client.get(page_url(token, f"files/{hidden.pk}")).status_code == 404
    assert "secret.png" not in client.get(page_url(token)).text


def test_wrong_methods(client, token):
    assert client.get(page_url(token, "reply")).status_code == 405
    assert client.get(page_url(token, "solved")).status_code == 405
    assert client.post(page_url(token)).status_code == 405


def test_the_page_takes_a_constant_number_of_queries(
    client, ticket, token, general_agent, django_assert_max_num_queries
):
    solve_ticket(ticket, kind="not_applicable", by=general_agent)
    with django_assert_max_num_queries(6) as few:
        client.get(page_url(token))
    for n in range(5):
        reply = services.add_reply(ticket, body_text=f"Answer {n}", by=general_agent)
        services.attach_files(reply, [SimpleUploadedFile(f"{n}.png", PNG, "image/png")])

    with django_assert_max_num_queries(len(few.captured_queries)):
        page = client.get(page_url(token)).text
    assert "Answer 4" in page and "4.png" in page
