"""What operators watch, read from the database so every process agrees:
for ``/healthz`` (the load balancer) and ``/metrics`` (Prometheus)."""

from collections.abc import Iterator

from django.db.models import Count, Max
from django.utils import timezone
from django_tasks_db.models import DBTaskResult, get_date_max
from prometheus_client.core import GaugeMetricFamily

from tickets.models import ImapMailbox, InboundEmail, Message


def oldest_waiting_seconds() -> float | None:
    """How long the longest-waiting runnable task has waited (None: nothing waits)."""
    oldest = DBTaskResult.objects.ready().order_by("enqueued_at").only(
        "enqueued_at", "run_after"
    ).first()  # fmt: skip
    if oldest is None:
        return None
    since = oldest.enqueued_at
    if oldest.run_after != get_date_max():
        since = max(since, oldest.run_after)  # a retry waits from when it may run
    return round((timezone.now() - since).total_seconds(), 1)


def last_poll_seconds() -> float | None:
    last = ImapMailbox.objects.filter(enabled=True).aggregate(last=Max("last_polled_at"))["last"]
    return None if last is None else round((timezone.now() - last).total_seconds(), 1)


def collect() -> Iterator[GaugeMetricFamily]:
    """The scrape-time gauges: work waiting and mail not (yet) filed or delivered.
    Each count reads a small, indexed set (rows waiting, not the history)."""
    waiting = GaugeMetricFamily(
        "supportdesk_tasks_waiting", "Background tasks ready to run and not yet taken."
    )
    waiting.add_metric([], DBTaskResult.objects.ready().count())
    yield waiting

    oldest = GaugeMetricFamily(
        "supportdesk_task_oldest_waiting_seconds",
        "How long the longest-waiting runnable task has waited (0: none waits).",
    )
    oldest.add_metric([], oldest_waiting_seconds() or 0)
    yield oldest

    inbound = GaugeMetricFamily(
        "supportdesk_mail_inbound",
        "Inbound mails not filed: received (being filed, or left by a crash) and quarantined.",
        labels=["status"],
    )
    held = dict.fromkeys([InboundEmail.Status.RECEIVED, InboundEmail.Status.QUARANTINED], 0)
    rows = InboundEmail.objects.filter(status__in=held).values_list("status")
    held.update(rows.annotate(Count("pk")).order_by())
    for status, count in held.items():
        inbound.add_metric([str(status)], count)
    yield inbound

    outbound = GaugeMetricFamily(
        "supportdesk_mail_outbound",
        "Replies not delivered: queued (on their way) and failed (given up).",
        labels=["status"],
    )
    undelivered = dict.fromkeys([Message.Delivery.QUEUED, Message.Delivery.FAILED], 0)
    rows = Message.objects.filter(delivery__in=undelivered).values_list("delivery")
    undelivered.update(rows.annotate(Count("pk")).order_by())
    for status, count in undelivered.items():
        outbound.add_metric([str(status)], count)
    yield outbound

    poll = GaugeMetricFamily(
        "supportdesk_mail_last_poll_age_seconds",
        "Seconds since the last IMAP poll of any enabled mailbox (absent: none).",
    )
    if (age := last_poll_seconds()) is not None:
        poll.add_metric([], age)
    yield poll
