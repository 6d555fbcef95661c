"""The hostile-input sweep of the API: every route, odd query strings and bodies,
as an agent and an editor; no answer is a 500, and every error is a problem."""

import json

import pytest
from django.test import Client

from supportdesk.roles import AGENT, EDITOR
from supportdesk.tokens import create_token
from tests.factories import ArticleFactory, MessageFactory, TicketFactory, UserFactory
from tests.urlwalk import fill, walk

ODD = ["x\x00y", "'; select 1; --", "9" * 30, "-1", "2026-02-30", "a" * 3000, "%",
       "\u202e\ufeff", "[]", "1e309", "after_0"]  # fmt: skip
# Each parameter alone (an earlier one's 400 would hide a later one's 500) for these.
ALONE = ["x\x00y", "9" * 30]
# The routes that read query parameters.
LISTS = {"api:tickets", "api:articles", "api:customers", "api:resolutions", "api:report_figures"}
# Per field, the values most likely to slip past a check.
WORST = [None, 2**70, ["\x00"], {"a": 1}]
PARAMS = ["view", "inbox", "status", "assignee", "priority", "category", "customer", "q",
          "article", "resolved_by", "created_after", "created_before", "solved_after",
          "solved_before", "sort", "after", "before", "limit", "page", "kind", "ticket",
          "period", "start", "end", "agent", "format"]  # fmt: skip
FIELDS = ["body", "articles", "status", "seen", "assignee", "kind", "note", "category",
          "inbox", "customer_email", "customer_name", "subject", "channel", "title",
          "base_revision"]  # fmt: skip
VALUES = [None, "", "\x00", "x" * 60_000, 2**70, -1, 1.5, True, [], ["\x00"], [2**70],
          {"a": 1}, "2026-13-45T99:99"]  # fmt: skip


def api_routes():
    return [r for r in walk() if r.pattern.startswith("api/") and fill(r) is not None]


@pytest.fixture
def clients(general_inbox):
    ticket = TicketFactory(inbox=general_inbox, customer__email="odd@mail.example")
    MessageFactory(ticket=ticket)
    ArticleFactory(slug="odd-article")
    made = {}
    for role in (AGENT, EDITOR):
        user = UserFactory(role=role)
        general_inbox.members.add(user)
        _, raw = create_token(user=user, name="hostile")
        # A 500 is recorded as a problem, not raised: the sweep reports them all.
        made[role] = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {raw}")
    values = {"number": str(ticket.pk), "slug": "odd-article", "email": "odd@mail.example"}
    return made, values


def check(response, what: str, problems: list) -> None:
    if response.status_code >= 500:
        problems.append(f"{what}: {response.status_code}")
    elif response.status_code >= 400 and response["Content-Type"] != "application/problem+json":
        problems.append(f"{what}: {response.status_code} as {response['Content-Type']}")


def test_no_odd_input_gives_a_500(clients, settings):
    settings.API_RATE_LIMIT = "100000/min"
    made, values = clients
    problems: list[str] = []
    for route in api_routes():
        path = fill(route, lambda name, converter: values.get(name))
        if route.name == "api:docs":
            continue  # a page (HTML), tested in the browser
        # Editors write articles; agents everything else.
        client = made[EDITOR] if route.name.startswith("api:article") else made[AGENT]
        for odd in ODD:
            check(client.get(path, dict.fromkeys(PARAMS, odd)), f"GET {path} {odd!r}", problems)
        for odd in ALONE if route.name in LISTS else ():
            for p in PARAMS:
                check(client.get(path, {p: odd}), f"GET {path}?{p}={odd[:20]!r}", problems)
        if route.name == "api:schema":
            continue
        bodies = ["", "{", "null", "[]", '"x"', "12"]
        bodies += [json.dumps(dict.fromkeys(FIELDS, v)) for v in VALUES]
        for body in bodies:
            response = client.post(path, body, content_type="application/json")
            check(response, f"POST {path} {body[:60]}", problems)
    # Path parameters themselves.
    client = made[AGENT]
    for odd_path in ("/api/v1/customers/%00/", "/api/v1/customers/a%00b@x/",
                     "/api/v1/tickets/99999999999999999999999/", "/api/v1/articles/%00/",
                     "/api/v1/nothing%00/"):  # fmt: skip
        check(client.get(odd_path), f"GET {odd_path}", problems)
    # ... and one odd value per field, in the ticket actions.
    number = values["number"]
    for action in ("replies", "notes", "assign", "status", "solve"):
        for f in FIELDS:
            for v in WORST:
                response = client.post(
                    f"/api/v1/tickets/{number}/{action}/",
                    json.dumps({f: v}),
                    content_type="application/json",
                )
                check(response, f"POST {action} {f}={str(v)[:20]}", problems)

    assert problems == []
