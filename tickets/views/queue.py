"""The queues: across the user's inboxes and per inbox, bulk actions, the
sidebar's live counts, the home panel and the top-bar search."""

import re

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from supportdesk.roles import AGENT, MANAGER, is_agent, is_manager, role_required
from tickets import home
from tickets.models import Inbox, Ticket
from tickets.nav import sidebar, visible_inboxes
from tickets.queues import bulk
from tickets.queues import filters as queues
from tickets.queues.forms import BulkForm, TicketFilterForm
from tickets.queues.members import members, members_query
from tickets.search.query import search_tickets
from tickets.services import user_label

SEARCH_LIMIT = 20
TYPED = ("q", "customer", "created_after", "created_before", "tag")
HIDDEN = ("article", "resolved_by", "solved_after", "solved_before")


def _render_queue(request: HttpRequest, *, inbox: Inbox | None) -> HttpResponse:
    inboxes = [inbox] if inbox else visible_inboxes(request.user)
    assignees, categories = members(inboxes), queues.issue_categories()
    form = TicketFilterForm(request.GET, assignees=assignees, categories=categories)
    filters = form.filters()
    after, before = form.cursor()
    if queues.only_view_and_sort(filters) and not (after or before):
        page = queues.first_page(user=request.user, inbox=inbox, filters=filters)
    else:
        tickets = queues.queue_tickets(user=request.user, inbox=inbox, filters=filters)
        # Only the columns a row shows (every column was half the page's query time).
        rows = queues.queue_rows(tickets)
        page = queues.keyset_page(rows, queues.SORTS[filters.sort], after=after, before=before)
        page.rows = [queues.QueueRow(row) for row in page.rows]
    queues.attach_related(page.rows, inboxes=inboxes, assignees=assignees, categories=categories)
    context = {
        "inbox": inbox,
        "inboxes": inboxes,
        # Where the bulk bar can move tickets (read once per request, as the sidebar's).
        "move_inboxes": visible_inboxes(request.user),
        "form": form,
        "filters": filters,
        "page": page,
        "views": queues.VIEWS,
        "view_label": queues.VIEWS[filters.view],
        "selects": form.selects(),
        # The bulk bar offers the same people as the assignee filter.
        "assignees": [(str(user.pk), user_label(user)) for user in assignees if user.agent],
        "typed": {name: form.typed(name) for name in TYPED},
        # Filters without a control in the bar (links from reports) ride along.
        "hidden": [(name, form.typed(name)) for name in HIDDEN if form.typed(name)],
        "chips": _removable(request, form.chips()),
        "empty_message": _empty_message(filters, inbox=inbox, filtered=bool(form.chips())),
    }
    if request.htmx.target == "ticket-table":
        return render(request, "tickets/queue.html#ticket-table", context)
    return render(request, "tickets/queue.html", context)


def _removable(request: HttpRequest, chips: list) -> list[tuple[str, str, str, str]]:
    """Each active filter with the URL of the same queue without it."""
    removable = []
    for name, label, shown in chips:
        query = request.GET.copy()
        for key in (name, "after", "before"):
            query.pop(key, None)
        removable.append((name, label, shown, f"{request.path}?{query.urlencode()}"))
    return removable


EMPTY = {
    "mine": "Nothing assigned to you",
    "unassigned": "Nothing unassigned",
    "open": "Nothing open",
    "pending": "Nothing pending",
    "solved": "Nothing solved",
    "all": "No tickets",
    "breaching": "Nothing due within the hour",
}


def _empty_message(filters: queues.Filters, *, inbox: Inbox | None, filtered: bool) -> str:
    where = f"in {inbox.name}" if inbox else "in your inboxes"
    extra = " with these filters" if filtered else ""
    return f"{EMPTY[filters.view]} {where}{extra}."


@require_GET
@role_required(AGENT, MANAGER)
def ticket_queue(request: HttpRequest) -> HttpResponse:
    return _render_queue(request, inbox=None)


@require_GET
@role_required(AGENT, MANAGER)
def inbox_queue(request: HttpRequest, inbox_slug: str) -> HttpResponse:
    inbox = get_object_or_404(Inbox.objects.visible_to(request.user), slug=inbox_slug)
    return _render_queue(request, inbox=inbox)


