"""Actions on one ticket from its details and articles columns: take it, the
in-place controls, move to another inbox, link an article, reopen.

htmx requests get the changed partial back; plain requests a message and a
redirect to the ticket page."""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST
from django_htmx.http import HttpResponseClientRedirect, trigger_client_event

from articles.models import Article
from supportdesk.roles import AGENT, MANAGER, is_manager, role_required
from tickets.models import Ticket
from tickets.resolution import link_article, reopen_ticket
from tickets.services import (
    assign_ticket,
    claim_ticket,
    set_category,
    set_priority,
    set_status,
    transfer_ticket,
    user_label,
)
from tickets.ticket_forms import TransferForm
from tickets.views.ticket import (
    PAGE,
    _get_details_ticket,
    _get_ticket,
    articles_context,
    details_context,
    details_form,
    render_page,
)


def _back(ticket: Ticket) -> HttpResponse:
    return redirect("tickets:detail", number=ticket.pk)


def _part(
    request: HttpRequest, number: int, name: str, *, details=None, confirm_transfer=None
) -> HttpResponse:
    """One column of the freshly read ticket, read alone: what its swap replaces."""
    if name == "articles":
        context = articles_context(request, _get_ticket(request, number))
    else:
        ticket = _get_details_ticket(request, number)
        context = details_context(request, ticket, details=details)
        context["confirm_transfer"] = confirm_transfer
    return render(request, f"{PAGE}#{name}", context)


def _partial(request: HttpRequest, ticket: Ticket, name: str) -> HttpResponse:
    """Re-render one column and tell the page the ticket changed."""
    response = _part(request, ticket.pk, name)
    return trigger_client_event(response, "ticketChanged", {"number": ticket.pk})


def _done(
    request: HttpRequest, ticket: Ticket, text: str, *, level=messages.SUCCESS, part="details"
):
    if request.htmx:
        messages.add_message(request, level, text)
        return _partial(request, ticket, part)
    messages.add_message(request, level, text)
    return _back(ticket)


@require_POST
@role_required(AGENT)
def ticket_claim(request: HttpRequest, number: int) -> HttpResponse:
    """Take it: of two agents clicking at once exactly one wins; the other is told who."""
    ticket = _get_ticket(request, number)
    try:
        winner = claim_ticket(ticket, by=request.user)
    except ValidationError as error:
        return _done(request, ticket, error.messages[0], level=messages.ERROR)
    if winner == request.user:
        return _done(request, ticket, f"You took {ticket.number}.")
    return _done(
        request,
        ticket,
        f"{user_label(winner)} already took {ticket.number}.",
        level=messages.WARNING,
    )


@require_POST
@role_required(AGENT)
def ticket_update(request: HttpRequest, number: int) -> HttpResponse:
    """Status, priority, category, assignee: whichever changed is saved and audited."""
    ticket = _get_ticket(request, number)
    form = details_form(ticket, request.POST)
    if not form.is_valid():
        if request.htmx:
            # htmx swaps only 2xx answers, so the errors come back with a 200.
            return _part(request, ticket.pk, "details", details=form)
        messages.error(request, "That change could not be saved: " + form.errors.as_text())
        return _back(ticket)
    data, by = form.cleaned_data, request.user
    try:
        # All of the change or none of it, should a solve land in between.
        with transaction.atomic():
            if data["status"] != ticket.status:
                set_status(ticket, status=data["status"], by=by)
            if data["priority"] != ticket.priority:
                set_priority(ticket, priority=data["priority"], by=by)
            if data["category"] != ticket.category:
                set_category(ticket, category=data["category"], by=by)
            if data["assignee"] != ticket.assignee:
                assign_ticket(ticket, assignee=data["assignee"], by=by)
    except ValidationError as error:
        return _done(request, ticket, error.messages[0], level=messages.ERROR)
    return _done(request, ticket, f"Saved {ticket.number}.")


