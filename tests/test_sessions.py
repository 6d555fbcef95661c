"""Sessions (supportdesk/accounts/sessions.py): Django's database sessions, loaded
by a written-out query, with the same rules."""

from datetime import timedelta

import pytest
from django.contrib.sessions.models import Session
from django.utils import timezone

from supportdesk.roles import AGENT
from tests.factories import UserFactory


@pytest.mark.django_db
def test_a_session_signs_in_until_it_expires(client):
    client.force_login(UserFactory(role=AGENT))
    assert client.get("/tickets/").status_code == 200

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/tickets/")
    assert response.status_code == 302 and response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_an_unknown_or_deleted_session_is_signed_out(client):
    client.force_login(UserFactory(role=AGENT))
    Session.objects.all().delete()
    assert client.get("/tickets/").status_code == 302
    client.cookies["sessionid"] = "no-such-session-key-0123456789abcdef"
    assert client.get("/tickets/").status_code == 302
