"""Merge this ticket into another of the same inbox: pick, confirm, done."""

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from supportdesk.roles import AGENT, role_required
from tickets.merge.services import OtherCustomer, check_merge, merge_tickets
from tickets.models import Ticket
from tickets.views.ticket import _get_ticket, _tickets

PAGE = "tickets/ticket_merge.html"


class MergeForm(forms.Form):
    into = forms.IntegerField(
        label="Merge into ticket number",
        min_value=1,
        help_text="The ticket that stays, e.g. 1234.",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "off"}),
    )
    # Set by the confirmation step; merging never happens on the first submit.
    confirm = forms.BooleanField(required=False, widget=forms.HiddenInput)
    other_customer = forms.BooleanField(required=False, widget=forms.HiddenInput)


@require_http_methods(["GET", "POST"])
@role_required(AGENT)
def ticket_merge(request: HttpRequest, number: int) -> HttpResponse:
    """GET: the form; POST: the confirmation (what merges into what), then the merge."""
    ticket = _get_ticket(request, number)
    data = request.POST.copy() if request.method == "POST" else None
    if data is not None and "into" in data:
        data["into"] = data["into"].strip().lstrip("#")
    form = MergeForm(data)
    context = {"ticket": ticket, "form": form, "into": None, "other_customer": False}
    if request.method == "POST" and form.is_valid():
        # Only tickets this user may see; any other number is "not found", never "not yours".
        into = (
            _tickets(request).select_related("customer", "inbox")
            .filter(pk=form.cleaned_data["into"]).first()
        )  # fmt: skip
        if into is None:
            form.add_error("into", f"No ticket #{form.cleaned_data['into']} in your inboxes.")
        else:
            try:
                check_merge(ticket, into, other_customer=True)
            except ValidationError as error:
                form.add_error("into", error)
            else:
                context |= {"into": into, "other_customer": into.customer_id != ticket.customer_id}
                if form.cleaned_data["confirm"]:
                    return _merge(request, ticket, into, form)
    status = 400 if form.errors else 200
    return render(request, PAGE, context, status=status)


def _merge(request: HttpRequest, ticket: Ticket, into: Ticket, form: MergeForm) -> HttpResponse:
    try:
        merge_tickets(
            ticket,
            into=into,
            by=request.user,
            other_customer=form.cleaned_data["other_customer"],
            request=request,
        )
    except OtherCustomer as error:
        messages.error(request, error.messages[0])
        return redirect("tickets:merge", number=ticket.pk)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("tickets:detail", number=ticket.pk)
    messages.success(request, f"Merged {ticket.number} into {into.number}.")
    return redirect("tickets:detail", number=into.pk)
