"""An attachment too large to keep as a file is still the ticket's: its agents
download the original mail, which holds it whole."""

import pytest
from django.urls import reverse

from tests.mail.conftest import corpus
from tickets.mail.inbound import ingest
from tickets.models import Message


@pytest.fixture
def oversized(support, settings):
    settings.MAIL_ATTACHMENT_MAX_BYTES = 32 * 1024
    return ingest(corpus("huge-attachment.eml"), source="test")


def original_url(result) -> str:
    return reverse("tickets:message_original", args=[result.ticket_id, result.message_id])


def test_the_tickets_agent_downloads_the_original_mail(oversized, client, general_agent):
    client.force_login(general_agent)

    page = client.get(reverse("tickets:detail", args=[oversized.ticket_id])).content.decode()
    response = client.get(original_url(oversized))

    assert f'href="{original_url(oversized)}"' in page
    note = Message.objects.get(kind=Message.Kind.NOTE)
    assert "clip.mp4" in note.body_text and '"Original mail"' in note.body_text
    assert response.status_code == 200
    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content == corpus("huge-attachment.eml")  # the video inside, whole


def test_an_agent_of_another_inbox_gets_nothing(oversized, client, billing_agent):
    client.force_login(billing_agent)

    assert client.get(original_url(oversized)).status_code == 404


def test_a_message_without_a_mail_has_no_original(oversized, client, general_agent):
    note = Message.objects.get(kind=Message.Kind.NOTE)
    client.force_login(general_agent)

    url = reverse("tickets:message_original", args=[oversized.ticket_id, note.pk])
    assert client.get(url).status_code == 404


def test_anonymous_and_wrong_method(oversized, client, general_agent):
    assert client.get(original_url(oversized)).status_code == 302  # to the login page
    client.force_login(general_agent)
    assert client.post(original_url(oversized)).status_code == 405
