"""The tickets part of the sidebar: each visible inbox with its views and live counts."""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.db.models import Count, Q
from django.http import HttpRequest
from django.urls import reverse

from supportdesk.roles import is_agent, is_manager
from tickets.models import Inbox, Ticket

OPEN = list(Ticket.OPEN_STATUSES)
NAV_VIEWS = ("mine", "unassigned", "open", "pending", "solved")
LABELS = {
    "mine": "Mine",
    "unassigned": "Unassigned",
    "open": "Open",
    "pending": "Pending",
    "solved": "Solved",
}


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    count: int
    current: bool


def inbox_counts(user, inboxes: list[Inbox]) -> dict[int, dict[str, int]]:
    """Per inbox id, the size of each named view: ONE aggregate query."""
    rows = (
        Ticket.objects.visible_to(user)
        .filter(inbox__in=[inbox.pk for inbox in inboxes], status__in=[*OPEN, "solved"])
        .order_by()
        .values("inbox")
        .annotate(
            mine=Count("pk", filter=Q(assignee=user, status__in=OPEN)),
            unassigned=Count("pk", filter=Q(assignee__isnull=True, status__in=OPEN)),
            open=Count("pk", filter=Q(status__in=["new", "open"])),
            pending=Count("pk", filter=Q(status="pending")),
            solved=Count("pk", filter=Q(status="solved")),
        )
    )
    counts = {inbox.pk: dict.fromkeys(NAV_VIEWS, 0) for inbox in inboxes}
    for row in rows:
        counts[row.pop("inbox")] = row
    return counts


def _current(request: HttpRequest) -> tuple[str, str]:
    """The page the sidebar is shown on (for htmx refreshes: the page that asked)."""
    url = request.get_full_path()
    if getattr(request, "htmx", False) and request.htmx.current_url:
        url = request.htmx.current_url
    parts = urlsplit(url)
    return parts.path, parse_qs(parts.query).get("view", [""])[0]


def sidebar(request: HttpRequest) -> dict:
    """Sidebar entries of the tickets app for this user (rendered by tickets/_nav.html)."""
    user = request.user
    agent = is_agent(user)
    if not (agent or is_manager(user)):
        return {}
    inboxes = list(Inbox.objects.visible_to(user))
    counts = inbox_counts(user, inboxes)
    path, view = _current(request)
    sections = []
    for inbox in inboxes:
        base = reverse("tickets:inbox_queue", args=[inbox.slug])
        names = NAV_VIEWS if agent else NAV_VIEWS[1:]  # managers are not assigned tickets
        links = [
            NavLink(
                label=LABELS[name],
                url=f"{base}?view={name}",
                count=counts[inbox.pk][name],
                current=path == base and view == name,
            )
            for name in names
        ]
        sections.append({"inbox": inbox, "links": links})
    return {
        "sections": sections,
        "all_url": reverse("tickets:queue"),
        "all_current": path == reverse("tickets:queue"),
        "new_ticket_url": "/tickets/new/" if agent else "",
    }
