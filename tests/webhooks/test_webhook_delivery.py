"""Events become signed POSTs, sent by the task worker after the event commits."""

import json
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from tests.factories import ArticleFactory, CustomerFactory, TicketFactory
from tickets.models import WebhookDelivery
from tickets.resolution import reopen_ticket, solve_ticket
from tickets.services import create_ticket
from tickets.webhooks import delivery
from tickets.webhooks.signing import HEADER, verify


def run_worker() -> None:
    call_command("db_worker", batch=True, startup_delay=False, reload=False, verbosity=0)


def test_the_receiver_gets_ticket_solved_signed_and_verifies_it(
    transactional_db, receiver, make_webhook, general_inbox, agent
):
    """The whole way, with real commits: solve, then ``db_worker`` sends it."""
    hook = make_webhook(events=["ticket.solved"])
    ticket = TicketFactory(inbox=general_inbox, customer__email="pat@example.com")

    solve_ticket(ticket, kind="not_applicable", by=agent, note="Duplicate")
    assert receiver.requests == []  # nothing leaves inside the request: the worker sends it
    run_worker()

    [got] = receiver.requests
    assert verify(hook.secret, got.headers[HEADER], got.body)
    assert not verify("whsec_wrong", got.headers[HEADER], got.body)
    assert not verify(hook.secret, got.headers[HEADER], got.body + b" ")
    payload = json.loads(got.body)
    assert got.headers["X-SupportDesk-Event"] == payload["event"] == "ticket.solved"
    assert payload["data"]["ticket"]["number"] == ticket.pk
    assert payload["data"]["ticket"]["customer"]["email"] == "pat@example.com"
    assert payload["data"]["resolution"]["kind"] == "not_applicable"
    [logged] = WebhookDelivery.objects.all()
    assert (logged.status, logged.response_code, logged.attempts) == ("delivered", 200, 1)


def test_an_old_signature_is_refused(receiver, make_webhook):
    from tickets.webhooks.signing import sign

    body = b'{"event":"ticket.solved"}'
    header = sign("whsec_x", body, timestamp=1_000_000)

    assert verify("whsec_x", header, body, now=1_000_000 + 10)
    assert not verify("whsec_x", header, body, now=1_000_000 + 3600)


def test_nothing_is_recorded_before_the_event_commits(
    make_webhook, general_inbox, agent, django_capture_on_commit_callbacks
):
    make_webhook(events=["ticket.created"])

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        create_ticket(
            inbox=general_inbox, customer=CustomerFactory(), subject="Hi", body_text="Hello"
        )

    assert callbacks and not WebhookDelivery.objects.exists()
    for callback in callbacks:
        callback()
    assert WebhookDelivery.objects.get().event == "ticket.created"


def test_a_failing_receiver_is_retried_with_backoff_and_logged(
    receiver, make_webhook, general_inbox, agent, settings, django_capture_on_commit_callbacks
):
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    settings.WEBHOOK_RETRY_SECONDS = 30
    make_webhook(events=["ticket.solved"])
    receiver.answers = [500, 503, 500]
    ticket = TicketFactory(inbox=general_inbox)
    with django_capture_on_commit_callbacks(execute=True):
        solve_ticket(ticket, kind="not_applicable", by=agent)
    [logged] = WebhookDelivery.objects.all()

    with django_capture_on_commit_callbacks(execute=True):
        first = delivery.attempt_delivery(logged.pk)
    logged.refresh_from_db()
    assert (first, logged.response_code, logged.attempts) == ("retry", 500, 1)
    due = logged.next_attempt_at
    assert timedelta(seconds=25) < due - timezone.now() <= timedelta(seconds=30)
    # The retry is a task that runs at the due time; early, the task does nothing.
    retry_task = DBTaskResult.objects.filter(run_after=due)
    assert retry_task.count() == 1
    assert delivery.attempt_delivery(logged.pk, only_when_due=True) == "skipped"

    with django_capture_on_commit_callbacks(execute=True):
        second = delivery.attempt_delivery(logged.pk)
    logged.refresh_from_db()
    assert (second, logged.response_code) == ("retry", 503)
    assert logged.next_attempt_at - timezone.now() > timedelta(seconds=55)  # doubled

    assert delivery.attempt_delivery(logged.pk) == "failed"
    logged.refresh_from_db()
    assert (logged.status, logged.attempts, logged.response_code) == ("failed", 3, 500)
    assert "HTTP 500" in logged.error
    assert len(receiver.requests) == 3


def test_an_unreachable_receiver_is_logged_without_a_code(make_webhook, general_inbox, agent):
    hook = make_webhook(events=["ticket.solved"], url="http://127.0.0.1:9/nothing-listens")
    ticket = TicketFactory(inbox=general_inbox)
    logged = WebhookDelivery.objects.create(webhook=hook, event="ticket.solved", payload={})

    assert delivery.attempt_delivery(logged.pk) == "retry"
    logged.refresh_from_db()
    assert logged.response_code is None and logged.error
    assert ticket  # the ticket is untouched by the failure