def _back_to(request: HttpRequest, target: str) -> str:
    # A path on this site only: anything else would be taken for a URL name by redirect().
    if (
        target.startswith("/")
        and "\x00" not in target
        and url_has_allowed_host_and_scheme(target, {request.get_host()})
    ):
        return target
    return reverse("tickets:queue")


@require_POST
@role_required(AGENT)
def ticket_bulk(request: HttpRequest) -> HttpResponse:
    form = BulkForm(request.POST)
    target = _back_to(request, request.POST.get("next", ""))
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
    else:
        data = form.cleaned_data
        _report(request, _bulk_action(request, data))
    if request.htmx:
        return trigger_client_event(HttpResponseClientRedirect(target), "tickets-changed")
    return redirect(target)


def _bulk_action(request: HttpRequest, data: dict) -> bulk.BulkResult | None:
    ids, by = data["tickets"], request.user
    match data["action"]:
        case "assign":
            return _assign(request, ids, data["assignee"])
        case "priority":
            return bulk.set_tickets_priority(ids, priority=data["priority"], by=by)
        case "solve":
            return bulk.solve_tickets(ids, kind=data["resolution"], note=data["note"], by=by)
        case "move":
            # Only to an inbox of the acting user's: a move never hides tickets from them.
            inbox = Inbox.objects.filter(members=by, slug=data["inbox"]).first()
            if inbox is None:
                messages.error(request, "You can only move tickets to one of your inboxes.")
                return None
            return bulk.move_tickets(ids, inbox=inbox, by=by)
        case "tag":
            return bulk.tag_tickets(ids, name=data["tag"], by=by)
        case "untag":
            return bulk.untag_tickets(ids, name=data["tag"], by=by)
    return bulk.set_tickets_status(ids, status=data["status"], by=by)


def _assign(request: HttpRequest, ids: list[int], choice: str) -> bulk.BulkResult | None:
    if choice == "none":
        return bulk.assign_tickets(ids, assignee=None, by=request.user)
    if choice == "me":
        return bulk.assign_tickets(ids, assignee=request.user, by=request.user)
    # Only an agent of an inbox the acting user sees can be picked.
    assignee = members_query(Inbox.objects.visible_to(request.user)).filter(pk=choice).first()
    if assignee is None:
        messages.error(request, "That person is not a member of your inboxes.")
        return None
    if not assignee.agent:
        messages.error(
            request,
            f"Tickets go only to agents of their inbox; {user_label(assignee)} is not an "
            "agent. Nothing was changed.",
        )
        return None
    return bulk.assign_tickets(ids, assignee=assignee, by=request.user)


def _report(request: HttpRequest, result: bulk.BulkResult | None) -> None:
    if result is None:
        return
    plural = "s" if result.changed != 1 else ""
    messages.success(request, f"Updated {result.changed} ticket{plural}.")
    if result.skipped:
        messages.warning(
            request,
            f"Skipped {result.skipped}: solved or closed tickets change only by reopening, "
            "tickets go only to agents of their inbox, and solving by article needs "
            "an article linked to the ticket.",
        )


@require_GET
@role_required(AGENT, MANAGER)
def ticket_nav(request: HttpRequest) -> HttpResponse:
    """The sidebar's inbox counts, refreshed by htmx every minute and after actions."""
    return render(request, "tickets/_nav.html", {"nav": sidebar(request)})


def home_panel(request: HttpRequest) -> dict | None:
    """What the home page shows of tickets for this user; None shows nothing."""
    return home.home_panel(request)


def search_results(request: HttpRequest, query: str) -> list[Ticket] | None:
    """Tickets matching the top-bar search that this user may see; None for
    roles that work no tickets (the section is not shown)."""
    if not (is_agent(request.user) or is_manager(request.user)):
        return None
    tickets = search_tickets(Ticket.objects.visible_to(request.user), query)
    return list(
        tickets.select_related("customer", "inbox", "assignee").order_by("-updated_at", "-id")[
            :SEARCH_LIMIT
        ]
    )


TICKET_NUMBER = re.compile(r"#(\d{1,12})")


def ticket_by_number(request: HttpRequest, query: str) -> Ticket | None:
    """The ticket a search for "#309" means, if this user may see it."""
    number = TICKET_NUMBER.fullmatch(query.strip())
    if number is None or not (is_agent(request.user) or is_manager(request.user)):
        return None
    return Ticket.objects.visible_to(request.user).filter(pk=int(number.group(1))).first()
