"""One ticket: its page, the composer (reply and note) and attachment downloads.

Every view here and in the sibling modules (ticket_actions, resolve, ticket_new)
finds its ticket through ``_get_ticket``, the visibility rule's one door."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from supportdesk import roles
from supportdesk.roles import AGENT, EDITOR, MANAGER, role_required
from tickets.models import Attachment, Inbox, Message, Ticket
from tickets.services import send_reply, write_note
from tickets.ticket_forms import ComposerForm, DetailsForm
from tickets.ticket_page import (
    articles_column,
    changes_since,
    other_tickets,
    resolution_history,
    timeline,
)


def _tickets(request: HttpRequest) -> QuerySet[Ticket]:
    return Ticket.objects.visible_to(request.user)


def _get_ticket(request: HttpRequest, number: int) -> Ticket:
    """THE access helper: the ticket if this user may see it, 404 otherwise."""
    tickets = _tickets(request).select_related(
        "inbox", "customer", "assignee", "category", "follow_up_of"
    )
    return get_object_or_404(tickets, pk=number)


def can_act(request: HttpRequest) -> bool:
    return roles.is_agent(request.user)


def version(ticket: Ticket, entries) -> str:
    """What the agent has seen: the latest change to the ticket or its thread,
    whichever is later (imports and old data do not always bump updated_at)."""
    return max([ticket.updated_at, *(entry.at for entry in entries)]).isoformat()


def composer_initial(ticket: Ticket, request: HttpRequest, entries) -> ComposerForm:
    """A fresh composer; ``?insert=<id>`` (Insert without JavaScript) prefills
    the article's published text and marks it as being sent."""
    initial = {"seen": version(ticket, entries), "kind": "reply"}
    insert = request.GET.get("insert", "")
    if insert.isdigit():
        article = (
            Article.objects.published().select_related("published_revision").filter(pk=insert)
        ).first()
        if article:
            initial["body"] = article.published_revision.body
            initial["articles"] = [article.pk]
    return ComposerForm(initial=initial)


def page_context(
    request: HttpRequest,
    ticket: Ticket,
    *,
    composer: ComposerForm | None = None,
    details: DetailsForm | None = None,
    collision: list | None = None,
) -> dict:
    entries, thread = timeline(ticket)
    query = request.GET.get("q", "").strip()[:200]
    acting = can_act(request)
    context = {
        "ticket": ticket,
        "entries": entries,
        "can_act": acting,
        "editable": acting and ticket.is_open,
        "composer": composer or composer_initial(ticket, request, entries),
        "collision": collision,
        "details": details or details_form(ticket),
        "inboxes": Inbox.objects.all(),
        "my_inbox_ids": set(request.user.inboxes.values_list("pk", flat=True)),
        "other_tickets": other_tickets(ticket, request.user),
        "follow_ups": list(_tickets(request).filter(follow_up_of=ticket).only("pk", "subject")),
        "history": resolution_history(ticket),
    }
    context.update(articles_column(ticket, thread, query=query))
    context["sending"] = sending_articles(context["composer"])
    return context


def sending_articles(composer: ComposerForm) -> list[Article]:
    """The articles Insert put in the reply, shown as chips under it."""
    ids = [i for i in (composer["articles"].value() or []) if str(i).isdigit()]
    published = Article.objects.published().select_related("published_revision")
    return list(published.filter(pk__in=ids)) if ids else []


def details_form(ticket: Ticket, data=None) -> DetailsForm:
    return DetailsForm(
        data,
        ticket=ticket,
        initial={
            "status": ticket.status,
            "priority": ticket.priority,
            "category": ticket.category_id,
            "assignee": ticket.assignee_id,
        },
    )


@require_GET
# Editors read the tickets of their inboxes (behind a needs-attention flag).
@role_required(AGENT, MANAGER, EDITOR)
def ticket_detail(request: HttpRequest, number: int) -> HttpResponse:
    ticket = _get_ticket(request, number)
    template = "tickets/ticket_detail.html"
    # Read-only swaps: the article search results, the thread after a change.
    if request.htmx and request.htmx.target in ("article-results", "thread"):
        template += f"#{request.htmx.target}"
    return render(request, template, page_context(request, ticket))


@require_POST
@role_required(AGENT)
def ticket_compose(request: HttpRequest, number: int) -> HttpResponse:
    """Send a reply or write a note. Refuses a stale answer: if someone else
    wrote or changed the ticket since the page was opened, show what changed
    and keep the text; sending again confirms."""
    ticket = _get_ticket(request, number)
    form = ComposerForm(request.POST, request.FILES)
    if not form.is_valid():
        context = page_context(request, ticket, composer=form)
        return render(request, "tickets/ticket_detail.html", context, status=400)
    data = form.cleaned_data
    # Only answers to the customer can be stale; an internal note never is.
    is_reply = data["kind"] == "reply"
    changed = is_reply and changes_since(ticket, seen=data["seen"], user=request.user)
    if changed:
        fresh = request.POST.copy()
        fresh["seen"] = version(ticket, changed)
        again = ComposerForm(fresh)
        again.had_files = bool(data["files"])
        context = page_context(request, ticket, composer=again, collision=changed)
        return render(request, "tickets/ticket_detail.html", context, status=409)
    try:
        if data["kind"] == "note":
            write_note(ticket, body_text=data["body"], by=request.user, files=data["files"])
        else:
            reply = send_reply(
                ticket,
                body_text=data["body"],
                by=request.user,
                articles=data["articles"],
                files=data["files"],
                status=data["then"],
            )
    except ValidationError as error:
        form.add_error(None, error)
        context = page_context(request, ticket, composer=form)
        return render(request, "tickets/ticket_detail.html", context, status=400)
    if data["kind"] == "note":
        messages.success(request, "Note added.")
    else:
        # Truthful: a worker sends it after this request, so now it is only queued.
        queued = reply.delivery == Message.Delivery.QUEUED
        messages.success(request, f"Reply queued for {ticket.customer.email}." if queued
                         else "Reply saved; the customer has no email address.")  # fmt: skip
        if data["then"] == Ticket.Status.SOLVED:
            return redirect("tickets:solve", number=ticket.pk)
    return redirect(reverse("tickets:detail", args=[ticket.pk]) + "#composer")


# Served inline only when browsers cannot run them; everything else downloads.
INLINE_TYPES = {"image/png", "image/jpeg", "image/gif", "image/webp"}


@require_GET
@role_required(AGENT, MANAGER, EDITOR)
def ticket_attachment(request: HttpRequest, number: int, attachment_id: int) -> FileResponse:
    ticket = _get_ticket(request, number)
    attachment = get_object_or_404(Attachment, pk=attachment_id, ticket=ticket)
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404("The file is missing from storage.") from None
    inline = attachment.content_type in INLINE_TYPES and request.GET.get("download") is None
    response = FileResponse(
        handle,
        as_attachment=not inline,
        filename=attachment.name,
        content_type=attachment.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response
