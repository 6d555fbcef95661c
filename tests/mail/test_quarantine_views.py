"""The quarantine page: list, retry, discard, raw copy; who sees which mail."""

import pytest
from django.urls import reverse

from tests.factories import UserFactory
from tests.mail.conftest import corpus
from tickets.mail.inbound import ingest
from tickets.models import InboundEmail, Inbox, Ticket

LIST = reverse("tickets:quarantine")


def quarantined(raw: bytes) -> InboundEmail:
    result = ingest(raw, source="test")
    assert result.status == InboundEmail.Status.QUARANTINED
    return InboundEmail.objects.get(pk=result.inbound_id)


def no_sender(to: str, subject: str) -> bytes:
    return f"To: {to}\r\nSubject: {subject}\r\nMessage-ID: <{subject}@x>\r\n\r\nHi\r\n".encode()


@pytest.fixture
def mails(support, billing):
    return {
        "general": quarantined(no_sender("support@example.com", "general-mail")),
        "billing": quarantined(no_sender("billing@example.com", "billing-mail")),
        "unroutable": quarantined(corpus("unroutable.eml")),
    }


def url(name: str, mail: InboundEmail) -> str:
    return reverse(f"tickets:quarantine_{name}", args=[mail.pk])


def test_managers_see_all_quarantined_mail(client, manager, mails):
    client.force_login(manager)

    response = client.get(LIST)

    assert response.status_code == 200
    body = response.content.decode()
    assert "general-mail" in body and "billing-mail" in body and "Wrong address" in body
    assert "no recipient is an inbox address" in body
    assert f'href="{LIST}"' in body  # the sidebar link


def test_agents_see_only_mail_routed_to_their_inboxes(client, general_agent, mails):
    client.force_login(general_agent)

    body = client.get(LIST).content.decode()

    assert "general-mail" in body
    assert "billing-mail" not in body
    assert "Wrong address" not in body  # unroutable: managers only
    assert f'href="{LIST}"' in body  # the sidebar links agents to their inboxes' quarantine


@pytest.mark.parametrize("action", ["retry", "discard"])
def test_another_inboxs_mail_is_404(client, general_agent, mails, action):
    client.force_login(general_agent)

    assert client.post(url(action, mails["billing"])).status_code == 404
    assert client.post(url(action, mails["unroutable"])).status_code == 404
    assert client.get(url("raw", mails["billing"])).status_code == 404
    assert InboundEmail.objects.get(pk=mails["billing"].pk).status == "quarantined"


def test_editors_are_refused(client, editor, mails):
    client.force_login(editor)

    assert client.get(LIST).status_code == 403
    assert client.post(url("retry", mails["general"])).status_code == 403


def test_wrong_methods(client, manager, mails):
    client.force_login(manager)

    assert client.post(LIST).status_code == 405
    assert client.get(url("retry", mails["general"])).status_code == 405
    assert client.get(url("discard", mails["general"])).status_code == 405
    assert client.post(url("raw", mails["general"])).status_code == 405


def test_retry_after_the_fix_files_the_mail(client, manager, mails):
    Inbox.objects.create(
        slug="partners", name="Partners", address="someone@elsewhere.example",
        reply_from="someone@elsewhere.example", position=2,
    )  # fmt: skip
    client.force_login(manager)

    response = client.post(url("retry", mails["unroutable"]), follow=True)

    mail = InboundEmail.objects.get(pk=mails["unroutable"].pk)
    assert mail.status == InboundEmail.Status.PROCESSED
    assert mail.ticket.inbox.slug == "partners"
    assert response.redirect_chain == [(LIST, 302)]
    assert f"filed on ticket #{mail.ticket_id}" in response.content.decode()


def test_retry_that_still_fails_says_why(client, general_agent, mails):
    client.force_login(general_agent)

    response = client.post(url("retry", mails["general"]), follow=True)

    assert "still quarantined: no sender address" in response.content.decode()
    assert InboundEmail.objects.get(pk=mails["general"].pk).status == "quarantined"


def test_retry_by_htmx_swaps_the_table(client, manager, mails):
    client.force_login(manager)

    response = client.post(url("retry", mails["general"]), headers={"HX-Request": "true"})

    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith('<div id="quarantine-table">')
    assert "<html" not in body
    assert "still quarantined" in body  # the flash, swapped out of band
    assert "quarantine-changed" in response["HX-Trigger"]


def test_discard_keeps_the_raw_copy(client, manager, mails):
    client.force_login(manager)

    response = client.post(url("discard", mails["billing"]))

    assert response.status_code == 302
    mail = InboundEmail.objects.get(pk=mails["billing"].pk)
    assert mail.status == InboundEmail.Status.DISCARDED
    assert bytes(mail.raw).startswith(b"To: billing@")
    assert "billing-mail" not in client.get(LIST).content.decode()
    assert not Ticket.objects.exists()


def test_discard_by_htmx(client, manager, mails):
    client.force_login(manager)

    response = client.post(url("discard", mails["general"]), headers={"HX-Request": "true"})

    assert "general-mail" not in response.content.decode()
    assert "discarded" in response.content.decode()


def test_raw_copy_is_a_download(client, general_agent, mails):
    client.force_login(general_agent)

    response = client.get(url("raw", mails["general"]))

    assert response["Content-Type"] == "message/rfc822"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response.content == bytes(mails["general"].raw)


def test_empty_state(client, manager, support):
    client.force_login(manager)

    assert "Nothing in quarantine" in client.get(LIST).content.decode()


def test_query_ceiling(client, manager, support, billing, django_assert_max_num_queries):
    for n in range(30):
        quarantined(no_sender("billing@example.com" if n % 2 else "support@example.com", f"m{n}"))
    user = UserFactory(role="Manager")
    client.force_login(user)

    with django_assert_max_num_queries(12):
        response = client.get(LIST)

    assert response.content.decode().count('<tr id="mail-') == 30
