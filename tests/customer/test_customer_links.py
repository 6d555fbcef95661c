"""The signed link's rules: a hash stored, one ticket, expiry, revocation, tampering."""

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from tests.customer.conftest import page_url
from tests.factories import CustomerFactory, TicketFactory
from tickets.models import TicketAccess, token_hash
from tickets.portal import links

pytestmark = pytest.mark.django_db

REFUSED = "This link does not work"


def test_the_link_opens_the_public_thread_and_nothing_internal(client, ticket, token):
    response = client.get(page_url(token))

    assert response.status_code == 200
    page = response.text
    assert "Your ticket #" in page and "Video stops at 90%" in page
    assert "My video stops at 90% with an error." in page
    assert "<strong>once more</strong>" in page  # our reply, as mailed
    assert "NOTEQX" not in page
    assert "Gina" not in page  # replies come from the inbox, not the agent
    assert "no-store" in response["Cache-Control"]
    assert response["Referrer-Policy"] == "same-origin"  # the token never leaves the site
    assert "noindex" in response["X-Robots-Tag"]
    assert TicketAccess.objects.get().last_used_at is not None


def test_only_a_hash_of_the_token_is_stored(ticket, token):
    access = TicketAccess.objects.get()
    assert access.token_hash == token_hash(token) and token not in access.token_hash
    assert (access.ticket, access.customer) == (ticket, ticket.customer)
    expires = access.expires_at - access.created_at
    assert expires == timedelta(days=30)


def test_a_link_opens_its_own_ticket_only(client, ticket, token):
    other = TicketFactory(inbox=ticket.inbox, subject="Someone else's refund OTHERQX")
    other_token = links.issue_link(other)

    mine = client.get(page_url(token)).text
    theirs = client.get(page_url(other_token)).text

    assert "OTHERQX" not in mine and "Video stops" not in theirs
    # A ticket handed to another customer meanwhile: the old customer's link is dead.
    other.customer = CustomerFactory()
    other.save(update_fields=["customer"])
    assert REFUSED in client.get(page_url(other_token)).text


@pytest.mark.parametrize(
    "change",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # one character altered
        lambda t: t[:-1],  # cut
        lambda t: t + "x",  # lengthened
        lambda t: "A" * 43,  # made up
    ],
    ids=["altered", "cut", "lengthened", "made-up"],
)
def test_a_tampered_token_gets_the_friendly_page(client, token, change):
    response = client.get(page_url(change(token)))

    assert response.status_code == 404
    assert REFUSED in response.text and "Video stops" not in response.text


def test_an_expired_link_is_refused_like_an_unknown_one(client, token, settings):
    unknown = client.get(page_url("B" * 43))
    TicketAccess.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    expired = client.get(page_url(token))

    assert expired.status_code == unknown.status_code == 404
    assert expired.text == unknown.text  # no hint that this one existed
    assert f"work for {settings.CUSTOMER_LINK_DAYS} days" in expired.text


def test_the_expiry_comes_from_the_setting(ticket, settings):
    settings.CUSTOMER_LINK_DAYS = 3
    links.issue_link(ticket)
    access = TicketAccess.objects.get()
    assert access.expires_at - access.created_at == timedelta(days=3)


def test_the_agent_revokes_the_ticket_links(client, ticket, token, general_agent):
    client.force_login(general_agent)
    response = client.post(f"/tickets/{ticket.pk}/customer-links/revoke/", {"scope": "ticket"})

    assert response.status_code == 302
    access = TicketAccess.objects.get()
    assert access.revoked_at and access.revoked_by == general_agent
    assert REFUSED in Client().get(page_url(token)).text


def test_revoking_all_of_a_customers_links(client, ticket, token, general_agent, billing_inbox):
    second = TicketFactory(inbox=ticket.inbox, customer=ticket.customer)
    hidden = TicketFactory(inbox=billing_inbox, customer=ticket.customer)
    second_token, hidden_token = links.issue_link(second), links.issue_link(hidden)
    client.force_login(general_agent)

    client.post(f"/tickets/{ticket.pk}/customer-links/revoke/", {"scope": "customer"})

    anonymous = Client()
    assert REFUSED in anonymous.get(page_url(token)).text
    assert REFUSED in anonymous.get(page_url(second_token)).text
    # A billing ticket this agent cannot see is left to its own inbox (or a manager).
    assert anonymous.get(page_url(hidden_token)).status_code == 200


def test_revoking_needs_the_ticket(client, ticket, billing_agent):
    client.force_login(billing_agent)
    response = client.post(f"/tickets/{ticket.pk}/customer-links/revoke/", {"scope": "ticket"})
    assert response.status_code == 404
    assert not TicketAccess.objects.filter(revoked_at__isnull=False).exists()


def test_guessing_stops_after_a_few_misses(client, token):
    for _ in range(20):
        assert client.get(page_url("C" * 43)).status_code == 404

    response = client.get(page_url(token))

    assert response.status_code == 429 and "Please wait a little" in response.text
    assert "Video stops" not in response.text
