"""PUT /api/v1/customers/<email>/context, the ticket page's Account section, and
the one suggestion rule the context drives."""

import json
from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.utils import timezone

from tests.api.conftest import ApiClient
from tests.factories import ArticleFactory, MessageFactory, TicketFactory, UserFactory
from tickets.models import CustomerContext
from tickets.ticket_page import articles_column

pytestmark = pytest.mark.django_db
URL = "/api/v1/customers/pat@example.com/context"


def pushed(**fields) -> dict:
    now = timezone.now()
    return {
        "plan": "Pro",
        "plan_change": "upgraded",
        "plan_changed_at": (now - timedelta(minutes=12)).isoformat(),
        "credits_balance": 0,
        "credits_refreshed_at": (now - timedelta(days=35)).isoformat(),
        "renewal_date": (now - timedelta(days=2)).date().isoformat(),
        "recent_failures": [{"id": "gen_81f2", "error_code": "GPU_TIMEOUT"}],
        "extra": {"region": "eu"},
        **fields,
    }


def put(client: ApiClient, data, url: str = URL):
    return client.put(url, json.dumps(data), content_type="application/json")


def test_a_manager_token_pushes_context_for_a_new_customer(api_client_for, manager):
    response = put(api_client_for(manager), pushed())

    assert response.status_code == 201, response.json()
    context = CustomerContext.objects.select_related("customer").get()
    assert context.customer.email == "pat@example.com"
    assert (context.plan, context.credits_balance, context.extra) == ("Pro", 0, {"region": "eu"})
    assert context.recent_failures == [{"id": "gen_81f2", "error_code": "GPU_TIMEOUT", "at": None}]
    assert context.credits_overdue()
    assert response.json()["plan_change"] == "upgraded"


def test_put_replaces_the_whole_context(api_client_for, manager):
    client = api_client_for(manager)
    put(client, pushed())

    response = put(client, {"plan": "Free"})

    assert response.status_code == 200
    context = CustomerContext.objects.get()
    assert (context.plan, context.credits_balance, context.recent_failures) == ("Free", None, [])


def test_a_user_with_the_push_permission_may_push(api_client_for):
    pusher = UserFactory()  # no role, no inbox: a service account
    pusher.user_permissions.add(Permission.objects.get(codename="push_customer_context"))

    assert put(api_client_for(pusher), pushed()).status_code == 201


