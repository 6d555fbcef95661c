"""The managers' webhook pages: create, edit, the delivery log and its Retry."""

import pytest
from django_tasks_db.models import DBTaskResult

from supportdesk.models import AuditEvent
from tickets.models import Webhook, WebhookDelivery


@pytest.fixture
def manager_client(client, manager):
    client.force_login(manager)
    return client


def test_a_manager_creates_a_webhook_scoped_to_an_inbox(manager_client, receiver, general_inbox):
    response = manager_client.post(
        "/webhooks/",
        {
            "name": "CRM",
            "url": receiver.url,
            "events": ["ticket.created", "ticket.solved"],
            "inbox": general_inbox.pk,
            "active": "on",
        },
    )

    hook = Webhook.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/webhooks/{hook.pk}/"
    assert (hook.events, hook.inbox, hook.active) == (
        ["ticket.created", "ticket.solved"],
        general_inbox,
        True,
    )
    page = manager_client.get(f"/webhooks/{hook.pk}/")
    assert hook.secret.startswith("whsec_") and hook.secret in page.text
    event = AuditEvent.objects.get(action="webhook_changed")
    assert event.target == "CRM" and receiver.url in event.detail and "general" in event.detail


def test_a_private_url_is_refused_with_a_message_and_nothing_saved(manager_client, settings, db):
    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False

    response = manager_client.post(
        "/webhooks/",
        {"name": "Sneaky", "url": "http://127.0.0.1:6379/", "events": ["ticket.solved"]},
    )

    assert response.status_code == 200
    assert "private or loopback address" in response.text
    assert not Webhook.objects.exists()


def test_an_unknown_event_is_refused(manager_client, receiver):
    response = manager_client.post(
        "/webhooks/", {"name": "X", "url": receiver.url, "events": ["ticket.deleted"]}
    )

    assert response.status_code == 200 and not Webhook.objects.exists()


def test_the_log_shows_response_codes_and_retry_sends_again(
    manager_client, make_webhook, django_capture_on_commit_callbacks
):
    hook = make_webhook()
    failed = WebhookDelivery.objects.create(
        webhook=hook, event="ticket.solved", payload={"x": 1}, status="failed",
        attempts=8, response_code=502, error="HTTP 502 Bad Gateway",
    )  # fmt: skip

    page = manager_client.get(f"/webhooks/{hook.pk}/")
    assert '<code class="response-code">502</code>' in page.text
    assert f"/webhooks/deliveries/{failed.pk}/retry/" in page.text

    with django_capture_on_commit_callbacks(execute=True):
        response = manager_client.post(f"/webhooks/deliveries/{failed.pk}/retry/")

    assert response.status_code == 302
    failed.refresh_from_db()
    assert (failed.status, failed.attempts) == ("pending", 0)
    assert DBTaskResult.objects.filter(args_kwargs__args=[failed.pk]).exists()


def test_a_manager_edits_and_deletes_a_webhook(manager_client, make_webhook):
    hook = make_webhook()

    manager_client.post(
        f"/webhooks/{hook.pk}/",
        {"name": "CRM 2", "url": hook.url, "events": ["article.published"]},
    )
    hook.refresh_from_db()
    assert (hook.name, hook.events, hook.active) == ("CRM 2", ["article.published"], False)

    manager_client.post(f"/webhooks/{hook.pk}/delete/")
    assert not Webhook.objects.exists()


@pytest.mark.parametrize("role", ["agent", "editor"])
def test_other_roles_get_403(client, request, role, make_webhook):
    hook = make_webhook()
    client.force_login(request.getfixturevalue(role))

    for url in ("/webhooks/", f"/webhooks/{hook.pk}/"):
        assert client.get(url).status_code == 403
    assert client.post(f"/webhooks/{hook.pk}/delete/").status_code == 403
    assert Webhook.objects.filter(pk=hook.pk).exists()


def test_wrong_method(manager_client, make_webhook):
    hook = make_webhook()

    assert manager_client.get(f"/webhooks/{hook.pk}/delete/").status_code == 405
