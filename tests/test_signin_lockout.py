"""Sign-in lockout: per username and per client address, cool-off, managers unlock."""

import logging
from datetime import timedelta

import pytest
from axes.models import AccessAttempt, AccessFailureLog, AccessLog
from django.db.models import F
from django.test import Client
from django.urls import reverse

from tests.factories import PASSWORD, UserFactory

LOGIN = "/accounts/login/"


@pytest.fixture(autouse=True)
def quick_hashing(settings):
    """Forty password checks at production cost would take most of a minute."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def sign_in(client: Client, username: str, password: str, ip: str = "203.0.113.7", **extra):
    return client.post(
        LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip, **extra
    )


def fail(client: Client, username: str, times: int, ip: str = "203.0.113.7", **extra):
    for _ in range(times):
        sign_in(client, username, "wrong-password", ip, **extra)


@pytest.mark.django_db
def test_twenty_wrong_passwords_lock_the_account_until_the_cool_off_ends(client):
    UserFactory(username="ana")

    fail(client, "ana", 19)
    nineteenth = sign_in(client, "ana", "still-wrong")  # the 20th failure
    right = sign_in(client, "ana", PASSWORD)
    elsewhere = sign_in(Client(), "ana", PASSWORD, ip="198.51.100.4")

    assert nineteenth.status_code == 429
    assert right.status_code == 429 and elsewhere.status_code == 429
    assert "Too many wrong passwords" in right.text and "ana" in right.text
    assert "15 minutes" in right.text and reverse("password_reset") in right.text
    assert "_auth_user_id" not in client.session

    AccessAttempt.objects.update(attempt_time=F("attempt_time") - timedelta(minutes=16))
    after = sign_in(client, "ana", PASSWORD)

    assert after.status_code == 302 and "_auth_user_id" in client.session


@pytest.mark.django_db
def test_one_address_trying_many_usernames_is_locked_out(client):
    UserFactory(username="ana")
    for n in range(20):
        sign_in(client, f"guess{n}", "wrong-password")

    from_there = sign_in(client, "ana", PASSWORD)
    from_elsewhere = sign_in(Client(), "ana", PASSWORD, ip="198.51.100.4")

    assert from_there.status_code == 429
    assert from_elsewhere.status_code == 302


@pytest.mark.django_db
def test_a_forged_forwarded_for_header_does_not_escape_the_lockout(client, settings):
    settings.TRUSTED_PROXY_COUNT = 0
    UserFactory(username="ana")
    for n in range(20):
        sign_in(client, f"guess{n}", "wrong", HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")

    response = sign_in(client, "ana", PASSWORD, HTTP_X_FORWARDED_FOR="10.9.9.9")

    assert response.status_code == 429


@pytest.mark.django_db
def test_behind_a_trusted_proxy_the_forwarded_client_counts(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    UserFactory(username="ana")
    proxy = "10.0.0.1"
    for n in range(20):
        sign_in(client, f"guess{n}", "wrong", ip=proxy, HTTP_X_FORWARDED_FOR="192.0.2.66")

    spoofed = "1.2.3.4, 192.0.2.66"
    attacker = sign_in(client, "ana", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR=spoofed)
    colleague = sign_in(Client(), "ana", PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="192.0.2.77")

    assert attacker.status_code == 429  # the spoofed left entry is not believed
    assert colleague.status_code == 302
    assert set(AccessAttempt.objects.values_list("ip_address", flat=True)) == {"192.0.2.66"}


@pytest.mark.django_db
def test_failed_and_successful_sign_ins_are_logged(client, caplog):
    UserFactory(username="ana")

    with caplog.at_level(logging.INFO):
        sign_in(client, "ana", "wrong-password")
        sign_in(client, "ana", PASSWORD)

    text = caplog.text
    assert "AXES: Repeated login failure" in text or "login failure" in text.lower()
    assert "Successful login" in text and "ana" in text
    assert AccessFailureLog.objects.filter(username="ana", ip_address="203.0.113.7").count() == 1
    assert AccessLog.objects.filter(username="ana").count() == 1


def test_a_manager_sees_and_unlocks_a_locked_account(client, manager):
    UserFactory(username="ana")
    fail(Client(), "ana", 20)
    client.force_login(manager)

    page = client.get(reverse("lockouts"))
    home = client.get(reverse("home"))
    unlocked = client.post(
        reverse("lockout_unlock"), {"kind": "username", "value": "ana"}, follow=True
    )
    anas_client = Client()
    signed_in = sign_in(anas_client, "ana", PASSWORD, ip="198.51.100.4")

    assert "user <strong>ana</strong>" in page.text and "20" in page.text
    assert reverse("lockouts") in home.text  # in the managers' sidebar
    assert "Unlocked ana" in unlocked.text and "Nobody is locked out" in unlocked.text
    assert signed_in.status_code == 302 and "_auth_user_id" in anas_client.session


def test_a_manager_unlocks_an_address(client, manager):
    UserFactory(username="ana")
    for n in range(20):
        sign_in(Client(), f"guess{n}", "wrong")
    client.force_login(manager)

    page = client.get(reverse("lockouts"))
    client.post(reverse("lockout_unlock"), {"kind": "ip", "value": "203.0.113.7"})

    assert "<code>203.0.113.7</code>" in page.text
    assert sign_in(Client(), "ana", PASSWORD).status_code == 302


@pytest.mark.parametrize("role", ["agent", "editor"])
def test_only_managers_unlock(client, role, request):
    client.force_login(request.getfixturevalue(role))
    fail(Client(), "ana", 20)

    page = client.get(reverse("lockouts"))
    post = client.post(reverse("lockout_unlock"), {"kind": "username", "value": "ana"})

    assert page.status_code == 403 and post.status_code == 403
    assert AccessAttempt.objects.filter(username="ana").exists()
    assert reverse("lockouts") not in client.get(reverse("home")).text


def test_unlock_is_a_post(client, manager):
    client.force_login(manager)

    assert client.get(reverse("lockout_unlock")).status_code == 405
