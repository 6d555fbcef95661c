"""/help/tickets/<token>/: the customer's own ticket, opened by the link in our mail.

No sign-in: the token is the key. Every page here is private (never cached by
proxies), sends no Referer to other sites (the token is in the URL) and is kept out of search
engines. Every kind of bad link gets the same friendly page, so it never tells
whether a ticket exists.
"""

from collections.abc import Callable
from contextlib import suppress
from datetime import timedelta
from functools import wraps

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.exceptions import ValidationError
from django.db.models import Prefetch
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.html import linebreaks
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from articles.public import throttle
from articles.rendering import render_markdown
from tickets.models import Attachment, Message, Satisfaction, TicketAccess
from tickets.portal import links
from tickets.portal.forms import CustomerReplyForm, RatingForm
from tickets.portal.services import (
    latest_resolution,
    mark_solved_by_customer,
    rate_resolution,
    reply_as_customer,
)
from tickets.views.ticket import INLINE_TYPES

REQUESTS_PER_HOUR = 300
# Bad tokens per client: guessing stops long before it could find anything.
MISSES_PER_HOUR = 20
REPLIES_PER_HOUR = 10
RATINGS_PER_HOUR = 20


def _private(response: HttpResponse) -> HttpResponse:
    patch_cache_control(response, private=True, no_store=True)
    # The token is in the URL: no other site may see it in a Referer. (Not
    # "no-referrer": browsers then send "Origin: null" and CSRF refuses the forms.)
    response["Referrer-Policy"] = "same-origin"
    response["X-Robots-Tag"] = "noindex, nofollow"
    return response


def _refused(request: HttpRequest, *, status: int) -> HttpResponse:
    context = {
        "page_title": "This link does not work",
        "description": "",
        "days": settings.CUSTOMER_LINK_DAYS,
        "too_many": status == 429,
        "support_address": settings.SUPPORT_ADDRESS,
    }
    return render(request, "help/ticket_link_invalid.html", context, status=status)


def with_access(view: Callable) -> Callable:
    """Open the link's ticket for ``view(request, access, ...)``, or the friendly refusal."""

    @login_not_required
    @wraps(view)
    def wrapper(request: HttpRequest, token: str, *args, **kwargs) -> HttpResponse:
        client = throttle.client_key(request)
        if (
            not throttle.allow("ticket-link", client, limit=REQUESTS_PER_HOUR, seconds=3600)
            or throttle.used("ticket-link-miss", client) >= MISSES_PER_HOUR
        ):
            return _private(_refused(request, status=429))
        access = links.find_access(token)
        if access is None:
            throttle.allow("ticket-link-miss", client, limit=MISSES_PER_HOUR, seconds=3600)
            return _private(_refused(request, status=404))
        _note_use(access)
        return _private(view(request, access, *args, **kwargs))

    return wrapper


def _note_use(access: TicketAccess) -> None:
    """When the link was last opened (for agents, on revoking), at most one write an hour."""
    now = timezone.now()
    if access.last_used_at is None or now - access.last_used_at > timedelta(hours=1):
        TicketAccess.objects.filter(pk=access.pk).update(last_used_at=now)


def _page(
    request: HttpRequest,
    access: TicketAccess,
    *,
    reply_form: CustomerReplyForm | None = None,
    status: int = 200,
) -> HttpResponse:
    ticket = access.ticket
    thread = list(
        ticket.messages.exclude(kind=Message.Kind.NOTE)
        .exclude(automatic__gt="")
        .only("kind", "body_text", "created_at", "sender_email", "sender_name", "ticket_id")
        .prefetch_related(
            Prefetch("attachments", queryset=Attachment.objects.only("name", "size", "message_id"))
        )
        .order_by("created_at", "id")
    )
    for message in thread:
        # Our replies are Markdown, as mailed; the customer's own words are plain text.
        message.public_body = (
            render_markdown(message.body_text)
            if message.kind == Message.Kind.REPLY
            else mark_safe(linebreaks(message.body_text, autoescape=True))  # escaped first
        )
    resolution = latest_resolution(ticket)
    rating = Satisfaction.objects.filter(resolution=resolution).first() if resolution else None
    context = {
        "page_title": f"Your ticket #{ticket.pk}",
        "description": "",
        "token": request.resolver_match.kwargs["token"],
        "ticket": ticket,
        "inbox_name": ticket.inbox.name,
        "thread": thread,
        "reply_form": reply_form or CustomerReplyForm(),
        "rating_form": RatingForm(initial={"rating": rating.rating} if rating else None),
        "resolution": resolution,
        "rating": rating,
        "notice": request.GET.get("done", ""),
    }
    return render(request, "help/ticket.html", context, status=status)


