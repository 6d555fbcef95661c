"""From an event to a signed POST: one WebhookDelivery row per matching webhook
(recorded after the event's transaction commits, so the request that caused it
never waits on a receiver), sent by the task worker. A receiver that does not
answer 2xx is tried again later (delays doubling from WEBHOOK_RETRY_SECONDS, at
most an hour) until WEBHOOK_MAX_ATTEMPTS; then the delivery is marked failed,
and a manager can send it once more from the delivery log.

Ticket events reach only webhooks of the ticket's inbox (or of every inbox):
a webhook scoped to General never hears of a Billing ticket.
"""

import json
import logging
import urllib.error
import urllib.request
import uuid
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.tasks import task
from django.utils import timezone

from tickets.models import Resolution, Ticket, Webhook, WebhookDelivery, WebhookEvent
from tickets.webhooks.addresses import check_url
from tickets.webhooks.signing import HEADER, sign

log = logging.getLogger(__name__)
MAX_RETRY_DELAY = timedelta(hours=1)
USER_AGENT = "SupportDesk-Webhooks/1"
DELIVERY_FIELDS = [
    "status", "attempts", "response_code", "error", "last_attempt_at", "next_attempt_at",
    "delivered_at",
]  # fmt: skip


# --- payloads -----------------------------------------------------------------------


def ticket_data(ticket: Ticket) -> dict:
    return {
        "number": ticket.pk,
        "subject": ticket.subject,
        "status": ticket.status,
        "priority": ticket.get_priority_display().lower(),
        "channel": ticket.channel,
        "inbox": ticket.inbox.slug,
        "category": ticket.category.slug if ticket.category else None,
        "customer": {"email": ticket.customer.email, "name": ticket.customer.name},
        "created_at": ticket.created_at.isoformat(),
        "solved_at": ticket.solved_at.isoformat() if ticket.solved_at else None,
        "api_url": f"/api/v1/tickets/{ticket.pk}/",
    }


def resolution_data(resolution: Resolution) -> dict:
    return {
        "id": resolution.pk,
        "kind": resolution.kind,
        "articles": sorted({link.article.slug for link in resolution.links.all()}),
        "solved_at": resolution.solved_at.isoformat(),
        "solved_by": resolution.solved_by.get_username() if resolution.solved_by else None,
        "reopened_at": resolution.reopened_at.isoformat() if resolution.reopened_at else None,
    }


def envelope(event: str, data: dict) -> dict:
    return {
        "id": uuid.uuid4().hex,
        "event": event,
        "created_at": timezone.now().isoformat(),
        "data": data,
    }


def subscribed(event: str) -> list[Webhook]:
    """The active webhooks that want ``event``. (Read whole and filtered here: a
    handful of rows, and JSON containment is not on SQLite, the demo's database.)"""
    return [
        hook for hook in Webhook.objects.filter(active=True).order_by("pk") if event in hook.events
    ]


def record_ticket_event(event: str, ticket_pk: int, data: dict) -> list[WebhookDelivery]:
    """The tickets.events listener: a delivery per active webhook that wants ``event``
    and whose scope holds the ticket's inbox."""
    # One query when nobody listens (the common case, on every new ticket).
    candidates = subscribed(event)
    if not candidates:
        return []
    ticket = (
        Ticket.objects.select_related("inbox", "customer", "category").filter(pk=ticket_pk).first()
    )
    if ticket is None:
        return []
    hooks = [hook for hook in candidates if hook.inbox_id in (None, ticket.inbox_id)]
    if not hooks:
        return []
    body = {"ticket": ticket_data(ticket)}
    if resolution_id := data.pop("resolution_id", None):
        resolution = (
            Resolution.objects.select_related("solved_by")
            .prefetch_related("links__article")
            .filter(pk=resolution_id)
            .first()
        )
        body["resolution"] = resolution_data(resolution) if resolution else None
    body |= data
    return _record(hooks, event, body, ticket_pk=ticket_pk)


def record_article_published(article_pk: int) -> list[WebhookDelivery]:
    """The articles.services listener: articles are every inbox's, so every webhook
    that wants ``article.published`` gets it, whatever its scope."""
    from articles.models import Article

    event = WebhookEvent.ARTICLE_PUBLISHED
    articles = Article.objects.select_related("published_revision", "category")
    article = articles.filter(pk=article_pk).first()
    hooks = subscribed(event)
    if not hooks or article is None or article.published_revision is None:
        return []
    body = {
        "article": {
            "slug": article.slug,
            "title": article.published_revision.title,
            "revision": article.published_revision.number,
            "category": article.category.slug if article.category else None,
            "published_at": article.published_at.isoformat() if article.published_at else None,
            "help_center_path": f"/help/{article.slug}/",
        }
    }
    return _record(hooks, event, body)


def _record(hooks: list[Webhook], event: str, data: dict, *, ticket_pk=None) -> list:
    payload = envelope(event, data)
    with transaction.atomic():
        deliveries = WebhookDelivery.objects.bulk_create(
            WebhookDelivery(webhook=hook, event=event, payload=payload, ticket_id=ticket_pk)
            for hook in hooks
        )
        for delivery in deliveries:
            transaction.on_commit(lambda pk=delivery.pk: enqueue_delivery(pk))
    return deliveries