def test_a_billing_ticket_never_reaches_a_webhook_scoped_to_general(
    transactional_db, receiver, make_webhook, general_inbox, billing_inbox, agent
):
    general_hook = make_webhook(events=["ticket.created", "ticket.solved"], inbox=general_inbox)
    every_hook = make_webhook(events=["ticket.created", "ticket.solved"])
    billing = create_ticket(
        inbox=billing_inbox, customer=CustomerFactory(), subject="Refund", body_text="Card"
    )
    solve_ticket(billing, kind="not_applicable", by=agent)
    general = create_ticket(
        inbox=general_inbox, customer=CustomerFactory(), subject="Video", body_text="Stuck"
    )
    run_worker()

    assert set(general_hook.deliveries.values_list("ticket_id", flat=True)) == {general.pk}
    assert set(every_hook.deliveries.values_list("ticket_id", flat=True)) == {
        billing.pk,
        general.pk,
    }
    sent = [json.loads(r.body)["data"]["ticket"]["number"] for r in receiver.requests]
    assert sorted(sent) == sorted([billing.pk, billing.pk, general.pk, general.pk])
    assert "Refund" not in str(list(general_hook.deliveries.values_list("payload", flat=True)))


def test_not_held_and_article_published_are_sent(
    make_webhook, general_inbox, agent, editor, django_capture_on_commit_callbacks
):
    from articles.services import publish_article

    hook = make_webhook(events=["resolution.not_held", "article.published"], inbox=general_inbox)
    ticket = TicketFactory(inbox=general_inbox)
    article = ArticleFactory(slug="credits-not-refreshed", status="draft")
    with django_capture_on_commit_callbacks(execute=True):
        solve_ticket(ticket, kind="not_applicable", by=agent)
        reopen_ticket(ticket, by=agent)
        publish_article(article, by=editor)

    events = dict(hook.deliveries.values_list("event", "payload"))
    assert events["resolution.not_held"]["data"]["resolution"]["reopened_at"]
    assert events["article.published"]["data"]["article"]["slug"] == "credits-not-refreshed"
    assert set(events) == {"resolution.not_held", "article.published"}  # not ticket.solved


def test_csat_received_is_an_event_the_csat_feature_emits(
    make_webhook, general_inbox, django_capture_on_commit_callbacks
):
    from tickets.events import csat_received

    hook = make_webhook(events=["csat.received"])
    ticket = TicketFactory(inbox=general_inbox)
    with django_capture_on_commit_callbacks(execute=True):
        csat_received(ticket_pk=ticket.pk, rating="good", comment="Fast!")

    payload = hook.deliveries.get().payload
    assert payload["event"] == "csat.received"
    assert payload["data"]["rating"] == "good" and payload["data"]["ticket"]["number"] == ticket.pk


def test_an_inactive_webhook_gets_nothing(make_webhook, general_inbox, agent):
    hook = make_webhook(events=["ticket.solved"])
    hook.active = False
    hook.save(update_fields=["active"])

    assert delivery.record_ticket_event("ticket.solved", TicketFactory().pk, {}) == []


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1:8000/", "http://localhost/hook", "http://10.1.2.3/", "http://[::1]/",
     "http://169.254.169.254/latest/meta-data/", "ftp://example.com/"],
)  # fmt: skip
def test_private_and_loopback_urls_are_refused_in_production(url, settings, make_webhook):
    from django.core.exceptions import ValidationError

    from tickets.webhooks.addresses import check_url

    settings.WEBHOOK_ALLOW_PRIVATE_URLS = False
    with pytest.raises(ValidationError):
        check_url(url)
    # Also at delivery time (a name may resolve elsewhere later): never posted.
    hook = make_webhook(url=url)
    logged = WebhookDelivery.objects.create(webhook=hook, event="ticket.solved", payload={})
    assert delivery.attempt_delivery(logged.pk) == "retry"
    logged.refresh_from_db()
    assert logged.response_code is None and logged.error


def test_a_lost_task_is_enqueued_again_by_the_cron_command(make_webhook):
    from io import StringIO

    hook = make_webhook()
    long_ago = timezone.now() - timedelta(hours=1)
    lost = WebhookDelivery.objects.create(
        webhook=hook, event="ticket.solved", payload={}, created_at=long_ago
    )
    waiting = WebhookDelivery.objects.create(
        webhook=hook, event="ticket.solved", payload={}, created_at=long_ago,
        attempts=2, next_attempt_at=timezone.now() + timedelta(minutes=5),
    )  # fmt: skip
    out = StringIO()

    call_command("send_pending_webhooks", stdout=out)

    assert out.getvalue().startswith("1 pending")
    assert DBTaskResult.objects.filter(args_kwargs__args=[lost.pk]).count() == 1
    assert not DBTaskResult.objects.filter(args_kwargs__args=[waiting.pk]).exists()


def test_a_failing_listener_never_fails_the_request(
    general_inbox, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    from tickets import events

    def broken(event, ticket_pk, data):
        raise RuntimeError("receiver bookkeeping broke")

    monkeypatch.setattr(events, "_listeners", [broken])

    with django_capture_on_commit_callbacks(execute=True):
        ticket = create_ticket(
            inbox=general_inbox, customer=CustomerFactory(), subject="Hi", body_text="Hello"
        )

    assert ticket.pk and "receiver bookkeeping broke" in caplog.text
