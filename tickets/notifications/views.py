"""The bell, the notifications page, marking read. Only the user's own
notifications, and only about tickets they may still see (Ticket.visible_to)."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from supportdesk.roles import AGENT, MANAGER, role_required
from tickets.models import Notification, Ticket

PAGE_SIZE = 50
# The bell shows "99+" beyond this; counting further would cost for nothing.
BELL_MAX = 99
# How often the bell asks; docs/benchmarks.md has what one ask costs.
POLL_SECONDS = 30


def mine(user):
    """The user's notifications about tickets they may see now."""
    return Notification.objects.filter(
        recipient=user, ticket__in=Ticket.objects.visible_to(user).values("pk")
    )


def unread_count(user) -> int:
    return mine(user).filter(read_at__isnull=True)[: BELL_MAX + 1].count()


def _get_notification(request: HttpRequest, notification_id: int) -> Notification:
    return get_object_or_404(mine(request.user), pk=notification_id)


@require_GET
@role_required(AGENT, MANAGER)
def notification_bell(request: HttpRequest) -> HttpResponse:
    """The header's bell with the unread count: what htmx polls."""
    return render(
        request,
        "notifications/_bell.html",
        {"bell_count": unread_count(request.user), "bell_max": BELL_MAX, "poll": POLL_SECONDS},
    )


@require_GET
@role_required(AGENT, MANAGER)
def notification_list(request: HttpRequest) -> HttpResponse:
    rows = list(
        mine(request.user)
        .select_related("ticket", "actor")
        .order_by("-created_at", "-id")[:PAGE_SIZE]
    )
    return render(
        request,
        "notifications/list.html",
        {
            "rows": rows,
            "unread": sum(1 for row in rows if not row.is_read),
            "page_size": PAGE_SIZE,
        },
    )


@require_POST
@role_required(AGENT, MANAGER)
def notification_open(request: HttpRequest, notification_id: int) -> HttpResponse:
    """Mark it read and go to its ticket."""
    notification = _get_notification(request, notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect("tickets:detail", number=notification.ticket_id)


@require_POST
@role_required(AGENT, MANAGER)
def notification_read(request: HttpRequest, notification_id: int) -> HttpResponse:
    notification = _get_notification(request, notification_id)
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return redirect("notifications:list")


@require_POST
@role_required(AGENT, MANAGER)
def notification_read_all(request: HttpRequest) -> HttpResponse:
    mine(request.user).filter(read_at__isnull=True).update(read_at=timezone.now())
    return redirect("notifications:list")
