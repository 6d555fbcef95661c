"""One ticket: its page, the composer (reply and note) and attachment downloads.

Every view here and in the sibling modules (ticket_actions, resolve, ticket_new)
finds its ticket through ``_get_ticket``, the visibility rule's one door."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Expression, QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from articles.models import Article
from supportdesk import roles
from supportdesk.inputs import text_param
from supportdesk.roles import AGENT, EDITOR, MANAGER, role_required
from tickets.customers.context import loaded_context
from tickets.lists import CompiledOnce
from tickets.macros.page import shortcut_macros, ticket_page_lists
from tickets.mail.participants import candidates, participant_lists, participants_of
from tickets.models import ArticleLink, Attachment, Message, Ticket, TicketMerge
from tickets.services import reply_and_solve, send_reply, write_note
from tickets.ticket_forms import ComposerForm, DetailsForm, SolveForm
from tickets.ticket_page import (
    DetailsChoices,
    article_links,
    article_results,
    articles_column,
    changes_since,
    details_choices,
    details_lists,
    follow_ups,
    header_lists,
    other_tickets,
    resolution_history,
    thread_lists,
    timeline,
)

PAGE = "tickets/ticket_detail.html"
# The composer's own resolution fields ("Send and set status to solved").
SOLVE_IN_COMPOSER = {"prefix": "solve", "auto_id": "composer-%s"}


def _tickets(request: HttpRequest) -> QuerySet[Ticket]:
    return Ticket.objects.visible_to(request.user)


def _get_ticket(request: HttpRequest, number: int, **lists: Expression) -> Ticket:
    """THE access helper: the ticket if this user may see it, 404 otherwise.
    ``lists`` (from ticket_page) are read in the same query."""
    return get_object_or_404(_with_lists(request, **lists), pk=number)


def _get_bare_ticket(request: HttpRequest, number: int) -> Ticket:
    """The ticket alone, for a swap that shows only its number and whether it is
    open (the article search's results)."""
    return get_object_or_404(_tickets(request).only("id", "status"), pk=number)


def _with_lists(request: HttpRequest, **lists: Expression) -> QuerySet[Ticket]:
    # Not the ticket followed up (the page shows only its number, the id at hand).
    tickets = _tickets(request).select_related(
        "inbox", "customer", "assignee", "category", "customer__context"
    )
    return tickets.annotate(**lists)


# The page's query, kept per user in each process: building and resolving its
# lists took longer (5 ms) than the database takes to run it, and compiling them
# 3.6 ms more (``CompiledOnce``). The query depends only on who asks (their id
# and roles); its rows are read afresh every time.
_PAGE_TICKETS: dict[tuple, QuerySet[Ticket]] = {}
PAGE_QUERIES_KEPT = 200


def _page_tickets(request: HttpRequest) -> QuerySet[Ticket]:
    key = (request.user.pk, roles.role_names(request.user))
    tickets = _PAGE_TICKETS.get(key)
    if tickets is None:
        if len(_PAGE_TICKETS) >= PAGE_QUERIES_KEPT:
            _PAGE_TICKETS.clear()
        lists = header_lists(_tickets(request)) | _details_lists(request) | thread_lists()
        # Kept, the lists' SQL is kept too: only the ticket's number changes.
        kept = {name: CompiledOnce(expression) for name, expression in lists.items()}
        tickets = _PAGE_TICKETS[key] = _with_lists(request, **kept)
    return tickets


def _get_page_ticket(request: HttpRequest, number: int) -> Ticket:
    """The ticket with everything its page lists beside it (the visibility rule
    is in the kept query: ``_tickets``)."""
    return get_object_or_404(_page_tickets(request), pk=number)


def _get_details_ticket(request: HttpRequest, number: int) -> Ticket:
    """The ticket with what its details column lists."""
    return _get_ticket(request, number, **_details_lists(request))


def _details_lists(request: HttpRequest) -> dict[str, Expression]:
    choices = can_act(request) or can_reassign(request)
    lists = details_lists(_tickets(request), request.user, choices=choices)
    # Tags and the macros' digit keys (issue 15), read with the ticket too.
    lists |= ticket_page_lists(request.user, choices=can_act(request))
    return lists | participant_lists()


def can_act(request: HttpRequest) -> bool:
    return roles.is_agent(request.user)


def can_reassign(request: HttpRequest) -> bool:
    """Managers work no tickets, but add notes and reassign (the rest is agents')."""
    return roles.is_manager(request.user) and not roles.is_agent(request.user)


def can_note(request: HttpRequest) -> bool:
    return can_act(request) or roles.is_manager(request.user)


def version(ticket: Ticket, entries) -> str:
    """What the agent has seen: the latest change to the ticket or its thread,
    whichever is later (imports and old data do not always bump updated_at)."""
    return max([ticket.updated_at, *(entry.at for entry in entries)]).isoformat()


def composer_initial(
    ticket: Ticket, request: HttpRequest, entries
) -> tuple[ComposerForm, list[Article]]:
    """A fresh composer and the articles it sends; ``?insert=<id>`` (Insert
    without JavaScript) prefills the article's published text and marks it as
    being sent."""
    initial = {"seen": version(ticket, entries), "kind": "reply"}
    insert = request.GET.get("insert", "")
    sending = []
    if insert.isdigit():
        article = (
            Article.objects.published().select_related("published_revision").filter(pk=insert)
        ).first()
        if article:
            initial["body"] = article.published_revision.body
            initial["articles"] = [article.pk]
            sending = [article]
    return ComposerForm(initial=initial), sending


def sending_articles(composer: ComposerForm) -> list[Article]:
    """The articles Insert put in the reply, shown as chips under it."""
    ids = [i for i in (composer["articles"].value() or []) if str(i).isdigit()]
    published = Article.objects.published().select_related("published_revision")
    return list(published.filter(pk__in=ids)) if ids else []


def page_context(
    request: HttpRequest,
    ticket: Ticket,
    *,
    composer: ComposerForm | None = None,
    details: DetailsForm | None = None,
    collision: list | None = None,
    solve: SolveForm | None = None,
) -> dict:
    """The whole page; ``ticket`` comes from ``_get_page_ticket``."""
    links = article_links(ticket)
    if solve is None and can_act(request) and ticket.is_open:
        categories = details_choices(ticket).categories
        solve = SolveForm(ticket=ticket, links=links, categories=categories, **SOLVE_IN_COMPOSER)
    entries, messages = timeline(ticket, links)
    if composer is None:
        composer, sending = composer_initial(ticket, request, entries)
    else:
        sending = sending_articles(composer)
    return {
        "entries": entries,
        "follow_ups": follow_ups(ticket),
        "composer": composer,
        "solve": solve,
        "sending": sending,
        "collision": collision,
        **articles_context(request, ticket, links=links, messages=messages),
        **details_context(request, ticket, links=links, details=details),
        # What the help center's contact form showed the customer: only web tickets have any.
        "contact_articles": (
            ticket.contact_articles.select_related("revision")
            if ticket.channel == Ticket.Channel.WEB
            else ()
        ),
    }


def _editable(request: HttpRequest, ticket: Ticket) -> dict:
    acting = can_act(request)
    return {
        "ticket": ticket,
        "can_act": acting,
        "can_note": can_note(request),
        "editable": acting and ticket.is_open,
    }


def _query(request: HttpRequest) -> str:
    return text_param(request.GET, "q")


def thread_context(ticket: Ticket) -> dict:
    """The thread alone (it reloads itself after a change); ``ticket`` comes with
    its ``thread_lists``."""
    entries, _ = timeline(ticket, article_links(ticket))
    return {"ticket": ticket, "entries": entries}


def results_context(request: HttpRequest, ticket: Ticket) -> dict:
    """The article search's results alone (the search box swaps them as one types)."""
    return {**_editable(request, ticket), **article_results(_query(request))}


def articles_context(
    request: HttpRequest,
    ticket: Ticket,
    *,
    links: list[ArticleLink] | None = None,
    messages: list[Message] | None = None,
) -> dict:
    """The articles column; what the page read already is passed in."""
    links = article_links(ticket) if links is None else links
    column = articles_column(ticket, messages, links, query=_query(request))
    return {**_editable(request, ticket), **column}


def details_context(
    request: HttpRequest,
    ticket: Ticket,
    *,
    links: list[ArticleLink] | None = None,
    details: DetailsForm | None = None,
) -> dict:
    """The details column; ``ticket`` comes with its lists (``_get_details_ticket``)."""
    context = {
        **_editable(request, ticket),
        "other_tickets": other_tickets(ticket),
        "account_context": loaded_context(ticket.customer),
        "history": resolution_history(ticket, links),
        "tags": getattr(ticket, "tag_names", None) or [],
    }
    if can_reassign(request) and ticket.is_open:
        context["reassign_to"] = details_choices(ticket).assignees
    context |= participants_context(request, ticket)
    if context["can_act"]:
        choices = details_choices(ticket)
        context |= {
            "details": details or details_form(ticket, choices=choices),
            "inboxes": choices.inboxes,
            "my_inbox_ids": {inbox.pk for inbox in choices.inboxes if inbox.mine},
            "shortcut_macros": shortcut_macros(ticket),
        }
    return context


def participants_context(request: HttpRequest, ticket: Ticket, *, error: str = "") -> dict:
    """The participants box; ``ticket`` comes with ``participant_lists``."""
    return {
        "ticket": ticket,
        "participants": participants_of(ticket),
        "participant_candidates": candidates(ticket),
        "participants_editable": can_act(request) and not ticket.is_closed,
        "participant_error": error,
    }


def details_form(
    ticket: Ticket, data=None, *, choices: DetailsChoices | None = None
) -> DetailsForm:
    return DetailsForm(
        data,
        ticket=ticket,
        initial={
            "status": ticket.status,
            "priority": ticket.priority,
            "category": ticket.category_id,
            "assignee": ticket.assignee_id,
        },
        categories=choices.categories if choices else None,
        assignees=choices.assignees if choices else None,
    )


@require_GET
# Editors read the tickets of their inboxes (behind a needs-attention flag).
@role_required(AGENT, MANAGER, EDITOR)
def ticket_detail(request: HttpRequest, number: int) -> HttpResponse:
    # Read-only swaps (STYLE.md, htmx): each reads only what it shows.
    target = request.htmx.target if request.htmx else None
    if target == "article-results":
        context = results_context(request, _get_bare_ticket(request, number))
        return render(request, f"{PAGE}#{target}", context)
    if target == "thread":
        ticket = _get_ticket(request, number, **thread_lists())
        return render(request, f"{PAGE}#{target}", thread_context(ticket))
    ticket = _get_page_ticket(request, number)
    if ticket.is_closed:
        merge = TicketMerge.objects.filter(merged=ticket).only("into_id").first()
        if merge is not None:  # the survivor's page (still behind the visibility rule)
            messages.info(request, f"{ticket.number} was merged into #{merge.into_id}.")
            return redirect("tickets:detail", number=merge.into_id)
    return render(request, PAGE, page_context(request, ticket))


def render_page(
    request: HttpRequest, number: int, *, status: int, confirm_transfer=None, **forms
) -> HttpResponse:
    """The whole page again, freshly read: a refused form, a question to confirm."""
    context = page_context(request, _get_page_ticket(request, number), **forms)
    context["confirm_transfer"] = confirm_transfer
    return render(request, PAGE, context, status=status)


@require_POST
@role_required(AGENT, MANAGER)
def ticket_compose(request: HttpRequest, number: int) -> HttpResponse:
    """Send a reply or write a note. Refuses a stale answer: if someone else
    wrote or changed the ticket since the page was opened, show what changed
    and keep the text; sending again confirms. "and set status to solved" sends
    and solves in one step, with the resolution from the composer's own fields."""
    ticket = _get_ticket(request, number)
    form = ComposerForm(request.POST, request.FILES)
    solve = None
    if form.is_valid() and _solving(form.cleaned_data):
        solve = SolveForm(
            request.POST, ticket=ticket, sending=bool(form.cleaned_data["articles"]),
            **SOLVE_IN_COMPOSER,
        )  # fmt: skip
    if form.is_valid() and form.cleaned_data["kind"] != "note" and not can_act(request):
        # Refused (403), on the page with the text kept and the reason said.
        form.add_error(None, "Managers add internal notes; replies to customers are agents' work.")
        return render_page(request, number, composer=form, solve=solve, status=403)
    if not form.is_valid() or (solve and not solve.is_valid()):
        return render_page(request, number, composer=form, solve=solve, status=400)
    data = form.cleaned_data
    # Only answers to the customer can be stale; an internal note never is.
    is_reply = data["kind"] == "reply"
    changed = is_reply and changes_since(ticket, seen=data["seen"], user=request.user)
    if changed:
        fresh = request.POST.copy()
        fresh["seen"] = version(ticket, changed)
        again = ComposerForm(fresh)
        again.had_files = bool(data["files"])
        return render_page(
            request, number, composer=again, solve=solve, collision=changed, status=409
        )
    try:
        reply = _write(request, ticket, data, solve)
    except ValidationError as error:
        form.add_error(None, error)
        return render_page(request, number, composer=form, solve=solve, status=400)
    if not is_reply:
        messages.success(request, "Note added.")
    else:
        # Truthful: a worker sends it after this request, so now it is only queued.
        queued = reply.delivery == Message.Delivery.QUEUED
        said = f"Reply queued for {ticket.customer.email}" if queued else (
            "Reply saved (the customer has no email address)")  # fmt: skip
        # One confirmation for the one step.
        messages.success(request, f"{said}; {ticket.number} solved." if solve else f"{said}.")
    return redirect(reverse("tickets:detail", args=[ticket.pk]) + "#composer")


def _solving(data: dict) -> bool:
    return data["kind"] == "reply" and data["then"] == Ticket.Status.SOLVED


def _write(request: HttpRequest, ticket: Ticket, data: dict, solve: SolveForm | None) -> Message:
    if data["kind"] == "note":
        return write_note(ticket, body_text=data["body"], by=request.user, files=data["files"])
    reply = {"body_text": data["body"], "by": request.user, "articles": data["articles"],
             "files": data["files"]}  # fmt: skip
    if solve is not None:
        return reply_and_solve(ticket, resolution=solve.cleaned_data, **reply)
    return send_reply(ticket, status=data["then"], **reply)


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
