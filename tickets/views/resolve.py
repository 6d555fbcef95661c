"""The solve dialog: what resolved the ticket, and its category."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from django_htmx.http import HttpResponseClientRedirect

from supportdesk.roles import AGENT, role_required
from tickets.portal.mail import notify_solved
from tickets.resolution import solve_ticket
from tickets.ticket_forms import SolveForm
from tickets.views.ticket import _get_ticket

PAGE = "tickets/ticket_solve.html"


@require_http_methods(["GET", "POST"])
@role_required(AGENT)
def ticket_solve(request: HttpRequest, number: int) -> HttpResponse:
    """A page of its own without JavaScript; inside a <dialog> on the ticket page with htmx."""
    ticket = _get_ticket(request, number)
    template = f"{PAGE}#solve-form" if request.htmx else PAGE
    if not ticket.is_open:
        messages.error(request, f"Ticket {ticket.number} is already {ticket.status}.")
        return _to_ticket(request, ticket)
    form = SolveForm(request.POST or None, ticket=ticket)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            resolution = solve_ticket(
                ticket,
                kind=data["kind"],
                by=request.user,
                links=data["links"] if data["kind"] == "article" else (),
                note=data["note"],
                category=data["category"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            notify_solved(resolution)  # the customer's rating mail, after commit
            messages.success(request, f"Solved {ticket.number}.")
            return _to_ticket(request, ticket)
    # htmx swaps only 2xx answers: the dialog shows its errors with a 200.
    status = 400 if form.is_bound and not request.htmx else 200
    return render(request, template, {"ticket": ticket, "form": form}, status=status)


def _to_ticket(request: HttpRequest, ticket) -> HttpResponse:
    if request.htmx:
        return HttpResponseClientRedirect(reverse("tickets:detail", args=[ticket.pk]))
    return redirect("tickets:detail", number=ticket.pk)
