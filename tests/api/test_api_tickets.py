"""/api/v1/tickets/: the queue's list, one ticket, and the actions on it."""

import pytest

from supportdesk.roles import EDITOR, MANAGER
from tests.factories import (
    ArticleFactory,
    IssueCategoryFactory,
    MessageFactory,
    TicketFactory,
    UserFactory,
)
from tickets.models import Message, Resolution, Ticket


@pytest.fixture
def tickets(general_inbox, billing_inbox):
    general = TicketFactory.create_batch(3, inbox=general_inbox, subject="Video stuck")
    billing = TicketFactory.create_batch(2, inbox=billing_inbox, subject="Double charge")
    for ticket in general + billing:
        MessageFactory(ticket=ticket)
    return general, billing


def test_general_token_lists_no_billing_ticket(tickets, general_agent, api_client_for):
    general, billing = tickets
    client = api_client_for(general_agent)

    response = client.get("/api/v1/tickets/?view=all")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    numbers = [row["number"] for row in response.json()["results"]]
    assert sorted(numbers) == sorted(t.pk for t in general)
    assert "Double charge" not in response.text


def test_every_billing_ticket_url_answers_404_to_general(tickets, general_agent, api_client_for):
    _, billing = tickets
    client = api_client_for(general_agent)
    number = billing[0].pk
    before = Ticket.objects.get(pk=number).updated_at

    answers = [
        client.get(f"/api/v1/tickets/{number}/").status_code,
        client.post_json(f"/api/v1/tickets/{number}/replies/", {"body": "hi"}).status_code,
        client.post_json(f"/api/v1/tickets/{number}/notes/", {"body": "hi"}).status_code,
        client.post_json(f"/api/v1/tickets/{number}/assign/", {"assignee": None}).status_code,
        client.post_json(f"/api/v1/tickets/{number}/status/", {"status": "open"}).status_code,
        client.post_json(
            f"/api/v1/tickets/{number}/solve/", {"kind": "not_applicable"}
        ).status_code,
    ]

    assert answers == [404] * 6
    assert Ticket.objects.get(pk=number).updated_at == before


def test_manager_sees_every_inbox(tickets, manager, api_client_for):
    response = api_client_for(manager).get("/api/v1/tickets/?view=all")

    assert len(response.json()["results"]) == 5


def test_list_takes_the_queue_filters(tickets, general_agent, api_client_for, general_inbox):
    general, _ = tickets
    Ticket.objects.filter(pk=general[0].pk).update(status="pending")
    client = api_client_for(general_agent)

    pending = client.get("/api/v1/tickets/?view=pending").json()["results"]
    by_inbox = client.get("/api/v1/tickets/?view=all&inbox=general").json()["results"]

    assert [row["number"] for row in pending] == [general[0].pk]
    assert len(by_inbox) == 3
    assert by_inbox[0]["inbox"] == "general"
    assert by_inbox[0]["customer"]["email"]


def test_list_refuses_an_inbox_one_cannot_see(tickets, general_agent, api_client_for):
    response = api_client_for(general_agent).get("/api/v1/tickets/?inbox=billing")

    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "inbox" in response.json()["errors"]


def test_keyset_pages_walk_every_ticket_once(general_inbox, general_agent, api_client_for):
    made = TicketFactory.create_batch(7, inbox=general_inbox)
    client = api_client_for(general_agent)

    seen, url = [], "/api/v1/tickets/?view=all&limit=3"
    while url:
        page = client.get(url).json()
        seen += [row["number"] for row in page["results"]]
        url = page["next"]

    assert sorted(seen) == sorted(t.pk for t in made)
    assert len(seen) == 7


def test_previous_page_goes_back(general_inbox, general_agent, api_client_for):
    TicketFactory.create_batch(5, inbox=general_inbox)
    client = api_client_for(general_agent)
    first = client.get("/api/v1/tickets/?view=all&limit=2").json()
    second = client.get(first["next"]).json()

    back = client.get(second["previous"]).json()

    assert back["results"] == first["results"]


