"""/healthz for the load balancer: answers without a session."""

from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

from tickets.operations import last_poll_seconds, oldest_waiting_seconds


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
            "oldest_task_waiting_s": oldest_waiting_seconds(),
            "last_mail_poll_s_ago": last_poll_seconds(),
        }
    except DatabaseError as error:
        return JsonResponse({"database": "unreachable", "error": str(error)[:200]}, status=503)
    return JsonResponse({"database": "ok", **figures})
