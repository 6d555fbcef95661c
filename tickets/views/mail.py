"""Quarantined mail: the list, retry, discard, and the raw copy.

Who sees what: an agent sees quarantined mail that was routed to an inbox they
belong to (it failed later, e.g. no sender); mail that matched no inbox could
be anyone's, so only managers (and superusers) see it (InboundEmail.objects.visible_to).
Managers also see each IMAP mailbox's last poll and error here.
"""

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import trigger_client_event

from supportdesk.roles import AGENT, MANAGER, is_manager, role_required
from tickets.mail import inbound
from tickets.models import ImapMailbox, InboundEmail, Ticket

PAGE_SIZE = 100


def _quarantined(request: HttpRequest):
    return InboundEmail.objects.visible_to(request.user).filter(
        status=InboundEmail.Status.QUARANTINED
    )


def _get_inbound(request: HttpRequest, pk: int) -> InboundEmail:
    return get_object_or_404(_quarantined(request), pk=pk)


@require_GET
@role_required(AGENT, MANAGER)
def quarantine_list(request: HttpRequest) -> HttpResponse:
    mailboxes = (
        ImapMailbox.objects.select_related("inbox").order_by("inbox__position", "pk")
        if is_manager(request.user)
        else ImapMailbox.objects.none()
    )
    context = {**_context(request), "mailboxes": mailboxes}
    return render(request, "tickets/quarantine.html", context)


def _context(request: HttpRequest) -> dict:
    rows = (
        _quarantined(request)
        .select_related("inbox")
        .defer("raw")
        .order_by("-received_at", "-id")[:PAGE_SIZE]
    )
    return {"rows": rows, "page_size": PAGE_SIZE}


def _after_action(request: HttpRequest, text: str, level: int) -> HttpResponse:
    messages.add_message(request, level, text)
    if request.htmx:
        response = render(request, "tickets/quarantine.html#quarantine-table", _context(request))
        return trigger_client_event(response, "quarantine-changed")
    return redirect("tickets:quarantine")


@require_POST
@role_required(AGENT, MANAGER)
def quarantine_retry(request: HttpRequest, pk: int) -> HttpResponse:
    result = inbound.retry(_get_inbound(request, pk))
    if result.status == InboundEmail.Status.PROCESSED:
        return _after_action(request, f"Mail {pk} filed on ticket #{result.ticket_id}.",
                             messages.SUCCESS)  # fmt: skip
    if result.status == InboundEmail.Status.DUPLICATE:
        return _after_action(request, f"Mail {pk} was a duplicate: {result.reason}.",
                             messages.INFO)  # fmt: skip
    return _after_action(request, f"Mail {pk} is still quarantined: {result.reason}",
                         messages.WARNING)  # fmt: skip


@require_POST
@role_required(AGENT, MANAGER)
def quarantine_discard(request: HttpRequest, pk: int) -> HttpResponse:
    inbound.discard(_get_inbound(request, pk), by=request.user)
    return _after_action(request, f"Mail {pk} discarded; its raw copy is kept.", messages.INFO)


@require_GET
@role_required(AGENT, MANAGER)
def quarantine_raw(request: HttpRequest, pk: int) -> HttpResponse:
    """The mail as received, as a download (never rendered: it is untrusted)."""
    mail = _get_inbound(request, pk)
    response = HttpResponse(bytes(mail.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="mail-{mail.pk}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@require_GET
@role_required(AGENT, MANAGER)
def message_original(request: HttpRequest, number: int, message_id: int) -> HttpResponse:
    """A filed mail as received, for the ticket's agents: attachments too large
    (or refused) to keep as files are still in it, whole."""
    ticket = get_object_or_404(Ticket.objects.visible_to(request.user), pk=number)
    mail = (
        InboundEmail.objects.filter(message_id=message_id, message__ticket=ticket)
        .order_by("pk")
        .first()
    )
    if mail is None:
        raise Http404("No original mail for this message.")
    response = HttpResponse(bytes(mail.raw), content_type="message/rfc822")
    response["Content-Disposition"] = f'attachment; filename="mail-{mail.pk}.eml"'
    response["X-Content-Type-Options"] = "nosniff"
    return response