BAD_FILTERS = [
    "limit=0",
    "limit=abc",
    "priority=9",
    "after=nonsense",
    "created_after=2026-13-40",
    "customer=not-an-email",
]


@pytest.mark.parametrize("query", BAD_FILTERS)
def test_bad_filters_are_named(general_agent, api_client_for, query):
    response = api_client_for(general_agent).get(f"/api/v1/tickets/?{query}")

    assert response.status_code == 400
    body = response.json()
    assert body["status"] == 400
    assert query.split("=")[0] in body["errors"]


def test_list_query_count_is_constant(
    general_inbox, general_agent, api_client_for, django_assert_max_num_queries
):
    TicketFactory.create_batch(30, inbox=general_inbox)
    for ticket in Ticket.objects.all()[:10]:
        ticket.assignee = general_agent
        ticket.category = IssueCategoryFactory()
        ticket.save()
    client = api_client_for(general_agent)
    client.get("/api/v1/tickets/?view=all")  # the token's first use is recorded once

    with django_assert_max_num_queries(7):
        response = client.get("/api/v1/tickets/?view=all")

    assert len(response.json()["results"]) == 30


def test_read_has_the_thread(general_inbox, general_agent, api_client_for):
    ticket = TicketFactory(inbox=general_inbox)
    MessageFactory(ticket=ticket, body_text="It stops at 90%")
    MessageFactory(
        ticket=ticket, kind=Message.Kind.NOTE, body_text="Known bug", author=general_agent
    )

    body = api_client_for(general_agent).get(f"/api/v1/tickets/{ticket.pk}/").json()

    assert [m["body_text"] for m in body["messages"]] == ["It stops at 90%", "Known bug"]
    assert body["messages"][1]["kind"] == "note"
    assert body["messages"][1]["author"]["id"] == general_agent.pk


def test_editor_of_the_inbox_reads_but_cannot_reply(general_inbox, api_client_for):
    editor = UserFactory(role=EDITOR)
    general_inbox.members.add(editor)
    ticket = TicketFactory(inbox=general_inbox)
    client = api_client_for(editor)

    assert client.get(f"/api/v1/tickets/{ticket.pk}/").status_code == 200
    refused = client.post_json(f"/api/v1/tickets/{ticket.pk}/replies/", {"body": "hi"})
    assert refused.status_code == 403
    assert refused.json()["title"] == "Forbidden"
    assert client.get("/api/v1/tickets/").status_code == 403


def test_create_in_one_of_my_inboxes(general_agent, api_client_for, billing_inbox):
    client = api_client_for(general_agent)
    data = {
        "inbox": "general",
        "customer_email": "Pat@Example.com",
        "subject": "Credits did not refresh",
        "body": "My credits are still 0 after renewal.",
    }

    created = client.post_json("/api/v1/tickets/", data)
    elsewhere = client.post_json("/api/v1/tickets/", {**data, "inbox": "billing"})

    assert created.status_code == 201
    ticket = Ticket.objects.get(pk=created.json()["number"])
    assert ticket.inbox.slug == "general" and ticket.channel == "web"
    assert ticket.messages.get().body_text == data["body"]
    assert created["Location"] == f"/api/v1/tickets/{ticket.pk}/"
    assert elsewhere.status_code == 400 and "inbox" in elsewhere.json()["errors"]
    assert Ticket.objects.count() == 1


def test_create_names_missing_fields(general_agent, api_client_for):
    response = api_client_for(general_agent).post_json("/api/v1/tickets/", {"inbox": "general"})

    assert response.status_code == 400
    assert set(response.json()["errors"]) == {"customer_email", "subject", "body"}


