"""The tickets part of the sidebar: each visible inbox with its views and live counts."""

from dataclasses import dataclass
from urllib.parse import parse_qs, urlsplit

from django.db import router
from django.http import HttpRequest

from supportdesk.db.kept import kept_instances, with_id
from supportdesk.roles import is_agent, is_manager, role_names
from supportdesk.templatetags.kept_urls import kept_reverse
from tickets.models import Inbox
from tickets.queues import live_counts
from tickets.queues.filters import VIEWS

# The queue's named views that the sidebar counts (its counts follow
# ``queues.view_filter``: keep the two in step).
NAV_VIEWS = ("mine", "unassigned", "open", "pending", "solved")
LABELS = {view: VIEWS[view] for view in NAV_VIEWS}


@dataclass(frozen=True)
class NavLink:
    label: str
    url: str
    count: int
    current: bool


def visible_inboxes(user) -> list[Inbox]:
    """The user's visible inboxes, read once per request (sidebar, page, panel)."""
    cached = getattr(user, "_visible_inboxes", None)
    if cached is None:
        # The visibility rule's SQL depends on the user's roles and id alone.
        shape = ("visible_inboxes", role_names(user), user.is_superuser)
        cached = user._visible_inboxes = kept_instances(
            Inbox,
            shape,
            lambda ids: Inbox.objects.visible_to(with_id(user, ids[0])),
            [user.pk],
            alias=router.db_for_read(Inbox),
        )
    return cached


def inbox_counts(user, inboxes: list[Inbox]) -> dict[int, dict[str, int]]:
    """Per inbox id, the size of each named view: ONE query of the live counts'
    roll-up, made once per request (the sidebar and the home panel share it)."""
    cached = getattr(user, "_inbox_counts", None)
    if cached is not None and cached[0] == [inbox.pk for inbox in inboxes]:
        return cached[1]
    counts = {inbox.pk: dict.fromkeys(NAV_VIEWS, 0) for inbox in inboxes}
    for inbox_id, status, n, unassigned, mine in live_counts.counts(user, list(counts)):
        views = counts[inbox_id]
        if status == "solved":
            views["solved"] += n
            continue
        views["open" if status in ("new", "open") else "pending"] += n
        views["unassigned"] += unassigned
        views["mine"] += mine
    user._inbox_counts = ([inbox.pk for inbox in inboxes], counts)
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
    inboxes = visible_inboxes(user)
    counts = inbox_counts(user, inboxes)
    path, view = _current(request)
    sections = []
    for inbox in inboxes:
        base = kept_reverse("tickets:inbox_queue", inbox.slug)
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
    queue = kept_reverse("tickets:queue")
    return {
        "sections": sections,
        # Every ticket the user may see, whatever its status (the queue alone is the Open view).
        "all_url": queue + "?view=all",
        "all_current": path == queue and view == "all",
        # SLA (issue 15): overdue or due within the hour, across the user's inboxes.
        # No count here: the sidebar is on every page and refreshes every minute.
        "breaching_url": queue + "?view=breaching",
        "breaching_current": path == queue and view == "breaching",
        "new_ticket_url": kept_reverse("tickets:new") if agent else "",
    }
