"""Erasure on request: after it, nothing personal about the customer is left in
any table or any file, while the report's counts and resolution figures stay."""

from email.message import EmailMessage
from pathlib import Path

import pytest
from django.db import connection

from supportdesk.models import AuditEvent
from tests.factories import CustomerFactory, TicketFactory
from tickets.mail.inbound import discard, ingest, store
from tickets.models import (
    Attachment,
    Customer,
    CustomerContext,
    InboundEmail,
    Message,
    Resolution,
    Satisfaction,
    Ticket,
    TicketAccess,
    Webhook,
    WebhookDelivery,
)
from tickets.portal.links import issue_link
from tickets.portal.services import rate_resolution
from tickets.resolution import solve_ticket
from tickets.services import add_reply

pytestmark = pytest.mark.django_db
EMAIL = "zelda.quixote@erasure-test.example"
PERSONAL = {
    "email": EMAIL,
    "name": "Zelda Quixote",
    "message": "flibbertigibbet quasar",
    "subject": "Wombatcredit vanished",
    "file bytes": "ZQ-statement-bytes-0042",
    "file name": "zelda-passport",
    "raw mail": "Xyloquartz",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def mail(subject: str, body: str, *, attach: bool = False) -> bytes:
    message = EmailMessage()
    message["From"] = f"{PERSONAL['name']} <{EMAIL}>"
    message["To"] = "support@example.com"
    message["Subject"] = subject
    message["Message-ID"] = f"<{len(body)}.{len(subject)}@erasure-test.example>"
    message.set_content(f"{body}\n\n-- \n{PERSONAL['raw mail']} signature, {PERSONAL['name']}")
    if attach:
        message.add_attachment(
            PERSONAL["file bytes"].encode(),
            maintype="application",
            subtype="pdf",
            filename=f"{PERSONAL['file name']}.pdf",
        )
    return message.as_bytes()


@pytest.fixture
def world(general_inbox, general_agent, manager, settings):
    """The customer everywhere: mail with a file, a reply quoting them, a solve with
    a note, a quarantined mail, account context, a webhook delivery, an audit line."""
    general_inbox.address = general_inbox.reply_from = "support@example.com"
    general_inbox.save()
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = True
    hook = Webhook.objects.create(name="CRM", url="http://127.0.0.1:9/", events=["ticket.solved"])
    filed = ingest(
        mail(PERSONAL["subject"], f"My credits are gone, {PERSONAL['message']}", attach=True),
        source="cli",
    )
    ticket = Ticket.objects.get(customer__email=EMAIL)
    assert ticket.attachments.count() == 1 and filed
    add_reply(
        ticket,
        body_text=f"Hello {PERSONAL['name']}, about {PERSONAL['message']}",
        by=general_agent,
    )
    solve_ticket(
        ticket, kind="no_article", note=f"{PERSONAL['name']} needed a reset", by=general_agent
    )
    WebhookDelivery.objects.create(
        webhook=hook, event="ticket.solved", ticket=ticket,
        payload={"data": {"ticket": {"subject": PERSONAL["subject"], "customer": EMAIL}}},
    )  # fmt: skip
    # A mail that could not be filed: quarantined, then discarded (audited with the sender).
    stray = store(mail("Re: nothing", PERSONAL["message"]), source="cli")
    InboundEmail.objects.filter(pk=stray.pk).update(status="quarantined", sender=EMAIL)
    stray.refresh_from_db()
    discard(stray, by=manager)
    CustomerContext.objects.create(
        customer=ticket.customer, plan="Pro", extra={"note": PERSONAL["name"]},
        recent_failures=[{"id": "gen_1", "error_code": "E", "at": None}],
    )  # fmt: skip
    # The customer's ticket link and their rating's comment (issue 14).
    issue_link(ticket)
    rate_resolution(
        Resolution.objects.get(ticket=ticket), rating="bad",
        comment=f"{PERSONAL['name']} says it still fails",
    )  # fmt: skip
    other = TicketFactory(inbox=general_inbox, subject="Someone else's video")
    return ticket, other


def personal_rows() -> list[str]:
    """Every text, JSON, byte and search column of every table that holds any of
    PERSONAL (case-insensitive)."""
    found = []
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT table_name, column_name, data_type FROM information_schema.columns "
            "WHERE table_schema = current_schema() AND data_type IN "
            "('text', 'character varying', 'character', 'json', 'jsonb', 'bytea', 'tsvector')"
        )
        columns = cursor.fetchall()
        assert len(columns) > 50  # really every table
        for table, column, data_type in columns:
            for what, secret in PERSONAL.items():
                if data_type == "bytea":
                    condition, value = f'position(%s::bytea in "{column}") > 0', secret.encode()
                elif data_type == "tsvector":
                    # The search document holds stems: ask it as the search does.
                    condition = f"\"{column}\" @@ plainto_tsquery('english', %s)"
                    value = secret
                else:
                    condition, value = f'"{column}"::text ILIKE %s', f"%{secret}%"
                cursor.execute(f'SELECT count(*) FROM "{table}" WHERE {condition}', [value])
                if cursor.fetchone()[0]:
                    found.append(f"{table}.{column}: {what}")
    return found


