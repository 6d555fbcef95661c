"""The audit log: security-relevant actions recorded, managers read and filter them."""

import pytest
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from articles.services import publish_article
from supportdesk.models import AuditEvent
from supportdesk.roles import MANAGER
from tests.factories import PASSWORD, ArticleFactory, UserFactory
from tickets.models import InboundEmail

A = AuditEvent.Action


@pytest.fixture(autouse=True)
def quick_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def events(action: str) -> list[tuple[str, str, str]]:
    rows = AuditEvent.objects.filter(action=action).order_by("pk")
    return [(e.actor_name, e.target, e.detail) for e in rows]


@pytest.mark.django_db
def test_sign_ins_failures_and_lockouts_are_recorded():
    UserFactory(username="ana")
    client = Client(REMOTE_ADDR="203.0.113.7")

    client.post("/accounts/login/", {"username": "ana", "password": "wrong"})
    client.post("/accounts/login/", {"username": "ana", "password": PASSWORD})
    mallory = Client(REMOTE_ADDR="203.0.113.7")  # ana is signed in: the page would redirect
    for _ in range(20):
        mallory.post("/accounts/login/", {"username": "mallory", "password": "guess"})

    assert events(A.SIGN_IN_FAILED)[0] == ("ana", "", "")
    assert events(A.SIGN_IN) == [("ana", "", "")]
    assert AuditEvent.objects.filter(action=A.SIGN_IN).get().ip_address == "203.0.113.7"
    assert ("mallory", "", "from 203.0.113.7") in events(A.LOCKED_OUT)


def test_an_unlock_is_recorded_with_the_manager(client, manager):
    client_ip = Client(REMOTE_ADDR="203.0.113.7")
    for _ in range(20):
        client_ip.post("/accounts/login/", {"username": "ana", "password": "guess"})
    client.force_login(manager)

    client.post(reverse("lockout_unlock"), {"kind": "username", "value": "ana"})

    assert events(A.UNLOCKED) == [(manager.username, "ana", "20 failed attempts cleared")]


@pytest.mark.django_db
def test_role_changes_from_either_side_are_recorded():
    user = UserFactory(username="ana")
    managers = Group.objects.get_or_create(name=MANAGER)[0]
    other = Group.objects.create(name="Not a role")

    user.groups.add(managers, other)
    managers.user_set.remove(user)

    assert events(A.ROLES_CHANGED) == [
        ("", "ana", "added to Manager"),
        ("", "ana", "removed from Manager"),
    ]


def test_inbox_membership_changes_are_recorded(general_inbox, billing_inbox):
    user = UserFactory(username="ana")

    general_inbox.members.add(user)
    user.inboxes.remove(general_inbox)
    user.inboxes.add(billing_inbox)

    assert events(A.INBOX_MEMBERSHIP) == [
        ("", "ana", "added to General support"),
        ("", "ana", "removed from General support"),
        ("", "ana", "added to Billing"),
    ]


def test_publishing_is_recorded(editor):
    article = ArticleFactory(title="Video stuck", status="draft")

    publish_article(article, by=editor)

    assert events(A.PUBLISHED) == [(editor.username, "Video stuck", "revision 1")]


def test_a_quarantine_discard_is_recorded(client, manager):
    mail = InboundEmail.objects.create(
        raw=b"x", source="cli", status="quarantined", sender="x@example.com", subject="Hi"
    )
    client.force_login(manager)

    client.post(reverse("tickets:quarantine_discard", args=[mail.pk]))

    assert events(A.QUARANTINE_DISCARDED) == [
        (manager.username, f"mail #{mail.pk}", "x@example.com: Hi")
    ]


def test_managers_read_and_filter_the_log(client, manager, general_inbox):
    UserFactory(username="ana")
    Client().post("/accounts/login/", {"username": "ana", "password": "wrong"})
    general_inbox.members.add(UserFactory(username="bob"))
    client.force_login(manager)

    everything = client.get(reverse("audit_log"))
    failures = client.get(reverse("audit_log"), {"action": "sign_in_failed"})
    bob = client.get(reverse("audit_log"), {"who": "bob"})
    far = client.get(reverse("audit_log"), {"since": "9999-12-31"})
    home = client.get(reverse("home"))

    failed_row = "<td>Sign-in failed</td>"
    assert failed_row in everything.text and "added to General support" in everything.text
    assert "<td>ana</td>" in failures.text and "added to General support" not in failures.text
    assert "added to General support" in bob.text and failed_row not in bob.text
    assert far.status_code == 200 and "Pick a date between" in far.text
    assert reverse("audit_log") in home.text


@pytest.mark.parametrize("role", ["agent", "editor"])
def test_only_managers_read_the_log(client, role, request):
    client.force_login(request.getfixturevalue(role))

    assert client.get(reverse("audit_log")).status_code == 403
