"""/healthz for the load balancer: answers without a session."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.db.models import Max
from django.http import HttpRequest, JsonResponse
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from django_tasks_db.models import DBTaskResult, get_date_max

from tickets.models import ImapMailbox


def _oldest_waiting_seconds() -> float | None:
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


def _last_poll_seconds() -> float | None:
    last = ImapMailbox.objects.filter(enabled=True).aggregate(last=Max("last_polled_at"))["last"]
    return None if last is None else round((timezone.now() - last).total_seconds(), 1)


@login_not_required
@never_cache
@require_GET
def healthz(request: HttpRequest) -> JsonResponse:
    """200 with the figures while the database answers, 503 when it does not. The
    task and mail figures are for monitoring: a stalled worker is no reason to
    take app servers out of the pool."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        figures = {
            "oldest_task_waiting_s": _oldest_waiting_seconds(),
            "last_mail_poll_s_ago": _last_poll_seconds(),
        }
    except DatabaseError as error:
        return JsonResponse({"database": "unreachable", "error": str(error)[:200]}, status=503)
    return JsonResponse({"database": "ok", **figures})