def personal_files(root: Path) -> list[str]:
    return [
        str(path)
        for path in root.rglob("*")
        if path.is_file()
        and (PERSONAL["file bytes"].encode() in path.read_bytes() or "zelda" in path.name)
    ]


def test_delete_leaves_nothing_personal_in_any_table_or_file(
    world, api_client_for, manager, media, django_capture_on_commit_callbacks
):
    ticket, other = world
    # The control: the world has it all, where we expect it.
    before = personal_rows()
    for where in (
        "tickets_message.body_text: message",
        "tickets_ticket.subject: subject",
        "tickets_inboundemail.raw: raw mail",
        "tickets_customer.email: email",
        "tickets_ticket.search_document: message",
        "supportdesk_auditevent.detail: email",
        "tickets_webhookdelivery.payload: email",
        "tickets_attachment.name: file name",
        "tickets_customercontext.extra: name",
        "tickets_resolution.note: name",
        "tickets_satisfaction.comment: name",
    ):
        assert where in before, before
    assert personal_files(media)
    counts_before = (Ticket.objects.count(), Message.objects.count(), Resolution.objects.count())
    kinds_before = list(Message.objects.filter(ticket=ticket).values_list("kind", flat=True))

    with django_capture_on_commit_callbacks(execute=True):
        response = api_client_for(manager).delete(f"/api/v1/customers/{EMAIL.upper()}")

    assert response.status_code == 200, response.content
    assert response.json() == {
        "tickets": 1, "messages": 2, "attachments": 1, "raw_mails": 2, "contexts": 1,
        "webhook_payloads": 1, "audit_lines": 1, "other": 2,  # the link, the comment
    }  # fmt: skip
    assert not TicketAccess.objects.filter(ticket=ticket).exists()
    assert Satisfaction.objects.get(resolution__ticket=ticket).rating == "bad"  # kept
    assert personal_rows() == []
    assert personal_files(media) == []
    # The report's facts stay: the same tickets, messages (by kind) and resolutions.
    assert (Ticket.objects.count(), Message.objects.count(), Resolution.objects.count()) == (
        counts_before
    )
    assert list(Message.objects.filter(ticket=ticket).values_list("kind", flat=True)) == (
        kinds_before
    )
    resolution = Resolution.objects.get(ticket=ticket)
    assert (resolution.kind, resolution.agent_replies) == ("no_article", 1)
    assert Ticket.objects.get(pk=other.pk).subject == "Someone else's video"
    # Audited, without the address; and irreversible: the address is gone for good.
    event = AuditEvent.objects.get(action="customer_erased")
    assert event.actor == manager and "1 tickets" in event.detail
    assert not Customer.objects.filter(email__iexact=EMAIL).exists()
    again = api_client_for(manager).delete(f"/api/v1/customers/{EMAIL}")
    assert again.status_code == 404


@pytest.mark.parametrize("role", ["agent", "editor"])
def test_only_managers_erase(world, api_client_for, request, role):
    response = api_client_for(request.getfixturevalue(role)).delete(f"/api/v1/customers/{EMAIL}")

    assert response.status_code == 403
    assert Customer.objects.filter(email=EMAIL).exists()


def test_the_dashboard_asks_to_confirm_then_erases(
    world, client, manager, django_capture_on_commit_callbacks
):
    ticket, _ = world
    client.force_login(manager)
    page = client.get(f"/tickets/{ticket.pk}/")
    assert f"/customers/{EMAIL}/erase/" in page.text

    confirm = client.get(f"/customers/{EMAIL}/erase/")
    assert confirm.status_code == 200 and "cannot be undone" in confirm.text
    wrong = client.post(f"/customers/{EMAIL}/erase/", {"confirm": "someone@else.example"})
    assert wrong.status_code == 200 and "nothing was erased" in wrong.text
    assert Attachment.objects.filter(ticket=ticket).exists()

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(f"/customers/{EMAIL}/erase/", {"confirm": EMAIL.upper()}, follow=True)

    assert "Customer data erased" in done.text and EMAIL not in done.text
    assert personal_rows() == []


def test_other_roles_cannot_open_the_erase_page(world, client, general_agent):
    client.force_login(general_agent)

    assert client.get(f"/customers/{EMAIL}/erase/").status_code == 403
    assert client.post(f"/customers/{EMAIL}/erase/", {"confirm": EMAIL}).status_code == 403
    assert Customer.objects.filter(email=EMAIL).exists()


def test_a_customer_with_no_address_erases_without_touching_others(
    api_client_for, manager, general_inbox, django_capture_on_commit_callbacks
):
    nobody = CustomerFactory(email="", name="Phone caller")
    TicketFactory(inbox=general_inbox, customer=nobody)
    kept = InboundEmail.objects.create(raw=b"x", source="cli", sender="other@example.com")
    from tickets.customers.erasure import erase_customer

    erasure = erase_customer(nobody, by=manager)

    assert erasure.tickets == 1 and InboundEmail.objects.filter(pk=kept.pk).exists()


def test_an_address_with_a_slash_still_has_its_erase_page(client, manager, general_inbox):
    ticket = TicketFactory(inbox=general_inbox, customer__email="a/b@example.com")
    client.force_login(manager)

    page = client.get(f"/tickets/{ticket.pk}/")

    assert page.status_code == 200
    assert client.get("/customers/a/b@example.com/erase/").status_code == 200
