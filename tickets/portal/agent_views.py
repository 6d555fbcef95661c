"""The agents' side of the customer's links and ratings: revoking links, and the
bad ratings waiting for a second look."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST

from supportdesk.roles import AGENT, MANAGER, role_required
from tickets.models import Satisfaction, Ticket, TicketAccess
from tickets.portal import links
from tickets.portal.services import mark_reviewed
from tickets.views.ticket import _get_ticket

LIST_LIMIT = 200


@require_POST
@role_required(AGENT)
def customer_links_revoke(request: HttpRequest, number: int) -> HttpResponse:
    """Revoke this ticket's links, or (scope=customer) the customer's links on every
    ticket this agent may see (a manager: all of them)."""
    ticket = _get_ticket(request, number)
    if request.POST.get("scope") == "customer":
        tickets = Ticket.objects.visible_to(request.user).filter(customer_id=ticket.customer_id)
        revoked = links.revoke(
            TicketAccess.objects.filter(customer_id=ticket.customer_id, ticket__in=tickets),
            by=request.user,
        )
        where = "on this customer's tickets"
    else:
        revoked = links.revoke(TicketAccess.objects.filter(ticket=ticket), by=request.user)
        where = "of this ticket"
    messages.success(
        request,
        f"Revoked {revoked} link{'s' if revoked != 1 else ''} {where}. "
        "The customer's next mail from us carries a new one.",
    )
    return redirect("tickets:detail", number=ticket.pk)


def _ratings(request: HttpRequest):
    tickets = Ticket.objects.visible_to(request.user)
    return Satisfaction.objects.filter(resolution__ticket__in=tickets)


@require_GET
@role_required(AGENT, MANAGER)
def satisfaction_list(request: HttpRequest) -> HttpResponse:
    """Bad ratings waiting for a second look (``?show=bad``: every bad one,
    ``?show=all``: every rating), newest first."""
    show = request.GET.get("show", "second-look")
    ratings = _ratings(request)
    if show == "second-look":
        ratings = ratings.second_look()
    elif show == "bad":
        ratings = ratings.filter(rating=Satisfaction.Rating.BAD)
    ratings = ratings.select_related(
        "resolution__ticket", "resolution__solved_by", "reviewed_by"
    ).order_by("-rated_at", "-id")[:LIST_LIMIT]
    context = {"ratings": ratings, "show": show}
    return render(request, "tickets/satisfaction.html", context)


@require_POST
@role_required(AGENT, MANAGER)
def satisfaction_reviewed(request: HttpRequest, pk: int) -> HttpResponse:
    satisfaction = get_object_or_404(_ratings(request), pk=pk)
    mark_reviewed(satisfaction, by=request.user)
    messages.success(request, f"Marked the rating of #{satisfaction.resolution.ticket_id} seen.")
    return redirect("tickets:satisfaction")
