"""A ticket typed in by an agent (phone, chat) in one of their inboxes."""

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from supportdesk.roles import AGENT, role_required
from tickets.services import create_ticket, get_or_create_customer
from tickets.ticket_forms import NewTicketForm


@require_http_methods(["GET", "POST"])
@role_required(AGENT)
def ticket_new(request: HttpRequest) -> HttpResponse:
    form = NewTicketForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        customer = get_or_create_customer(data["customer_email"], data["customer_name"])
        ticket = create_ticket(
            inbox=data["inbox"],
            customer=customer,
            subject=data["subject"],
            body_text=data["body"],
            by=request.user,
            channel=data["channel"],
        )
        messages.success(request, f"Created {ticket.number} in {ticket.inbox.name}.")
        return redirect("tickets:detail", number=ticket.pk)
    no_inbox = not form.fields["inbox"].queryset.exists()
    status = 400 if form.is_bound else 200
    return render(
        request, "tickets/ticket_new.html", {"form": form, "no_inbox": no_inbox}, status=status
    )
