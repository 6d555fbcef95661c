"""Billing stays in billing: every URL, every role, objects from both inboxes.

For each URL pattern the sweep requests the page (GET, then POST) with its
parameters pointing at billing objects and with query strings asking for
billing data, as every user who is NOT in the billing inbox, and fails if a
billing ticket's subject, customer email, message text or attachment reaches
any of them, or if a POST changed the billing ticket. New views are swept
automatically: the list of routes comes from the URL resolver.

The world's one article has the slug every ``<slug>`` parameter gets
("sample"), so the article pages are really rendered; it is linked only from
billing tickets whose fixes were reopened, so any article figure an outsider is
shown (a rate, a count, a reopened ticket) came from billing.

The JSON API (/api/) is swept the same way, by the same outsiders signed in and
by their personal tokens (``Authorization: Bearer``), its POSTs also as JSON.
"""

import json
from dataclasses import dataclass

import pytest
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import include, path

from articles.figures import ArticleFigures, RevisionFigures
from articles.models import Article
from supportdesk.roles import AGENT, EDITOR
from supportdesk.tokens import create_token
from tests.factories import ArticleFactory, MessageFactory, TicketFactory, UserFactory
from tests.urlwalk import SAMPLE, Route, fill, walk
from tickets.models import Attachment, Macro, Notification
from tickets.portal.services import rate_resolution
from tickets.resolution import link_article, reopen_ticket, solve_ticket
from tickets.tags.services import add_tags

SECRETS = {
    "subject": "Refund for invoice ZQX-7731",
    "email": "zqx.payer@billing-secret.example",
    "message": "card ending 7731 was charged twice by ZQX",
    "attachment": "zqx-statement-7731.pdf",
    "attachment_bytes": "ZQX attachment body 7731",
    # The customer's bad rating of the billing resolution (issue 14).
    "rating": "ZQX refund 7731 never arrived",
    # Billing's SLA settings (issue 15): a holiday only billing's settings page shows.
    "holiday": "ZQX payday closure 7731",
    # Issue 15: a billing macro (title and reply) and a tag only billing tickets carry.
    "macro": "ZQX chargeback script 7731",
    "macro_body": "We reversed the ZQX-7731 charge",
    "tag": "zqx-chargeback-7731",
}
QUERY = "?inbox=billing&q=ZQX&customer=zqx.payer@billing-secret.example&view=all&tag=zqx"
# What an API POST asks for, in JSON: every action's fields, pointing at billing.
API_POST = {
    "body": "hello",
    "status": "open",
    "kind": "not_applicable",
    "assignee": None,
    "inbox": "billing",
    "subject": "hello",
    "customer_email": SECRETS["email"],
    "title": "hello",
    "base_revision": 1,
}


@dataclass
class World:
    billing_ticket: object
    billing_message: object
    billing_attachment: object
    general_ticket: object
    article: object
    # A billing member's API token: no outsider may revoke it (<token_id>).
    billing_token: object = None
    billing_macro: object = None  # <macro_id>
    # A billing member's notification about the billing ticket (<notification_id>).
    billing_notification: object = None


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
    article = ArticleFactory(slug=SAMPLE["slug"], title="Refunds for double charges")
    billing_agent = UserFactory(role=AGENT)
    billing_inbox.members.add(billing_agent)
    # Enough reopened fixes to flag the article (ATTENTION_MIN_DECIDED is 3), the
    # secret ticket among them: billing members see its subject as the reason.
    for ticket in (billing, *TicketFactory.create_batch(2, inbox=billing_inbox)):
        link = link_article(ticket, article=article, by=billing_agent)
        solve_ticket(ticket, kind="article", links=[link], by=billing_agent)
        reopen_ticket(ticket, by=billing_agent)
    rate_resolution(billing.resolutions.first(), rating="bad", comment=SECRETS["rating"])
    billing_token, _ = create_token(user=billing_agent, name="billing sync")
    _billing_sla(billing_inbox, billing)
    billing_macro = Macro.objects.create(
        title=SECRETS["macro"], body=SECRETS["macro_body"], inbox=billing_inbox, tags=["zqx"]
    )
    add_tags(billing, names=[SECRETS["tag"]], by=billing_agent)
    notification = Notification.objects.create(
        recipient=billing_agent, ticket=billing, kind=Notification.Kind.CUSTOMER_REPLY
    )
    return World(
        billing, message, attachment, general, article, billing_token, billing_macro, notification
    )


