"""A manager erases a customer's data: a page saying what will go, and a POST
that needs the address typed again (there is no undo)."""

from django import forms
from django.contrib import messages
from django.db.models import Count
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from supportdesk.roles import MANAGER, role_required
from tickets.customers.erasure import erase_customer, find_customer
from tickets.models import Attachment, InboundEmail, Message


class EraseForm(forms.Form):
    confirm = forms.CharField(max_length=254, label="Type the customer's email address to confirm")

    def __init__(self, *args, email: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.email = email

    def clean_confirm(self) -> str:
        typed = self.cleaned_data["confirm"].strip()
        if typed.lower() != self.email.lower():
            raise forms.ValidationError("That is not this customer's address: nothing was erased.")
        return typed


@require_http_methods(["GET", "POST"])
@role_required(MANAGER)
def customer_erase(request: HttpRequest, email: str) -> HttpResponse:
    customer = find_customer(email)
    if customer is None:
        raise Http404("No customer with that email.")
    form = EraseForm(request.POST or None, email=customer.email)
    if request.method == "POST" and form.is_valid():
        erasure = erase_customer(customer, by=request.user, request=request)
        # The message is kept in the session: no address in it.
        messages.success(request, f"Customer data erased: {erasure.summary() or 'nothing kept'}.")
        return redirect("home")
    tickets = customer.tickets.aggregate(n=Count("pk"))["n"]
    counts = {
        "tickets": tickets,
        "messages": Message.objects.filter(ticket__customer=customer).count(),
        "attachments": Attachment.objects.filter(ticket__customer=customer).count(),
        "raw_mails": InboundEmail.objects.filter(ticket__customer=customer).count(),
    }
    context = {"customer": customer, "form": form, "counts": counts}
    return render(request, "customers/customer_erase.html", context)
