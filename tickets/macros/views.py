"""Macros: the list, the form (new and edit), delete, the picker on a ticket,
and applying one to a ticket.

Every macro is found through ``Macro.objects.visible_to`` (a macro of an inbox
one cannot see is a 404); editing checks ``Macro.can_edit`` (403)."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST
from django_htmx.http import HttpResponseClientRedirect

from supportdesk.inputs import text_param
from supportdesk.roles import AGENT, MANAGER, role_required
from tickets.macros.forms import MacroForm
from tickets.macros.placeholders import PLACEHOLDERS
from tickets.macros.services import apply_macro, macro_text
from tickets.models import Macro, Ticket
from tickets.views.ticket import _get_ticket

LIST = "tickets/macros/macro_list.html"
FORM = "tickets/macros/macro_form.html"
PICKER = "tickets/macros/macro_picker.html"


def _macros(request: HttpRequest):
    return Macro.objects.visible_to(request.user).select_related(
        "inbox", "owner", "category", "article"
    )


def _get_macro(request: HttpRequest, macro_id: int) -> Macro:
    """THE access helper: the macro if this user may see it, 404 otherwise."""
    return get_object_or_404(_macros(request), pk=macro_id)


def _get_editable_macro(request: HttpRequest, macro_id: int) -> Macro:
    macro = _get_macro(request, macro_id)
    if not macro.can_edit(request.user):
        raise PermissionDenied("Shared macros are managed by managers.")
    return macro


@require_GET
@role_required(AGENT, MANAGER)
def macro_list(request: HttpRequest) -> HttpResponse:
    macros = list(_macros(request).order_by("inbox__position", "inbox__name", "title", "id"))
    for macro in macros:
        macro.editable = macro.can_edit(request.user)
    context = {
        "shared": [m for m in macros if m.is_shared],
        "personal": [m for m in macros if not m.is_shared],
        "placeholders": PLACEHOLDERS,
    }
    return render(request, LIST, context)


@require_http_methods(["GET", "POST"])
@role_required(AGENT, MANAGER)
def macro_new(request: HttpRequest) -> HttpResponse:
    form = MacroForm(request.POST or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        macro = form.save()
        messages.success(request, f"Saved the macro “{macro.title}”.")
        return redirect("tickets:macros")
    status = 400 if form.is_bound else 200
    return render(request, FORM, {"form": form, "macro": None}, status=status)


@require_http_methods(["GET", "POST"])
@role_required(AGENT, MANAGER)
def macro_edit(request: HttpRequest, macro_id: int) -> HttpResponse:
    macro = _get_editable_macro(request, macro_id)
    form = MacroForm(request.POST or None, instance=macro, user=request.user)
    if request.method == "POST" and form.is_valid():
        macro = form.save()
        messages.success(request, f"Saved the macro “{macro.title}”.")
        return redirect("tickets:macros")
    status = 400 if form.is_bound else 200
    return render(request, FORM, {"form": form, "macro": macro}, status=status)


@require_POST
@role_required(AGENT, MANAGER)
def macro_delete(request: HttpRequest, macro_id: int) -> HttpResponse:
    macro = _get_editable_macro(request, macro_id)
    macro.delete()
    messages.success(request, f"Deleted the macro “{macro.title}”.")
    return redirect("tickets:macros")


def usable_macros(request: HttpRequest, ticket: Ticket):
    return _macros(request).usable_on(ticket, request.user)


@require_GET
@role_required(AGENT)
def ticket_macros(request: HttpRequest, number: int) -> HttpResponse:
    """The picker: every macro usable on this ticket, with the reply it would
    send (placeholders filled in), filtered by title as one types."""
    ticket = _get_ticket(request, number)
    query = text_param(request.GET, "q")
    macros = usable_macros(request, ticket).select_related("article__published_revision")
    if query:
        macros = macros.filter(Q(title__icontains=query) | Q(body__icontains=query))
    macros = list(macros.order_by("-usage_count", "title", "id")[:50])
    for macro in macros:
        macro.preview = macro_text(macro, ticket=ticket, agent=request.user)
    context = {"ticket": ticket, "macros": macros, "query": query}
    if request.htmx and request.htmx.target == "macro-results":
        return render(request, f"{PICKER}#macro-results", context)
    return render(request, PICKER, context)


@require_POST
@role_required(AGENT)
def ticket_macro_apply(request: HttpRequest, number: int, macro_id: int) -> HttpResponse:
    """Apply a macro in one request: reply, article, status, priority, category, tags."""
    ticket = _get_ticket(request, number)
    macro = get_object_or_404(usable_macros(request, ticket), pk=macro_id)
    try:
        applied = apply_macro(ticket, macro=macro, by=request.user)
    except ValidationError as error:
        messages.error(request, f"“{macro.title}” was not applied: {error.messages[0]}")
    else:
        done = []
        if applied.reply is not None:
            done.append(f"reply queued for {ticket.customer.email}" if ticket.customer.email
                        else "reply saved")  # fmt: skip
        if applied.tags:
            done.append("tagged " + ", ".join(applied.tags))
        details = f": {'; '.join(done)}" if done else ""
        messages.success(request, f"Applied “{macro.title}” to {ticket.number}{details}.")
    url = reverse("tickets:detail", args=[ticket.pk])
    return HttpResponseClientRedirect(url) if request.htmx else redirect(url)