def _billing_sla(billing_inbox, ticket) -> None:
    """Billing's SLA policy, hours and holiday; the secret ticket overdue."""
    from datetime import date

    from tickets.models import Holiday, SlaPolicy, Ticket
    from tickets.sla.clock import refresh_inbox

    SlaPolicy.objects.create(inbox=billing_inbox, priority=2, first_response_minutes=1)
    Holiday.objects.create(inbox=billing_inbox, day=date(2026, 12, 24), name=SECRETS["holiday"])
    Ticket.objects.filter(pk=ticket.pk).update(status="open")
    refresh_inbox(billing_inbox.pk)


def outsiders(general_inbox) -> dict[str, Client]:
    """Everyone who must never see billing data, signed in (or not)."""
    general_agent = UserFactory(role=AGENT)
    general_inbox.members.add(general_agent)
    general_editor = UserFactory(role=EDITOR)
    general_inbox.members.add(general_editor)
    clients = {"anonymous": Client()}
    for name, user in {
        "general agent": general_agent,
        "editor": UserFactory(role=EDITOR),
        "general editor": general_editor,
        "no role": UserFactory(),
    }.items():
        clients[name] = Client()
        clients[name].force_login(user)
        # The same user through the API with a personal token, no session.
        _, raw = create_token(user=user, name="sweep")
        clients[f"{name} (token)"] = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")
    return clients


def concrete_path(route: Route, world: World) -> str | None:
    def value(name: str, converter: str) -> str | None:
        if name == "attachment_id":
            return str(world.billing_attachment.pk)
        if name in {"message_id"}:
            return str(world.billing_message.pk)
        if name in {"inbox", "inbox_slug"}:
            return "billing"
        if name == "email":  # /api/v1/customers/<email>/
            return SECRETS["email"]
        if name == "token_id" and world.billing_token is not None:
            return str(world.billing_token.pk)
        if name == "macro_id" and world.billing_macro is not None:
            return str(world.billing_macro.pk)
        if name == "notification_id" and world.billing_notification is not None:
            return str(world.billing_notification.pk)
        if converter == "int":
            return str(world.billing_ticket.pk)
        return None

    return fill(route, value)


def body_of(response) -> str:
    content = b"".join(response.streaming_content) if response.streaming else response.content
    return content.decode("utf-8", "replace") + response.get("Location", "")


def leaks(response, url: str = "") -> list[str]:
    """The secrets in the response, except one the requester put in ``url`` itself:
    a filter form showing back the email that was typed into it reveals nothing."""
    text = body_of(response)
    return [name for name, secret in SECRETS.items() if secret in text and secret not in url]


def shown_figures(response) -> list:
    """The article figures in the page's context that count any ticket."""
    context = response.context
    if context is None:
        return []
    values = {}
    # One Context, or a ContextList (a list of them) when several templates rendered.
    for one in context if isinstance(context, list) else [context]:
        values.update(one.flatten())
    found = []

    def visit(value, depth: int = 0) -> None:
        if depth > 3 or isinstance(value, str | bytes):
            return
        if isinstance(value, ArticleFigures | RevisionFigures):
            if value.linked or getattr(value, "reopened", ()):
                found.append(value)
            return
        if hasattr(value, "figures"):
            visit(value.figures, depth + 1)
        elif hasattr(value, "object_list"):
            visit(value.object_list, depth + 1)
        elif isinstance(value, dict):
            for item in value.values():
                visit(item, depth + 1)
        elif isinstance(value, list | tuple):
            for item in value:
                visit(item, depth + 1)

    for value in values.values():
        visit(value)
    return found


