"""Tags on the ticket page (add, remove) and the tag autocomplete."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from supportdesk.inputs import text_param
from supportdesk.roles import AGENT, MANAGER, role_required
from tickets.tags.services import add_tags, parse_tags, remove_tag, tag_suggestions
from tickets.views.ticket import PAGE, _get_details_ticket, _get_ticket, details_context


def _tags_part(request: HttpRequest, number: int, *, error: str = "", typed: str = ""):
    context = details_context(request, _get_details_ticket(request, number))
    context |= {"tag_error": error, "tag_typed": typed}
    return render(request, f"{PAGE}#ticket-tags", context)


@require_POST
@role_required(AGENT)
def ticket_tags(request: HttpRequest, number: int) -> HttpResponse:
    """Add the typed tags (comma-separated), or remove one (``remove``)."""
    ticket = _get_ticket(request, number)
    typed = text_param(request.POST, "tags")
    removing = text_param(request.POST, "remove")
    try:
        if removing:
            changed = remove_tag(ticket, name=removing, by=request.user)
            text = f"Removed the tag {removing}." if changed else ""
        else:
            added = add_tags(ticket, names=parse_tags(typed), by=request.user)
            text = f"Tagged {ticket.number}: {', '.join(added)}." if added else ""
    except ValidationError as error:
        if request.htmx:
            # htmx swaps only 2xx answers: the error comes back with a 200, the text kept.
            return _tags_part(request, number, error=error.messages[0], typed=typed)
        messages.error(request, error.messages[0])
        return redirect("tickets:detail", number=ticket.pk)
    if request.htmx:
        response = _tags_part(request, number)
        return trigger_client_event(response, "ticketChanged", {"number": ticket.pk})
    if text:
        messages.success(request, text)
    return redirect("tickets:detail", number=ticket.pk)


@require_GET
@role_required(AGENT, MANAGER)
def tag_suggest(request: HttpRequest) -> HttpResponse:
    """Options for the tag input's <datalist>: tags on tickets this user may see."""
    # "tags" on the ticket page (comma-separated), "tag" in the queue's filter and bulk bar.
    typed = text_param(request.GET, "tags") or text_param(request.GET, "tag")
    # Autocomplete the last of the comma-separated names being typed.
    last = typed.rsplit(",", 1)[-1].strip()
    head = typed[: len(typed) - len(typed.rsplit(",", 1)[-1])]
    names = tag_suggestions(request.user, last) if last else []
    context = {"names": names, "head": head.strip()}
    return render(request, "tickets/tags/suggestions.html", context)