@with_access
@require_GET
def customer_ticket(request: HttpRequest, access: TicketAccess) -> HttpResponse:
    return _page(request, access)


def _back(token: str, done: str) -> HttpResponse:
    return redirect(f"{reverse('customer:ticket', args=[token])}?done={done}")


@with_access
@require_POST
def customer_reply(request: HttpRequest, access: TicketAccess) -> HttpResponse:
    form = CustomerReplyForm(request.POST, request.FILES)
    if not form.is_valid():
        return _page(request, access, reply_form=form, status=400)
    if not (
        throttle.allow(
            "ticket-reply",
            throttle.client_key(request),
            limit=REPLIES_PER_HOUR,
            seconds=3600,
        )
        and throttle.allow(
            "ticket-reply-ticket", str(access.ticket_id), limit=REPLIES_PER_HOUR, seconds=3600
        )  # fmt: skip
    ):
        form.add_error(
            None,
            "You have sent several replies in the last hour. Please wait a little, or reply "
            "to our email. Your text is still here.",
        )
        return _page(request, access, reply_form=form, status=429)
    message = reply_as_customer(
        access, body_text=form.cleaned_data["message"], files=form.cleaned_data["files"]
    )
    if message.ticket_id != access.ticket_id:
        # The ticket was closed: the reply started a follow-up, which gets its own link.
        return _back(links.issue_link(message.ticket), "followup")
    return _back(request.resolver_match.kwargs["token"], "reply")


@with_access
@require_POST
def customer_solved(request: HttpRequest, access: TicketAccess) -> HttpResponse:
    """ "This is solved": the ticket is solved and the rating appears."""
    # Solved meanwhile (by an agent, or a second click): the page shows it.
    with suppress(ValidationError):
        mark_solved_by_customer(access)
    return _back(request.resolver_match.kwargs["token"], "solved")


@with_access
@require_http_methods(["GET", "POST"])
def customer_rate(request: HttpRequest, access: TicketAccess) -> HttpResponse:
    """The rating, from the solve mail's good/bad links or the ticket page.

    A GET only shows the choice (mail scanners open every link in a mail, so a
    click must not count until the customer presses Send); the POST stores it."""
    resolution = latest_resolution(access.ticket)
    token = request.resolver_match.kwargs["token"]
    context = {
        "page_title": "Rate our answer",
        "description": "",
        "token": token,
        "ticket": access.ticket,
        "resolution": resolution,
    }
    if request.method == "GET":
        choice = request.GET.get("rating", "")
        initial = {"rating": choice} if choice in Satisfaction.Rating.values else None
        context["form"] = RatingForm(initial=initial)
        return render(request, "help/ticket_rate.html", context)
    form = RatingForm(request.POST)
    context["form"] = form
    if resolution is None or not form.is_valid():
        return render(request, "help/ticket_rate.html", context, status=400)
    if not throttle.allow(
        "ticket-rating", throttle.client_key(request), limit=RATINGS_PER_HOUR, seconds=3600
    ):
        form.add_error(None, "Too many ratings from here in the last hour; please try later.")
        return render(request, "help/ticket_rate.html", context, status=429)
    rate_resolution(
        resolution, rating=form.cleaned_data["rating"], comment=form.cleaned_data["comment"]
    )
    return _back(token, "rated")


@with_access
@require_GET
def customer_file(request: HttpRequest, access: TicketAccess, attachment_id: int) -> HttpResponse:
    """A file of the public thread: never one of an internal note."""
    attachment = get_object_or_404(
        Attachment.objects.exclude(message__kind=Message.Kind.NOTE),
        pk=attachment_id,
        ticket_id=access.ticket_id,
        message__isnull=False,
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing.") from None
    inline = attachment.content_type in INLINE_TYPES
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
