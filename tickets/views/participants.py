"""A ticket's participants (add, remove) and the reply preview of the composer.

Both find their ticket through ``ticket._get_ticket``, the visibility rule's one door:
an agent outside Billing gets a 404 for a Billing ticket's participants or preview."""

import hashlib
import re

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.clickjacking import xframe_options_sameorigin
from django.views.decorators.http import require_GET, require_POST

from supportdesk.roles import AGENT, role_required
from tickets.mail.outbound import mail_parts, reply_recipients, reply_subject
from tickets.mail.participants import add_participant, participant_lists, remove_participant
from tickets.models import Ticket
from tickets.portal.links import TOKEN_LENGTH, mail_footer
from tickets.ticket_forms import ComposerForm
from tickets.views.ticket import _get_ticket, participants_context

PARTIAL = "tickets/_participants.html"
PREVIEW = "tickets/reply_preview.html"
PREVIEW_SECONDS = 15 * 60
# The frame's address names the preview by 32 hex digits (a hash of its HTML).
PREVIEW_TOKEN = re.compile(r"[0-9a-f]{32}")
# Stands for the customer's link in a preview (each sent mail carries its own), as
# long as a real token so that the text part wraps as the mail will.
PREVIEW_LINK = "your-own-link-".ljust(TOKEN_LENGTH, "x")


def _changed(request: HttpRequest, number: int, done: str, error: str) -> HttpResponse:
    """htmx: the box again, freshly read (with the error); plain: a message and back."""
    if request.htmx:
        ticket = _get_ticket(request, number, **participant_lists())
        context = participants_context(request, ticket, error=error)
        return render(request, PARTIAL, context, status=400 if error else 200)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, done)
    return redirect(reverse("tickets:detail", args=[number]) + "#participants")


@require_POST
@role_required(AGENT)
def ticket_participant_add(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _get_ticket(request, number)
    email = request.POST.get("email", "")
    try:
        participant = add_participant(
            ticket, email=email, name=request.POST.get("name", ""), by=request.user
        )
    except ValidationError as error:
        return _changed(request, number, "", " ".join(error.messages))
    return _changed(request, number, f"{participant.email} now gets every reply on Cc.", "")


@require_POST
@role_required(AGENT)
def ticket_participant_remove(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _get_ticket(request, number)
    email = request.POST.get("email", "")
    try:
        removed = remove_participant(ticket, email=email, by=request.user)
    except ValidationError as error:
        return _changed(request, number, "", " ".join(error.messages))
    error = "" if removed else f"{email[:254]} is not a participant."
    return _changed(request, number, f"{email} no longer gets replies.", error)


@require_POST
@role_required(AGENT)
def ticket_reply_preview(request: HttpRequest, number: int) -> HttpResponse:
    """What the customer will receive for the composer's text: both parts, from the
    functions the outbound mail is built with, so the preview is the mail."""
    ticket = _get_ticket(request, number)
    limit = ComposerForm.base_fields["body"].max_length
    body = request.POST.get("body", "").replace("\x00", "")[:limit]
    to, cc = reply_recipients(ticket)
    # The mail ends with the customer's own signed link; the preview shows where it
    # goes without making one (each mail gets a fresh link as it is built).
    footer = mail_footer(ticket, token=PREVIEW_LINK)
    text, html = mail_parts(body + footer, ticket.inbox) if body.strip() else ("", "")
    # The HTML part is shown in a frame of its own, served with its own policy: it
    # keeps the inline styles mail needs, which the page's policy forbids.
    token = hashlib.sha256(html.encode()).hexdigest()[:32]
    if html:
        cache.set(_preview_key(request, ticket, token), html, PREVIEW_SECONDS)
    context = {
        "ticket": ticket,
        "preview_to": to,
        "preview_cc": cc,
        "preview_subject": reply_subject(ticket),
        "preview_text": text,
        "preview_token": token,
    }
    return render(request, f"{PREVIEW}#reply-preview" if request.htmx else PREVIEW, context)


def _preview_key(request: HttpRequest, ticket: Ticket, token: str) -> str:
    return f"reply-preview:{request.user.pk}:{ticket.pk}:{token}"


@require_GET
@role_required(AGENT)
@xframe_options_sameorigin
def ticket_reply_preview_html(request: HttpRequest, number: int, token: str) -> HttpResponse:
    """The HTML part of a previewed reply, for the preview's frame: only to the agent
    who previewed it, on a ticket they may see; no script, nothing from elsewhere."""
    ticket = _get_ticket(request, number)
    known = PREVIEW_TOKEN.fullmatch(token)
    html = cache.get(_preview_key(request, ticket, token)) if known else None
    if html is None:
        raise Http404("This preview has expired: type in the composer to see it again.")
    response = HttpResponse(html, content_type="text/html; charset=utf-8")
    response["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; sandbox"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response
