"""Sessions (supportdesk/accounts/sessions.py): Django's database sessions, loaded
by a written-out query, with the same rules."""

from datetime import timedelta

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import BACKEND_SESSION_KEY
from django.contrib.auth.models import User
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


# == The signed-in user, read by supportdesk.accounts.backends.UserBackend ==


def sign_in(client, password: str = "s3cret-Passw0rd!"):
    user = UserFactory(role=AGENT, username="ann")
    user.set_password(password)
    user.save()
    response = client.post("/accounts/login/", {"username": "ann", "password": password})
    assert response.status_code == 302
    return user


@pytest.mark.django_db
def test_a_sign_in_is_read_back_by_the_kept_query(client):
    user = sign_in(client)
    assert client.session[BACKEND_SESSION_KEY] == "supportdesk.accounts.backends.UserBackend"
    response = client.get("/tickets/")
    assert response.status_code == 200 and response.wsgi_request.user == user


@pytest.mark.django_db
def test_a_session_of_the_old_backend_stays_signed_in(client):
    user = UserFactory(role=AGENT)
    client.force_login(user, backend="django.contrib.auth.backends.ModelBackend")
    response = client.get("/tickets/")
    assert response.status_code == 200 and response.wsgi_request.user == user


@pytest.mark.django_db
def test_a_deactivated_user_is_signed_out_on_the_next_request(client):
    user = sign_in(client)
    User.objects.filter(pk=user.pk).update(is_active=False)
    assert client.get("/tickets/").status_code == 302


@pytest.mark.django_db
def test_a_password_changed_elsewhere_signs_this_session_out(client):
    user = sign_in(client)
    user.set_password("another-Passw0rd!")
    user.save()
    assert client.get("/tickets/").status_code == 302


@pytest.mark.django_db
def test_a_wrong_password_is_one_failure_and_signs_no_one_in(client):
    sign_in(client)
    client.logout()
    response = client.post("/accounts/login/", {"username": "ann", "password": "wrong"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert AccessAttempt.objects.get(username="ann").failures_since_start == 1
