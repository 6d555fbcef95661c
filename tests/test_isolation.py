"""Billing stays in billing: every URL, every role, objects from both inboxes.

For each URL pattern the sweep requests the page (GET, then POST) with its
parameters pointing at billing objects and with query strings asking for
billing data, as every user who is NOT in the billing inbox, and fails if a
billing ticket's subject, customer email, message text or attachment reaches
any of them, or if a POST changed the billing ticket. New views are swept
automatically: the list of routes comes from the URL resolver.
"""

from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import include, path

from supportdesk.roles import AGENT, EDITOR
from tests.factories import MessageFactory, TicketFactory, UserFactory
from tests.urlwalk import Route, fill, walk
from tickets.models import Attachment

SECRETS = {
    "subject": "Refund for invoice ZQX-7731",
    "email": "zqx.payer@billing-secret.example",
    "message": "card ending 7731 was charged twice by ZQX",
    "attachment": "zqx-statement-7731.pdf",
    "attachment_bytes": "ZQX attachment body 7731",
}
QUERY = "?inbox=billing&q=ZQX&customer=zqx.payer@billing-secret.example&view=all"


@dataclass
class World:
    billing_ticket: object
    billing_message: object
    billing_attachment: object
    general_ticket: object


@pytest.fixture
def world(general_inbox, billing_inbox) -> World:
    billing = TicketFactory(
        inbox=billing_inbox, subject=SECRETS["subject"], customer__email=SECRETS["email"]
    )
    message = MessageFactory(ticket=billing, body_text=SECRETS["message"])
    attachment = Attachment(
        ticket=billing,
        message=message,
        name=SECRETS["attachment"],
        content_type="application/pdf",
        size=len(SECRETS["attachment_bytes"]),
    )
    attachment.file.save(
        SECRETS["attachment"], ContentFile(SECRETS["attachment_bytes"].encode()), save=False
    )
    attachment.save()
    general = TicketFactory(inbox=general_inbox, subject="Video stuck at 90 percent")
    MessageFactory(ticket=general, body_text="My video never finishes.")
    return World(billing, message, attachment, general)


def outsiders(general_inbox) -> dict[str, Client]:
    """Everyone who must never see billing data, signed in (or not)."""
    general_agent = UserFactory(role=AGENT)
    general_inbox.members.add(general_agent)
    clients = {"anonymous": Client()}
    for name, user in {
        "general agent": general_agent,
        "editor": UserFactory(role=EDITOR),
        "no role": UserFactory(),
    }.items():
        clients[name] = Client()
        clients[name].force_login(user)
    return clients


def concrete_path(route: Route, world: World) -> str | None:
    def value(name: str, converter: str) -> str | None:
        if name == "attachment_id":
            return str(world.billing_attachment.pk)
        if name in {"message_id"}:
            return str(world.billing_message.pk)
        if name in {"inbox", "inbox_slug"}:
            return "billing"
        if converter == "int":
            return str(world.billing_ticket.pk)
        return None

    return fill(route, value)


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace") + response.get("Location", "")


def leaks(response) -> list[str]:
    text = body_of(response)
    return [name for name, secret in SECRETS.items() if secret in text]


def ticket_state(ticket) -> tuple:
    ticket.refresh_from_db()
    return (
        ticket.inbox_id,
        ticket.status,
        ticket.assignee_id,
        ticket.priority,
        ticket.category_id,
        ticket.subject,
        ticket.messages.count(),
        ticket.attachments.count(),
    )


def sweep(world: World, clients: dict[str, Client], routes) -> list[str]:
    before = ticket_state(world.billing_ticket)
    problems = []
    for route in routes:
        base = concrete_path(route, world)
        if base is None or route.name.startswith("admin:"):
            continue  # the admin is for superusers only (tested in test_home)
        for who, client in clients.items():
            for method, url in (("get", base), ("get", base + QUERY), ("post", base + QUERY)):
                data = {"body": "hello", "status": "solved", "to_inbox": "general"}
                response = (
                    client.get(url) if method == "get" else client.post(url, data, follow=False)
                )
                found = leaks(response)
                if found:
                    problems.append(f"{who} {method.upper()} {url}: {', '.join(found)}")
    if ticket_state(world.billing_ticket) != before:
        problems.append("a POST by an outsider changed the billing ticket")
    return problems


def test_no_billing_data_reaches_anyone_outside_billing(world, general_inbox):
    problems = sweep(world, outsiders(general_inbox), walk())

    assert problems == []


def leaky_view(request, number):
    from django.http import HttpResponse

    from tickets.models import Ticket

    return HttpResponse(", ".join(Ticket.objects.values_list("subject", flat=True)))


urlpatterns = [
    path("leaky/<int:number>/", leaky_view, name="leaky"),
    path("", include("supportdesk.urls")),
]


def test_the_sweep_catches_a_view_that_forgets_the_rule(world, general_inbox, settings):
    settings.ROOT_URLCONF = __name__
    routes = [Route(name="leaky", pattern="leaky/<int:number>/", converters={"number": "int"})]

    problems = sweep(world, outsiders(general_inbox), routes)

    assert any("general agent GET" in p and "subject" in p for p in problems)


def test_billing_members_do_see_billing(world, billing_inbox, client):
    agent = UserFactory(role=AGENT)
    billing_inbox.members.add(agent)
    client.force_login(agent)

    response = client.get(f"/search/?q={world.billing_ticket.pk}")

    assert response.status_code == 200