@require_POST
@role_required(AGENT, MANAGER)
def ticket_assign(request: HttpRequest, number: int) -> HttpResponse:
    """Reassign alone: how managers, who read tickets without working them, move
    one to someone else (or to nobody)."""
    ticket = _get_ticket(request, number)
    choice = request.POST.get("assignee", "")
    assignee = None
    if choice:
        members = ticket.inbox.members.filter(is_active=True)
        assignee = members.filter(pk=int(choice)).first() if choice.isdigit() else None
        if assignee is None:
            text = f"Pick a member of {ticket.inbox.name}: only they can take its tickets."
            return _done(request, ticket, text, level=messages.ERROR)
    try:
        assign_ticket(ticket, assignee=assignee, by=request.user)
    except ValidationError as error:
        return _done(request, ticket, error.messages[0], level=messages.ERROR)
    return _done(
        request, ticket, f"{ticket.number} assigned to {user_label(assignee) or 'nobody'}."
    )


@require_POST
@role_required(AGENT)
def ticket_transfer(request: HttpRequest, number: int) -> HttpResponse:
    """Move to another inbox. Moving it out of one's own inboxes loses access:
    say so and ask to confirm, then send the agent back to their queues."""
    ticket = _get_ticket(request, number)
    form = TransferForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Pick the inbox to move the ticket to.")
        return _back(ticket) if not request.htmx else _partial(request, ticket, "details")
    inbox = form.cleaned_data["to_inbox"]
    loses_access = not (
        is_manager(request.user) or request.user.inboxes.filter(pk=inbox.pk).exists()
    )
    if loses_access and not form.cleaned_data["confirm"]:
        if request.htmx:
            return _part(request, ticket.pk, "details", confirm_transfer=inbox)
        return render_page(request, ticket.pk, confirm_transfer=inbox, status=409)
    holder = ticket.assignee_id
    try:
        moved = transfer_ticket(ticket, inbox=inbox, by=request.user)
    except ValidationError as error:
        return _done(request, ticket, error.messages[0], level=messages.ERROR)
    if holder and moved.assignee_id is None:
        messages.warning(
            request,
            f"{user_label(get_user_model().objects.get(pk=holder))} no longer holds "
            f"{ticket.number}: only agents of {inbox.name} can.",
        )
    if loses_access:
        messages.success(
            request, f"Moved {ticket.number} to {inbox.name}. You no longer have access to it."
        )
        queue = _queue_url()
        return HttpResponseClientRedirect(queue) if request.htmx else redirect(queue)
    return _done(request, ticket, f"Moved {ticket.number} to {inbox.name}.")


@require_POST
@role_required(AGENT)
def ticket_link(request: HttpRequest, number: int) -> HttpResponse:
    """Link an article without sending it (the exact published revision)."""
    ticket = _get_ticket(request, number)
    article_id = request.POST.get("article", "")
    if not article_id.isdigit():
        raise Http404("No such article.")
    article = get_object_or_404(Article.objects.published(), pk=article_id)
    if not ticket.is_open:
        return _done(
            request,
            ticket,
            f"Ticket {ticket.number} is {ticket.status}; reopen it to link articles.",
            level=messages.ERROR,
            part="articles",
        )
    link = link_article(ticket, article=article, by=request.user)
    return _done(
        request,
        ticket,
        f"Linked “{link.revision.title}” (revision {link.revision.number}).",
        part="articles",
    )


@require_POST
@role_required(AGENT)
def ticket_reopen(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _get_ticket(request, number)
    try:
        broken = reopen_ticket(ticket, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return _reload(request, ticket)
    note = " Its resolution did not hold." if broken else ""
    messages.success(request, f"Reopened {ticket.number}.{note}")
    return _reload(request, ticket)


def _queue_url() -> str:
    return reverse("tickets:queue")


def _reload(request: HttpRequest, ticket: Ticket) -> HttpResponse:
    """The whole page changes (composer, controls): load it again."""
    if request.htmx:
        return HttpResponseClientRedirect(reverse("tickets:detail", args=[ticket.pk]))
    return _back(ticket)