def keep_published(article) -> None:
    """Editors' POSTs in the sweep may archive or restore the article; put it back
    so every later page still shows it."""
    Article.objects.filter(pk=article.pk).update(
        status=Article.Status.PUBLISHED,
        current_revision=article.current_revision,
        published_revision=article.published_revision,
    )


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
        # An erasure (issue 16) would blank the customer's address.
        type(ticket.customer).objects.get(pk=ticket.customer_id).email,
        sorted(ticket.tags.values_list("name", flat=True)),
    )


def macro_state(macro) -> tuple | None:
    if macro is None:
        return None
    row = Macro.objects.filter(pk=macro.pk).values_list("title", "body", "inbox_id", "owner_id")
    return tuple(row.first() or ())


def sweep(world: World, clients: dict[str, Client], routes) -> list[str]:
    before = ticket_state(world.billing_ticket)
    macro_before = macro_state(world.billing_macro)
    problems = []
    for route in routes:
        base = concrete_path(route, world)
        if base is None or route.name.startswith("admin:"):
            continue  # the admin is for superusers only (tested in test_home)
        for who, client in clients.items():
            requests = [("get", base), ("get", base + QUERY), ("post", base + QUERY)]
            if route.name == "logout":
                # Signing out would sweep every later route as anonymous only.
                requests.pop()
            if route.pattern.startswith("api/"):
                requests.append(("post json", base))
                # Context pushes and erasure (issue 16): PUT and DELETE too.
                requests += [("put json", base), ("delete", base)]
            for method, url in requests:
                data = {"body": "hello", "status": "solved", "to_inbox": "general"}
                if method == "get":
                    response = client.get(url)
                elif method == "post":
                    response = client.post(url, data, follow=False)
                elif method == "put json":
                    response = client.put(
                        url, json.dumps(API_POST), content_type="application/json"
                    )
                elif method == "delete":
                    response = client.delete(url)
                else:
                    response = client.post(
                        url, json.dumps(API_POST), content_type="application/json"
                    )
                found = leaks(response, url)
                if shown_figures(response):
                    found.append("article figures from billing")
                if found:
                    problems.append(f"{who} {method.upper()} {url}: {', '.join(found)}")
                if method != "get":
                    keep_published(world.article)
    if world.billing_notification is not None:
        world.billing_notification.refresh_from_db()
        if world.billing_notification.read_at is not None:
            problems.append("an outsider marked a billing member's notification read")
    if ticket_state(world.billing_ticket) != before:
        problems.append("a POST by an outsider changed the billing ticket")
    if macro_state(world.billing_macro) != macro_before:
        problems.append("a POST by an outsider changed or deleted the billing macro")
    signed_out = [
        who
        for who, client in clients.items()
        if who != "anonymous" and "token" not in who and "_auth_user_id" not in client.session
    ]
    if signed_out:
        problems.append(f"signed out during the sweep (later routes unchecked): {signed_out}")
    lost = [
        who
        for who, client in clients.items()
        if "token" in who and client.get("/api/v1/articles/").status_code == 401
    ]
    if lost:
        problems.append(f"tokens revoked during the sweep (later routes unchecked): {lost}")
    if (
        world.billing_token is not None
        and not type(world.billing_token).objects.filter(pk=world.billing_token.pk).exists()
    ):
        problems.append("an outsider revoked a billing member's API token")
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


ARTICLE_PAGES = ("/articles/", "/articles/sample/", "/articles/sample/history/")


def test_the_article_pages_are_really_swept(world, general_inbox):
    """The sweep's article URLs find the world's article for every outsider who may read it."""
    clients = outsiders(general_inbox)
    for who in ("general agent", "editor", "general editor"):
        for page in ARTICLE_PAGES[:2]:
            response = clients[who].get(page)
            assert response.status_code == 200, (who, page)
            assert "Refunds for double charges" in response.text, (who, page)
    for who in ("editor", "general editor"):
        assert clients[who].get(ARTICLE_PAGES[2]).status_code == 200
        assert clients[who].get("/articles/needs-attention/").status_code == 200