# --- sending ------------------------------------------------------------------------


class _NoRedirects(urllib.request.HTTPRedirectHandler):
    """A redirect is the receiver's answer, not a new place to post to (it could
    point inside our network)."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


# No proxies from the environment and no redirects.
_opener = urllib.request.build_opener(urllib.request.ProxyHandler({}), _NoRedirects())


def post(delivery: WebhookDelivery) -> tuple[int | None, str]:
    """POST the signed payload: (the HTTP status or None, an error or "")."""
    hook = delivery.webhook
    try:
        check_url(hook.url)
    except ValidationError as error:
        return None, " ".join(error.messages)
    body = json.dumps(delivery.payload, separators=(",", ":"), ensure_ascii=False).encode()
    request = urllib.request.Request(
        hook.url,
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "User-Agent": USER_AGENT,
            "X-SupportDesk-Event": delivery.event,
            "X-SupportDesk-Delivery": str(delivery.pk),
            HEADER: sign(hook.secret, body),
        },
    )
    try:
        with _opener.open(request, timeout=settings.WEBHOOK_TIMEOUT_SECONDS) as response:
            return response.status, ""
    except urllib.error.HTTPError as error:
        return error.code, f"HTTP {error.code} {error.reason}"[:500]
    except (urllib.error.URLError, OSError, ValueError) as error:
        reason = getattr(error, "reason", error)
        return None, f"{type(error).__name__}: {reason}"[:500]


def retry_delay(attempts: int) -> timedelta:
    seconds = settings.WEBHOOK_RETRY_SECONDS * 2 ** (attempts - 1)
    return min(timedelta(seconds=seconds), MAX_RETRY_DELAY)


def enqueue_delivery(delivery_pk: int, *, due: datetime | None = None) -> None:
    (send_delivery.using(run_after=due) if due else send_delivery).enqueue(delivery_pk)


def attempt_delivery(delivery_pk: int, *, only_when_due: bool = False) -> str:
    """Try a pending delivery once: "delivered", "retry", "failed" or "skipped" (not
    pending, another worker holds it, or, for tasks, its retry is not due yet)."""
    pending = Q(pk=delivery_pk, status=WebhookDelivery.Status.PENDING)
    if only_when_due:
        pending &= Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=timezone.now())
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update(skip_locked=True, of=("self",))
            .select_related("webhook")
            .filter(pending)
            .first()
        )
        if delivery is None:
            return "skipped"
        delivery.attempts += 1
        delivery.last_attempt_at = timezone.now()
        code, error = post(delivery)
        delivery.response_code, delivery.error = code, error
        if code is not None and 200 <= code < 300:
            delivery.status = WebhookDelivery.Status.DELIVERED
            delivery.delivered_at = timezone.now()
            delivery.next_attempt_at = None
            outcome = "delivered"
        elif delivery.attempts >= settings.WEBHOOK_MAX_ATTEMPTS or not delivery.webhook.active:
            delivery.status = WebhookDelivery.Status.FAILED
            delivery.next_attempt_at = None
            outcome = "failed"
        else:
            due = timezone.now() + retry_delay(delivery.attempts)
            delivery.next_attempt_at = due
            transaction.on_commit(lambda: enqueue_delivery(delivery_pk, due=due))
            outcome = "retry"
        if outcome != "delivered":
            log.warning("webhook delivery %s (%s): %s", delivery_pk, outcome, error or code)
        delivery.save(update_fields=DELIVERY_FIELDS)
        return outcome


@transaction.atomic
def retry_delivery(delivery: WebhookDelivery) -> None:
    """The log's Retry button: a new round of tries, the first now (the receiver
    was presumably fixed, so it gets the full backoff again)."""
    delivery.status = WebhookDelivery.Status.PENDING
    delivery.next_attempt_at = None
    delivery.attempts = 0
    delivery.save(update_fields=["status", "next_attempt_at", "attempts"])
    transaction.on_commit(lambda: enqueue_delivery(delivery.pk))


# Run by ``manage.py db_worker``, like the mail tasks.
@task
def send_delivery(delivery_pk: int) -> str:
    return attempt_delivery(delivery_pk, only_when_due=True)


def send_pending(*, older_than: timedelta = timedelta(minutes=15)) -> int:
    """Enqueue again the deliveries still pending ``older_than`` after their try was
    due (their task was lost with a worker); one waiting for its retry is left alone."""
    now = timezone.now()
    with transaction.atomic():
        pks = list(
            WebhookDelivery.objects.select_for_update(skip_locked=True)
            .annotate(due=Coalesce("next_attempt_at", "created_at"))
            .filter(status=WebhookDelivery.Status.PENDING, due__lt=now - older_than)
            .values_list("pk", flat=True)
        )
        WebhookDelivery.objects.filter(pk__in=pks).update(next_attempt_at=now)
        for pk in pks:  # the task backend is this database: they commit together
            enqueue_delivery(pk, due=now)
    return len(pks)
