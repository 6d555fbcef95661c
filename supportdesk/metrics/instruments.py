"""The counters and histograms every process updates, and the scrape-time collectors."""

from collections.abc import Callable, Iterable

from django.tasks.signals import task_enqueued, task_finished
from prometheus_client import Counter, Histogram
from prometheus_client.metrics_core import Metric

# Pages answer in milliseconds; reports and CSVs may take a second or more.
LATENCY_BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10)

REQUEST_SECONDS = Histogram(
    "supportdesk_request_duration_seconds",
    "Time to answer a request, by method and URL route.",
    ["method", "route"],
    buckets=LATENCY_BUCKETS,
)
REQUESTS = Counter(
    "supportdesk_requests",
    "Requests answered, by method, URL route and status class (2xx, 4xx, 5xx).",
    ["method", "route", "status"],
)
TASKS_ENQUEUED = Counter(
    "supportdesk_tasks_enqueued", "Background tasks queued, by task.", ["task"]
)
TASKS_FINISHED = Counter(
    "supportdesk_tasks_finished",
    "Background tasks finished, by task and outcome (SUCCESSFUL, FAILED).",
    ["task", "status"],
)
TASK_SECONDS = Histogram(
    "supportdesk_task_duration_seconds",
    "Time a background task ran, by task.",
    ["task"],
    buckets=LATENCY_BUCKETS + (30, 60),
)
MAIL_INTAKE = Counter(
    "supportdesk_mail_intake",
    "Inbound mails handled, by source kind (cli, imap, webhook) and outcome.",
    ["source", "status"],
)

Collector = Callable[[], Iterable[Metric]]
_collectors: list[Collector] = []


def register_collector(collect: Collector) -> None:
    """Add figures read at scrape time (from the database, so every process agrees)."""
    if collect not in _collectors:
        _collectors.append(collect)


def collectors() -> list[Collector]:
    return list(_collectors)


def source_kind(source: str) -> str:
    """``imap:general`` → ``imap``: one series per kind of source, not per mailbox."""
    return source.split(":", 1)[0] or "unknown"


def _task_name(task_result) -> str:
    return task_result.task.module_path.rsplit(".", 1)[-1]


def on_task_enqueued(sender, task_result, **kwargs) -> None:
    TASKS_ENQUEUED.labels(_task_name(task_result)).inc()


def on_task_finished(sender, task_result, **kwargs) -> None:
    name = _task_name(task_result)
    TASKS_FINISHED.labels(name, str(task_result.status)).inc()
    if task_result.started_at and task_result.finished_at:
        TASK_SECONDS.labels(name).observe(
            (task_result.finished_at - task_result.started_at).total_seconds()
        )


def connect() -> None:
    task_enqueued.connect(on_task_enqueued, dispatch_uid="supportdesk.metrics.enqueued")
    task_finished.connect(on_task_finished, dispatch_uid="supportdesk.metrics.finished")