def test_billing_members_see_the_articles_billing_figures(world, billing_inbox, client):
    """The control: the same pages do show billing figures to a billing editor."""
    editor = UserFactory(role=EDITOR)
    billing_inbox.members.add(editor)
    client.force_login(editor)

    listed = client.get("/articles/")
    attention = client.get("/articles/needs-attention/")
    history = client.get("/articles/sample/history/")

    assert shown_figures(listed) and shown_figures(history) and shown_figures(attention)
    assert SECRETS["subject"] in listed.text and SECRETS["subject"] in attention.text


def test_billing_members_do_see_billing(world, billing_inbox, client):
    agent = UserFactory(role=AGENT)
    billing_inbox.members.add(agent)
    client.force_login(agent)

    response = client.get(f"/search/?q={world.billing_ticket.pk}")

    assert response.status_code == 200


API_TICKET_URLS = (
    "/api/v1/tickets/{n}/",
    "/api/v1/tickets/{n}/replies/",
    "/api/v1/tickets/{n}/notes/",
    "/api/v1/tickets/{n}/assign/",
    "/api/v1/tickets/{n}/status/",
    "/api/v1/tickets/{n}/solve/",
)


def test_the_sla_routes_are_swept():
    names = {route.name for route in walk()}

    wanted = {"tickets:sla", "tickets:sla_settings", "tickets:reports_sla",
              "tickets:reports_sla_csv"}  # fmt: skip
    assert wanted <= names


def test_managers_do_see_billings_sla_settings(world, manager, client):
    """The control: the secret holiday is on billing's SLA page, for a manager."""
    client.force_login(manager)

    response = client.get("/tickets/sla/billing/")

    assert SECRETS["holiday"] in response.text


def test_the_api_routes_are_swept():
    names = {route.name for route in walk()}

    wanted = {"api:tickets", "api:ticket", "api:ticket_solve", "api:customer", "api:article"}
    wanted |= {"api:customer_context", "api:customer_erase", "customers:erase", "webhooks:detail"}
    assert wanted <= names


def test_a_general_token_lists_no_billing_ticket_and_every_billing_url_is_404(
    world, general_inbox
):
    clients = outsiders(general_inbox)
    token = clients["general agent (token)"]
    number = world.billing_ticket.pk

    listed = token.get("/api/v1/tickets/?view=all")
    answers = {
        url.format(n=number): token.get(url.format(n=number)).status_code
        if url.endswith("{n}/")
        else token.post(
            url.format(n=number), json.dumps(API_POST), content_type="application/json"
        ).status_code
        for url in API_TICKET_URLS
    }

    assert listed.status_code == 200
    assert [row["number"] for row in listed.json()["results"]] == [world.general_ticket.pk]
    assert set(answers.values()) == {404}, answers


def test_billing_members_token_does_see_billing(world, billing_inbox):
    agent = UserFactory(role=AGENT)
    billing_inbox.members.add(agent)
    _, raw = create_token(user=agent, name="control")
    client = Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    response = client.get(f"/api/v1/tickets/{world.billing_ticket.pk}/")

    assert response.status_code == 200
    assert SECRETS["message"] in response.text


MACRO_AND_TAG_ROUTES = {
    "tickets:macros", "tickets:macro_new", "tickets:macro_edit", "tickets:macro_delete",
    "tickets:ticket_macros", "tickets:macro_apply", "tickets:tags", "tickets:tag_suggest",
}  # fmt: skip


def test_the_macro_and_tag_routes_are_swept():
    assert {route.name for route in walk()} >= MACRO_AND_TAG_ROUTES


def test_billing_members_do_see_billing_macros_and_tags(world, billing_inbox, client):
    """The control: the same URLs do show the billing macro and tag to billing."""
    agent = UserFactory(role=AGENT)
    billing_inbox.members.add(agent)
    client.force_login(agent)
    number = world.billing_ticket.pk

    assert SECRETS["macro"] in client.get("/tickets/macros/").text
    assert SECRETS["macro_body"] in client.get(f"/tickets/{number}/macros/").text
    assert SECRETS["tag"] in client.get("/tickets/tags/suggest/?tag=zqx").text
    assert SECRETS["tag"] in client.get(f"/tickets/{number}/").text