def test_reply_with_article_and_status(
    general_inbox, general_agent, api_client_for, mailoutbox, django_capture_on_commit_callbacks
):
    ticket = TicketFactory(inbox=general_inbox)
    article = ArticleFactory()
    client = api_client_for(general_agent)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post_json(
            f"/api/v1/tickets/{ticket.pk}/replies/",
            {"body": "Try this:", "articles": [article.slug], "status": "pending"},
        )

    assert response.status_code == 201, response.json()
    assert response.json()["articles"][0]["article"] == article.slug
    ticket.refresh_from_db()
    assert ticket.status == "pending" and ticket.first_response_at is not None
    assert ticket.article_links.get().sent_at is not None


def test_a_stale_reply_is_refused(general_inbox, general_agent, api_client_for):
    ticket = TicketFactory(inbox=general_inbox)
    seen = ticket.updated_at.isoformat()
    MessageFactory(ticket=ticket, body_text="Never mind, it works now")

    response = api_client_for(general_agent).post_json(
        f"/api/v1/tickets/{ticket.pk}/replies/", {"body": "Try again", "seen": seen}
    )

    assert response.status_code == 409
    assert ticket.messages.filter(kind="reply").count() == 0


def test_note_assign_and_status(general_inbox, general_agent, api_client_for):
    ticket = TicketFactory(inbox=general_inbox)
    outsider = UserFactory(role=MANAGER)
    client = api_client_for(general_agent)

    note = client.post_json(f"/api/v1/tickets/{ticket.pk}/notes/", {"body": "Escalated"})
    assigned = client.post_json(
        f"/api/v1/tickets/{ticket.pk}/assign/", {"assignee": general_agent.pk}
    )
    not_member = client.post_json(
        f"/api/v1/tickets/{ticket.pk}/assign/", {"assignee": outsider.pk}
    )
    status = client.post_json(f"/api/v1/tickets/{ticket.pk}/status/", {"status": "pending"})
    solved = client.post_json(f"/api/v1/tickets/{ticket.pk}/status/", {"status": "solved"})

    assert note.status_code == 201 and note.json()["kind"] == "note"
    assert assigned.json()["assignee"]["id"] == general_agent.pk
    assert not_member.status_code == 400 and "assignee" in not_member.json()["errors"]
    assert status.json()["status"] == "pending"
    assert solved.status_code == 400 and "status" in solved.json()["errors"]


def test_solve_by_article(general_inbox, general_agent, api_client_for):
    ticket = TicketFactory(inbox=general_inbox)
    article = ArticleFactory()
    client = api_client_for(general_agent)

    response = client.post_json(
        f"/api/v1/tickets/{ticket.pk}/solve/", {"kind": "article", "articles": [article.slug]}
    )
    again = client.post_json(f"/api/v1/tickets/{ticket.pk}/solve/", {"kind": "not_applicable"})

    assert response.status_code == 201, response.json()
    assert response.json()["articles"] == [article.slug]
    resolution = Resolution.objects.get()
    assert resolution.kind == "article" and resolution.category == article.category
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"


def test_solve_rules_name_the_field(general_inbox, general_agent, api_client_for):
    ticket = TicketFactory(inbox=general_inbox)
    client = api_client_for(general_agent)

    no_article = client.post_json(f"/api/v1/tickets/{ticket.pk}/solve/", {"kind": "article"})
    gap = client.post_json(f"/api/v1/tickets/{ticket.pk}/solve/", {"kind": "no_article"})
    unknown = client.post_json(
        f"/api/v1/tickets/{ticket.pk}/solve/", {"kind": "article", "articles": ["nope"]}
    )

    assert "articles" in no_article.json()["errors"]
    assert "note" in gap.json()["errors"]
    assert "articles" in unknown.json()["errors"]
    assert not Resolution.objects.exists()


def test_a_closed_ticket_refuses_a_reply(general_inbox, general_agent, api_client_for):
    ticket = TicketFactory(inbox=general_inbox, status="closed")

    response = api_client_for(general_agent).post_json(
        f"/api/v1/tickets/{ticket.pk}/replies/", {"body": "hello"}
    )

    assert response.status_code == 409
    assert "closed" in response.json()["detail"]
