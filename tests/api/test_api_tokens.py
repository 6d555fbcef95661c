"""Personal API tokens: made on the settings page or by create_api_token, shown
once, stored hashed, revoked by their owner; a token acts as its user."""

import hashlib
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from supportdesk.models import ApiToken
from supportdesk.roles import AGENT
from tests.api.conftest import ApiClient
from tests.factories import UserFactory


def test_command_prints_the_token_once_and_stores_its_hash(general_agent):
    out = StringIO()

    call_command("create_api_token", general_agent.username, "--name", "sync", stdout=out)

    raw = out.getvalue().strip()
    token = ApiToken.objects.get(user=general_agent)
    assert token.name == "sync"
    assert token.key_hash == hashlib.sha256(raw.encode()).hexdigest()
    assert raw not in str(ApiToken.objects.values_list())
    assert ApiClient(raw).get("/api/v1/tickets/").status_code == 200


def test_command_refuses_an_unknown_user(db):
    with pytest.raises(CommandError, match="No user"):
        call_command("create_api_token", "nobody")


def test_settings_page_creates_shows_once_and_revokes(general_agent):
    client = Client()
    client.force_login(general_agent)

    created = client.post("/accounts/tokens/", {"name": "billing sync"})
    raw = created.context["created"]
    listed = client.get("/accounts/tokens/")

    assert created.status_code == 200 and raw in created.text
    assert created["Cache-Control"] == "no-store"
    assert "billing sync" in listed.text and raw not in listed.text
    assert ApiClient(raw).get("/api/v1/tickets/").status_code == 200
    assert "never" not in client.get("/accounts/tokens/").text  # last use is shown

    token = ApiToken.objects.get(user=general_agent)
    revoked = client.post(f"/accounts/tokens/{token.pk}/revoke/")

    assert revoked.status_code == 302
    assert not ApiToken.objects.exists()
    assert ApiClient(raw).get("/api/v1/tickets/").status_code == 401


def test_nobody_revokes_someone_elses_token(general_agent):
    token = ApiToken.objects.create(user=general_agent, name="x", key_hash="0" * 64, prefix="sdk_")
    other = Client()
    other.force_login(UserFactory(role=AGENT))

    other.post(f"/accounts/tokens/{token.pk}/revoke/")

    assert ApiToken.objects.filter(pk=token.pk).exists()


def test_a_nameless_token_is_refused_with_the_field(general_agent):
    client = Client()
    client.force_login(general_agent)

    response = client.post("/accounts/tokens/", {"name": ""})

    assert response.status_code == 400
    assert not ApiToken.objects.exists()


def test_unknown_and_malformed_tokens_get_401(db):
    for header in ("Bearer sdk_nope", "Bearer", "Bearer a b", "Bearer \u00ff\u00fe"):
        response = Client(HTTP_AUTHORIZATION=header).get("/api/v1/tickets/")

        assert response.status_code == 401, header
        assert response["Content-Type"] == "application/problem+json"
        assert response["WWW-Authenticate"].startswith("Bearer")


def test_no_credentials_get_401_not_a_login_redirect(db):
    response = Client().get("/api/v1/tickets/")

    assert response.status_code == 401
    assert response.json()["status"] == 401


def test_a_deactivated_users_token_stops_working(general_agent, api_client_for):
    client = api_client_for(general_agent)
    general_agent.is_active = False
    general_agent.save()

    assert client.get("/api/v1/tickets/").status_code == 401


def test_the_token_acts_with_its_users_role(api_client_for):
    nobody = UserFactory()

    assert api_client_for(nobody).get("/api/v1/tickets/").status_code == 403


def test_session_calls_need_the_csrf_token(general_agent):
    client = Client(enforce_csrf_checks=True)
    client.force_login(general_agent)

    read = client.get("/api/v1/tickets/")
    write = client.post("/api/v1/tickets/", "{}", content_type="application/json")

    assert read.status_code == 200
    assert write.status_code == 403
    assert "CSRF" in write.json()["detail"]
