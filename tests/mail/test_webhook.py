"""Inbound mail from a provider's webhook (anymail), signatures verified."""

import base64
import hashlib
import hmac

import pytest

from tests.mail.conftest import corpus
from tickets.models import InboundEmail, Ticket

SIGNING_KEY = "mailgun-signing-key"
URL = "/mail/inbound/mailgun/"


@pytest.fixture(autouse=True)
def mailgun(settings):
    settings.MAIL_INBOUND_ESPS = ["mailgun"]
    settings.ANYMAIL = {
        "WEBHOOK_SECRET": "hook:s3cret",
        "MAILGUN_WEBHOOK_SIGNING_KEY": SIGNING_KEY,
    }


def basic_auth(credentials: str = "hook:s3cret") -> dict:
    return {"HTTP_AUTHORIZATION": "Basic " + base64.b64encode(credentials.encode()).decode()}


def signed_post(raw: bytes, *, key: str = SIGNING_KEY) -> dict:
    timestamp, token = "1764064800", "a" * 50
    signature = hmac.new(key.encode(), f"{timestamp}{token}".encode(), hashlib.sha256)
    return {
        "body-mime": raw.decode("utf-8"),
        "recipient": "support@example.com",
        "timestamp": timestamp,
        "token": token,
        "signature": signature.hexdigest(),
    }


def test_a_signed_message_becomes_a_ticket(client, support):
    response = client.post(URL, signed_post(corpus("plain.eml")), **basic_auth())

    assert response.status_code == 200
    mail = InboundEmail.objects.get()
    assert mail.source == "webhook:mailgun"
    assert mail.status == InboundEmail.Status.PROCESSED
    assert Ticket.objects.get().subject == "Video stops at 90%"


def test_the_providers_envelope_recipient_routes(client, support, billing):
    raw = corpus("plain.eml").replace(b"To: support@example.com", b"To: list@else.example")
    data = {**signed_post(raw), "recipient": "billing@example.com"}

    client.post(URL, data, **basic_auth())

    assert Ticket.objects.get().inbox == billing


def test_a_wrong_signature_is_refused_and_nothing_stored(client, support):
    response = client.post(URL, signed_post(corpus("plain.eml"), key="forged"), **basic_auth())

    assert response.status_code == 400
    assert not InboundEmail.objects.exists()


def test_without_the_shared_secret_it_is_refused(client, support):
    response = client.post(URL, signed_post(corpus("plain.eml")), **basic_auth("hook:guess"))

    assert response.status_code == 400
    assert not InboundEmail.objects.exists()


def test_a_provider_not_enabled_is_404(client, support):
    response = client.post("/mail/inbound/postmark/", {}, **basic_auth())

    assert response.status_code == 404


def test_get_is_not_allowed(client, support):
    assert client.get(URL, **basic_auth()).status_code == 405