@pytest.mark.parametrize("role", ["agent", "editor"])
def test_other_roles_may_not_push(api_client_for, request, role):
    response = put(api_client_for(request.getfixturevalue(role)), pushed())

    assert response.status_code == 403
    assert not CustomerContext.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("plan_changed_at", "yesterday"),
        ("credits_balance", "lots"),
        ("renewal_date", "2026-13-40"),
        ("recent_failures", [{"id": "gen_1"}]),
        ("recent_failures", [{"id": "g", "error_code": "E"}] * 21),
        ("extra", ["not", "an", "object"]),
        ("plan", "Pro\x00"),
        ("plan_change", "sideways"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(api_client_for, manager, field, value):
    response = put(api_client_for(manager), pushed(**{field: value}))

    assert response.status_code == 400
    assert field in response.json()["errors"]
    assert not CustomerContext.objects.exists()


def test_a_bad_address_is_a_400(api_client_for, manager):
    response = put(api_client_for(manager), pushed(), url="/api/v1/customers/not-an-email/context")

    assert response.status_code == 400 and "email" in response.json()["errors"]


def test_get_shows_it_only_to_who_sees_the_customers_tickets(
    api_client_for, manager, general_agent, billing_agent, billing_inbox
):
    TicketFactory(inbox=billing_inbox, customer__email="pat@example.com")
    put(api_client_for(manager), pushed())

    assert api_client_for(billing_agent).get(URL).json()["plan"] == "Pro"
    assert api_client_for(general_agent).get(URL).status_code == 404


# --- the ticket page ----------------------------------------------------------------


def page_text(client, ticket) -> str:
    return " ".join(client.get(f"/tickets/{ticket.pk}/").text.replace("\xa0", " ").split())


def test_the_ticket_page_shows_the_account_beside_the_thread(
    client, api_client_for, manager, general_agent, general_inbox
):
    ticket = TicketFactory(inbox=general_inbox, customer__email="pat@example.com")
    put(api_client_for(manager), pushed())
    client.force_login(general_agent)

    text = page_text(client, ticket)

    assert "Upgraded to Pro 12 minutes ago" in text
    assert "credits not refreshed since the renewal date" in text
    assert "gen_81f2" in text and "GPU_TIMEOUT" in text
    assert "stale" not in text


def test_stale_context_is_labelled_with_its_age(
    client, api_client_for, manager, general_agent, general_inbox
):
    ticket = TicketFactory(inbox=general_inbox, customer__email="pat@example.com")
    put(api_client_for(manager), pushed())
    CustomerContext.objects.update(updated_at=timezone.now() - timedelta(days=3))
    client.force_login(general_agent)

    assert "stale: 3 days old" in page_text(client, ticket)


def test_a_ticket_the_user_cannot_see_shows_nothing(
    client, api_client_for, manager, general_agent, billing_inbox
):
    ticket = TicketFactory(inbox=billing_inbox, customer__email="pat@example.com")
    put(api_client_for(manager), pushed())
    client.force_login(general_agent)

    response = client.get(f"/tickets/{ticket.pk}/")

    assert response.status_code == 404 and "GPU_TIMEOUT" not in response.text


def test_the_page_reads_no_more_queries_with_context(
    client, api_client_for, manager, general_agent, general_inbox, django_assert_max_num_queries
):
    ticket = TicketFactory(inbox=general_inbox, customer__email="pat@example.com")
    MessageFactory(ticket=ticket)
    client.force_login(general_agent)
    client.get(f"/tickets/{ticket.pk}/")  # warm the session and caches
    with django_assert_max_num_queries(50) as without:
        client.get(f"/tickets/{ticket.pk}/")
    put(api_client_for(manager), pushed(renewal_date=None))

    with django_assert_max_num_queries(50) as with_context:
        assert "Upgraded to Pro" in page_text(client, ticket)

    assert len(with_context.captured_queries) == len(without.captured_queries) > 0


# --- suggestions --------------------------------------------------------------------


def test_credits_not_refreshed_after_renewal_puts_the_credits_article_first(
    api_client_for, manager, general_inbox
):
    ArticleFactory(title="Video stuck at ninety percent", body="Clear the render cache.")
    ArticleFactory(slug="credits-not-refreshed", title="Credits did not refresh", body="Wait.")
    ticket = TicketFactory(
        inbox=general_inbox, customer__email="pat@example.com", subject="Video stuck"
    )
    MessageFactory(ticket=ticket, body_text="My video is stuck at ninety percent.")

    before = articles_column(ticket, None, [])["suggestions"]
    put(api_client_for(manager), pushed())
    ticket.customer.refresh_from_db()
    after = articles_column(ticket, None, [])["suggestions"]

    assert "credits-not-refreshed" not in [s.article.slug for s in before]
    assert after[0].article.slug == "credits-not-refreshed"
    assert [s.article.slug for s in after[1:]] == [s.article.slug for s in before]


@pytest.mark.parametrize(
    "change",
    [
        {"renewal_date": None},
        {"credits_refreshed_at": timezone.now().isoformat()},
        {"renewal_date": (timezone.now() + timedelta(days=3)).date().isoformat()},
    ],
)
def test_no_boost_when_credits_are_fine(api_client_for, manager, general_inbox, change):
    ArticleFactory(slug="credits-not-refreshed", title="Credits did not refresh", body="Wait.")
    ticket = TicketFactory(inbox=general_inbox, customer__email="pat@example.com", subject="Hi")
    put(api_client_for(manager), pushed(**change))
    ticket.customer.refresh_from_db()

    assert articles_column(ticket, None, [])["suggestions"] == []


CONTEXT_FIELDS = [
    "plan", "plan_change", "plan_changed_at", "credits_balance", "credits_refreshed_at",
    "renewal_date", "recent_failures", "extra",
]  # fmt: skip


def test_no_odd_context_or_erasure_input_gives_a_500(api_client_for, manager, settings):
    from django.test import Client

    from supportdesk.tokens import create_token
    from tests.api.test_api_hostile import VALUES, WORST, check

    settings.API_RATE_LIMIT = "100000/min"
    _, raw = create_token(user=manager, name="hostile")
    client = Client(raise_request_exception=False, HTTP_AUTHORIZATION=f"Bearer {raw}")
    problems: list[str] = []
    bodies = ["", "{", "null", "[]", '"x"', "12"]
    bodies += [json.dumps(dict.fromkeys(CONTEXT_FIELDS, v)) for v in VALUES]
    bodies += [json.dumps({f: v}) for f in CONTEXT_FIELDS for v in [*VALUES, *WORST]]
    bodies += [json.dumps({"recent_failures": [{"id": v, "error_code": v, "at": v}]})
               for v in VALUES]  # fmt: skip
    for body in bodies:
        response = client.put(URL, body, content_type="application/json")
        check(response, f"PUT {body[:60]}", problems)
    for odd in ("%00", "a%00b@x", "x" * 300 + "@example.com", "%20", "@", "a@b"):
        response = client.put(f"/api/v1/customers/{odd}/context", "{}", "application/json")
        check(response, f"PUT {odd[:20]}", problems)
        check(client.delete(f"/api/v1/customers/{odd}"), f"DELETE {odd[:20]}", problems)

    assert problems == []
