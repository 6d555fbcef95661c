"""Errors are RFC 9457 problem details; bad input never gives a 500; 429 past the rate."""

import pytest
from django.core.cache import cache

from tests.factories import TicketFactory

PROBLEM = "application/problem+json"


def assert_problem(response, status: int) -> dict:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == PROBLEM
    body = response.json()
    assert body["status"] == status and body["title"] and body["detail"]
    assert body["type"] == "about:blank"
    return body


def test_unknown_route_is_a_problem(general_agent, api_client_for):
    assert_problem(api_client_for(general_agent).get("/api/v1/nothing/"), 404)


def test_unknown_ticket(general_agent, api_client_for):
    assert_problem(api_client_for(general_agent).get("/api/v1/tickets/999999999999999/"), 404)


def test_bad_json_is_a_400(general_inbox, general_agent, api_client_for):
    ticket = TicketFactory(inbox=general_inbox)
    client = api_client_for(general_agent)

    body = assert_problem(
        client.post(
            f"/api/v1/tickets/{ticket.pk}/notes/", "{not json", content_type="application/json"
        ),
        400,
    )

    assert "JSON" in body["detail"]


def test_form_bodies_are_415(general_inbox, general_agent, api_client_for):
    ticket = TicketFactory(inbox=general_inbox)

    assert_problem(
        api_client_for(general_agent).post(f"/api/v1/tickets/{ticket.pk}/notes/", {"body": "x"}),
        415,
    )


def test_wrong_method_is_405(general_agent, api_client_for):
    assert_problem(api_client_for(general_agent).delete("/api/v1/tickets/"), 405)


HOSTILE = [
    {"body": None},
    {"body": ["a"]},
    {"body": {"x": 1}},
    {"body": "a\x00b"},
    {"body": "x" * 50_001},
    [],
    "text",
    12,
]


@pytest.mark.parametrize("payload", HOSTILE)
def test_hostile_bodies_are_named_400s(general_inbox, general_agent, api_client_for, payload):
    ticket = TicketFactory(inbox=general_inbox)

    response = api_client_for(general_agent).post_json(
        f"/api/v1/tickets/{ticket.pk}/notes/", payload
    )

    assert_problem(response, 400)
    assert ticket.messages.count() == 0


@pytest.mark.parametrize(
    "payload",
    [
        {"assignee": 2**70},
        {"assignee": "me"},
        {"assignee": -1},
        {"status": "solved"},
        {"kind": "article", "articles": "not-a-list"},
        {"kind": "article", "articles": [2**70]},
        {"kind": "no_article", "note": "n" * 501},
        {"kind": "not_applicable", "category": "no such"},
    ],
)
def test_hostile_actions_are_400s(general_inbox, general_agent, api_client_for, payload):
    ticket = TicketFactory(inbox=general_inbox)
    client = api_client_for(general_agent)

    for action in ("assign", "status", "solve"):
        response = client.post_json(f"/api/v1/tickets/{ticket.pk}/{action}/", payload)
        assert response.status_code == 400, (action, response.content)
        assert response["Content-Type"] == PROBLEM


def test_validation_errors_name_fields(general_agent, api_client_for):
    body = assert_problem(
        api_client_for(general_agent).post_json("/api/v1/tickets/", {"customer_email": "nope"}),
        400,
    )

    assert "customer_email" in body["errors"] and "subject" in body["errors"]
    assert "customer_email" in body["detail"]


def test_past_the_rate_limit_is_429_with_retry_after(general_agent, api_client_for, settings):
    settings.API_RATE_LIMIT = "3/min"
    cache.clear()
    client = api_client_for(general_agent)
    other = api_client_for(general_agent)

    answers = [client.get("/api/v1/tickets/").status_code for _ in range(4)]
    limited = client.get("/api/v1/tickets/")

    assert answers == [200, 200, 200, 429]
    body = assert_problem(limited, 429)
    assert int(limited["Retry-After"]) > 0
    assert "throttled" in body["detail"].lower()
    # The limit is per token: another token of the same user still gets through.
    assert other.get("/api/v1/tickets/").status_code == 200
